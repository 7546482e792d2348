"""The reply of `/arrears mine`: one reminder card per customer in the user's queue, largest first."""

from __future__ import annotations

import copy

from babel.lists import format_list

from bot.i18n import Translator
from bot.messages.blocks import MAX_BLOCKS, Block, context, divider, header, section
from bot.my_queue import MyQueue, QueueCard
from bot.queue_buttons import queue_actions_block_id, queue_button_value
from bot.reminders.buttons import ACTIONS_BLOCK_ID, parse_target_level
from bot.reminders.card import build_reminder_card
from bot.store.owner_queue import QueueCustomer

# Room kept after the cards for the "more customers" note and the closing context.
CLOSING_BLOCKS = 2


def my_queue_message(tr: Translator, queue: MyQueue, cards: list[QueueCard]) -> dict:
    """Build the queue: as many cards as fit in one message, then how many customers are left out and why.

    `cards` are the first customers of `queue` that have invoices to chase, in rank order.
    """
    if not queue.owner_ids:
        return _plain(tr.gettext(
            "No customers or invoices are assigned to you, so your queue is empty. "
            "Finance or an admin can make you a customer's owner with `/arrears owner`."
        ))
    chase_customers = [customer for customer in queue.customers if customer.to_chase_count]
    if not chase_customers:
        return _plain(_empty_queue_text(tr, queue))

    intro = tr.ngettext(
        "%(count)s customer has overdue invoices of yours to chase. Largest amounts first.",
        "%(count)s customers have overdue invoices of yours to chase. Largest amounts first.",
        len(chase_customers),
    ) % {"count": tr.number(len(chase_customers))}
    blocks: list[Block] = [header(tr.gettext("Your overdue queue")), section(intro)]

    shown = 0
    for card in cards:
        card_blocks = [divider()] + queue_card_blocks(tr, card, queue.slack_user_id)
        if len(blocks) + len(card_blocks) > MAX_BLOCKS - CLOSING_BLOCKS:
            break
        blocks += card_blocks
        shown += 1

    hidden = len(chase_customers) - shown
    if hidden:
        blocks.append(context(
            tr.ngettext("…and %(count)s more customer. Open the customer with `/arrears customer`.",
                        "…and %(count)s more customers. Open each with `/arrears customer`.", hidden)
            % {"count": tr.number(hidden)}
        ))
    as_of = tr.gettext("As of %(date)s.") % {"date": tr.date(queue.as_of)}
    blocks.append(context(" ".join(filter(None, [_held_text(tr, queue), as_of]))))
    return {"text": intro, "blocks": blocks}


def queue_card_blocks(tr: Translator, card: QueueCard, slack_user_id: str) -> list[Block]:
    """Build the reminder card of one customer, with buttons that name the customer and user, not a sent card."""
    _text, blocks = build_reminder_card(card.data, tr)
    return [_with_queue_buttons(block, card.customer_id, slack_user_id) for block in blocks]


def _with_queue_buttons(block: Block, customer_id: int, slack_user_id: str) -> Block:
    if block.get("block_id") != ACTIONS_BLOCK_ID:
        return block
    rewritten = copy.deepcopy(block)
    rewritten["block_id"] = queue_actions_block_id(customer_id)
    for element in rewritten["elements"]:
        # Escalate names the level it leads to, so that a stale press cannot skip a level.
        target_level = parse_target_level(element["value"])
        element["value"] = queue_button_value(customer_id, slack_user_id, target_level)
    return rewritten


def _empty_queue_text(tr: Translator, queue: MyQueue) -> str:
    if not queue.customers:
        return tr.gettext("Nothing you own is overdue as of %(date)s.") % {"date": tr.date(queue.as_of)}
    return tr.gettext(
        "Nothing of yours needs chasing today: the reminder policy holds or waits on every overdue invoice "
        "you own. %(held)s"
    ) % {"held": _held_text(tr, queue)}


def _held_text(tr: Translator, queue: MyQueue) -> str:
    """Describe the overdue invoices that the reminder policy does not chase today, or return ''."""
    counts = held_counts_text(tr, queue.customers)
    if not counts:
        return ""
    return tr.gettext("Overdue invoices not chased today: %(counts)s.") % {"counts": counts}


def held_counts_text(tr: Translator, customers: tuple[QueueCustomer, ...]) -> str:
    """List how many overdue invoices the policy holds, per reason, and how many wait for their next reminder.

    Zeros are left out.
    """
    disputed = sum(customer.disputed_count for customer in customers)
    snoozed = sum(customer.snoozed_count for customer in customers)
    paused = sum(customer.paused_count for customer in customers)
    promised = sum(customer.promised_count for customer in customers)
    below_minimum = sum(customer.below_minimum_count for customer in customers)
    net_credit = sum(customer.net_credit_count for customer in customers)
    waiting = sum(customer.waiting_count for customer in customers)

    parts = []
    if disputed:
        parts.append(tr.ngettext("%(count)s disputed", "%(count)s disputed", disputed)
                     % {"count": tr.number(disputed)})
    if snoozed:
        parts.append(tr.ngettext("%(count)s snoozed", "%(count)s snoozed", snoozed)
                     % {"count": tr.number(snoozed)})
    if paused:
        parts.append(tr.ngettext("%(count)s of a customer whose reminders are paused",
                                 "%(count)s of customers whose reminders are paused", paused)
                     % {"count": tr.number(paused)})
    if promised:
        parts.append(tr.ngettext("%(count)s promised to pay", "%(count)s promised to pay", promised)
                     % {"count": tr.number(promised)})
    if below_minimum:
        parts.append(tr.ngettext("%(count)s below the minimum amount", "%(count)s below the minimum amount",
                                 below_minimum) % {"count": tr.number(below_minimum)})
    if net_credit:
        parts.append(tr.ngettext("%(count)s of a customer in net credit", "%(count)s of customers in net credit",
                                 net_credit) % {"count": tr.number(net_credit)})
    if waiting:
        parts.append(tr.ngettext("%(count)s waiting for its next reminder", "%(count)s waiting for their next reminder",
                                 waiting) % {"count": tr.number(waiting)})
    return format_list(parts, locale=tr.babel_locale) if parts else ""


def _plain(text: str) -> dict:
    return {"text": text, "blocks": [section(text)]}

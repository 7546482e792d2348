"""The App Home tab: a user's queue per currency, promises to pay due soon and broken lately.

A Home tab view takes up to 100 blocks. This one uses at most 20, because each list is cut
to what fits in one section and at most MAX_CURRENCIES currencies are listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from babel.lists import format_list

from bot.escape import escape_mrkdwn
from bot.home_overview import HomeOverview
from bot.i18n import N_, Translator
from bot.messages.access import role_list
from bot.messages.blocks import MAX_SECTION_TEXT, Block, context, divider, header, join_lines_within, section, truncate
from bot.messages.mine import held_counts_text
from bot.permissions import Role
from bot.store.owner_queue import QueueCurrency, QueueCustomer
from bot.store.user_promises import PromiseList, PromiseSummary

# Labels used inside f-strings, where pybabel cannot see them, so they are marked here.
_NONE = N_("None")

MAX_CURRENCIES = 10
TOP_CUSTOMERS = 5
MAX_NAME = 100
MAX_NUMBER = 40
# Room left at the end of a list section for the line that counts the entries not shown.
MORE_LINE_ROOM = 200


@dataclass
class _CurrencyQueue:
    currency: str
    amount: Decimal = Decimal(0)
    invoice_count: int = 0
    customers: list[tuple[QueueCustomer, QueueCurrency]] = field(default_factory=list)


def home_view(tr: Translator, overview: HomeOverview) -> dict:
    """Build the Home tab of a user with a role."""
    blocks: list[Block] = [
        header(tr.gettext("Your receivables")),
        context(tr.gettext("As of %(date)s · Your roles: %(roles)s") % {
            "date": tr.date(overview.as_of),
            "roles": format_list([tr.gettext(role.label) for role in Role if role in overview.roles],
                                 locale=tr.babel_locale),
        }),
    ]
    blocks += _queue_blocks(tr, overview)
    blocks += [divider(), _promises_due_section(tr, overview), divider(), _broken_section(tr, overview)]
    blocks.append(context(tr.gettext(
        "`/arrears mine` shows your queue with the reminder card buttons. `/arrears help` lists every command."
    )))
    return {"type": "home", "blocks": blocks}


def outsider_home_view(tr: Translator, reader_roles: list[str]) -> dict:
    """Build the Home tab of someone without a role: what arrears is and how to get access, and no balances."""
    blocks = [
        header(tr.gettext("arrears")),
        section(tr.gettext(
            "arrears helps finance and sales collect overdue customer invoices. It imports the receivables "
            "exports, posts a daily aging digest to finance channels, and sends each invoice owner a reminder "
            "card about their overdue invoices."
        )),
        section(tr.gettext(
            "You have no arrears role, so no balances are shown to you. Balances are shown only to %(roles)s. "
            "To get access, ask your arrears administrator to add you to finance, legal or the admins, "
            "or to make you the owner of your customers."
        ) % {"roles": role_list(tr, reader_roles)}),
        context(tr.gettext("`/arrears help` lists every command.")),
    ]
    return {"type": "home", "blocks": blocks}


def _queue_blocks(tr: Translator, overview: HomeOverview) -> list[Block]:
    title = tr.gettext("*Your queue*")
    queue = overview.queue
    if not queue.owner_ids:
        return [section(f"{title}\n" + tr.gettext(
            "No customers or invoices are assigned to you. Finance or an admin can make you a customer's owner."
        ))]
    currencies = _by_currency(queue.customers, overview.leading_currency)
    if not currencies:
        return [section(f"{title}\n" + tr.gettext("Nothing you own is overdue."))]

    blocks = [section(title)]
    blocks += [_currency_section(tr, currency, overview) for currency in currencies[:MAX_CURRENCIES]]
    if len(currencies) > MAX_CURRENCIES:
        blocks.append(context(tr.gettext("%(count)s more currencies are not shown.")
                              % {"count": tr.number(len(currencies) - MAX_CURRENCIES)}))
    held = _held_text(tr, queue.customers)
    if held:
        blocks.append(context(held))
    return blocks


def _by_currency(customers: tuple[QueueCustomer, ...], leading_currency: str | None) -> list[_CurrencyQueue]:
    groups: dict[str, _CurrencyQueue] = {}
    for customer in customers:
        for currency in customer.currencies:
            if currency.overdue_amount <= 0:
                continue
            group = groups.setdefault(currency.currency, _CurrencyQueue(currency.currency))
            group.amount += currency.overdue_amount
            group.invoice_count += currency.overdue_count
            group.customers.append((customer, currency))

    for group in groups.values():
        group.customers.sort(key=lambda pair: (-pair[1].overdue_amount, pair[0].name, pair[0].customer_id))
    return sorted(groups.values(), key=lambda group: (group.currency != leading_currency, group.currency))


def _currency_section(tr: Translator, group: _CurrencyQueue, overview: HomeOverview) -> Block:
    summary = tr.ngettext(
        "*%(currency)s*: %(amount)s overdue in %(invoices)s invoice at %(customers)s customer",
        "*%(currency)s*: %(amount)s overdue in %(invoices)s invoices at %(customers)s customers",
        group.invoice_count,
    ) % {
        "currency": group.currency,
        "amount": tr.money(group.amount, group.currency),
        "invoices": tr.number(group.invoice_count),
        "customers": tr.number(len(group.customers)),
    }
    lines = [_customer_line(tr, customer, currency, overview) for customer, currency in group.customers[:TOP_CUSTOMERS]]
    text, kept = join_lines_within([summary] + lines, MAX_SECTION_TEXT - MORE_LINE_ROOM)
    hidden = len(group.customers) - (kept - 1)
    if hidden > 0:
        text += "\n" + tr.ngettext("…and %(count)s more customer", "…and %(count)s more customers", hidden) % {
            "count": tr.number(hidden)
        }
    return section(text)


def _customer_line(tr: Translator, customer: QueueCustomer, currency: QueueCurrency, overview: HomeOverview) -> str:
    days = (overview.as_of - currency.oldest_due_date).days
    return "• " + tr.ngettext(
        "%(customer)s (%(code)s): %(amount)s, oldest %(days)s day past due",
        "%(customer)s (%(code)s): %(amount)s, oldest %(days)s days past due",
        days,
    ) % {
        "customer": _escaped(customer.name, MAX_NAME),
        "code": _escaped(customer.code, MAX_NAME),
        "amount": tr.money(currency.overdue_amount, currency.currency),
        "days": tr.number(days),
    }


def _held_text(tr: Translator, customers: tuple[QueueCustomer, ...]) -> str:
    counts = held_counts_text(tr, customers)
    if not counts:
        return ""
    return tr.gettext("These totals include overdue invoices not chased today: %(counts)s.") % {"counts": counts}


def _promises_due_section(tr: Translator, overview: HomeOverview) -> Block:
    title = tr.gettext("*Promises to pay due by %(date)s*") % {"date": tr.date(overview.due_until)}
    return _promise_section(tr, title, overview.promises_due, overview, due=True)


def _broken_section(tr: Translator, overview: HomeOverview) -> Block:
    title = tr.gettext("*Promises to pay broken since %(date)s*") % {"date": tr.date(overview.broken_since)}
    return _promise_section(tr, title, overview.broken_promises, overview, due=False)


def _promise_section(tr: Translator, title: str, promises: PromiseList, overview: HomeOverview, *, due: bool) -> Block:
    if not promises.promises:
        return section(f"{title}\n{tr.gettext(_NONE)}")
    lines = [_promise_line(tr, promise, overview, due=due) for promise in promises.promises]
    text, kept = join_lines_within([title] + lines, MAX_SECTION_TEXT - MORE_LINE_ROOM)
    hidden = promises.total - (kept - 1)
    if hidden > 0:
        text += "\n" + tr.ngettext("…and %(count)s more promise", "…and %(count)s more promises", hidden) % {
            "count": tr.number(hidden)
        }
    return section(text)


def _promise_line(tr: Translator, promise: PromiseSummary, overview: HomeOverview, *, due: bool) -> str:
    line = tr.gettext("%(date)s · %(customer)s: %(amount)s for %(invoices)s") % {
        "date": tr.date(promise.pay_by),
        "customer": _escaped(promise.customer_name, MAX_NAME),
        "amount": tr.money(promise.amount, promise.currency),
        "invoices": _numbers_text(tr, promise),
    }
    if due and promise.pay_by < overview.as_of:
        line += " · " + tr.gettext("date passed, not settled yet")
    return "• " + line


def _numbers_text(tr: Translator, promise: PromiseSummary) -> str:
    numbers = ", ".join(_escaped(number, MAX_NUMBER) for number in promise.invoice_numbers)
    hidden = promise.invoice_count - len(promise.invoice_numbers)
    if hidden > 0:
        numbers += " " + tr.ngettext("and %(count)s more", "and %(count)s more", hidden) % {"count": tr.number(hidden)}
    return numbers or tr.gettext("no invoices")


def _escaped(text: str, limit: int) -> str:
    return escape_mrkdwn(truncate(text, limit))

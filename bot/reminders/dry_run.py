"""The reminder dry run: each card printed with its decision and where it would go, and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.i18n import Translator, get_translator
from bot.policy import ReminderPolicy
from bot.reminders.card import build_reminder_card
from bot.reminders.claims import CardState, find_card
from bot.reminders.group_card import load_reminder_card
from bot.reminders.outcomes import DeliveryOutcome, ReminderDelivery
from bot.reminders.recipients import Recipient, Undeliverable
from bot.reminders.run_labels import describe_decision
from bot.reminders.selection import ReminderGroup
from bot.services import Services
from bot.slack.preview import render_text
from bot.store.models import Customer


def preview_group(
    services: Services,
    group: ReminderGroup,
    recipient: Recipient | Undeliverable,
    as_of: date,
    echo: Callable[[str], object],
    policy: ReminderPolicy,
    *,
    owner_gets_card: bool = True,
) -> ReminderDelivery:
    """Print one group's card, its decision and its destination through `echo`, reading the store and writing nothing.

    The lines around the card are in ARREARS_DEFAULT_LOCALE, and the card is in the recipient's locale.
    Without `owner_gets_card`, only the line that the level's notice replaces the owner's card is printed.
    """
    tr = get_translator(services.settings.default_locale)
    if not owner_gets_card:
        echo(_notice_only_line(services, group, policy, tr))
        echo("")
        return ReminderDelivery(group.owner_id, group.customer_id, DeliveryOutcome.NOTICE_ONLY,
                                kind=group.kind, level=group.level)
    if isinstance(recipient, Undeliverable):
        echo(_undeliverable_line(services, group, recipient, tr))
        echo("")
        return ReminderDelivery(group.owner_id, group.customer_id, DeliveryOutcome.UNDELIVERABLE,
                                reason=recipient.reason, kind=group.kind, level=group.level)

    existing = find_card(services.sessions, recipient.key, group.customer_id, as_of)
    if existing is not None and existing.state != CardState.FAILED:
        echo(tr.gettext("Not sending again %(destination)s: already sent or in progress today.") % {
            "destination": _destination(recipient, tr)
        })
        echo("")
        return ReminderDelivery(group.owner_id, group.customer_id, DeliveryOutcome.ALREADY_CLAIMED, recipient.key,
                                existing.id, kind=group.kind, level=group.level)

    data = load_reminder_card(services, group, recipient.delivery, as_of, card_id=0, policy=policy)
    _, blocks = build_reminder_card(data, get_translator(recipient.locale))
    echo(tr.gettext("Would send %(destination)s:") % {"destination": _destination(recipient, tr)})
    echo(tr.gettext("Decision: %(decision)s") % {"decision": describe_decision(group.kind, group.level, policy, tr)})
    echo(render_text(blocks))
    echo("")
    return ReminderDelivery(group.owner_id, group.customer_id, DeliveryOutcome.WOULD_SEND, recipient.key,
                            kind=group.kind, level=group.level)


def _notice_only_line(services: Services, group: ReminderGroup, policy: ReminderPolicy, tr: Translator) -> str:
    with services.sessions() as session:
        customer = session.get_one(Customer, group.customer_id)
    level = policy.level(min(group.level, len(policy.levels)))
    return tr.gettext(
        "Would send no card about %(customer)s to its owner, because level %(level)s leaves the owner out. "
        "The level's other recipients would get its notice. Decision: %(decision)s"
    ) % {
        "customer": f"{customer.name} ({customer.code})",
        "level": level.display_name(tr.locale),
        "decision": describe_decision(group.kind, group.level, policy, tr),
    }


def _destination(recipient: Recipient, tr: Translator) -> str:
    values = {
        "owner": recipient.owner_name or "",
        "user": recipient.post_to or "",
        "channel": recipient.post_to or "",
        "email": recipient.lookup_email or "",
        "locale": recipient.locale,
    }
    if recipient.key.startswith("owner:") and recipient.post_to is None:
        return tr.gettext(
            "as a direct message to %(owner)s, the Slack user with email %(email)s, looked up when sending (%(locale)s)"
        ) % values
    if recipient.key.startswith("owner:"):
        return tr.gettext("as a direct message to %(owner)s, Slack user %(user)s (%(locale)s)") % values
    if recipient.owner_id is not None:
        return tr.gettext("to channel %(channel)s, for %(owner)s, who has no Slack user (%(locale)s)") % values
    return tr.gettext("to channel %(channel)s, for invoices without an owner (%(locale)s)") % values


def _undeliverable_line(services: Services, group: ReminderGroup, recipient: Undeliverable, tr: Translator) -> str:
    with services.sessions() as session:
        customer = session.get_one(Customer, group.customer_id)
    values = {"customer": f"{customer.name} ({customer.code})", "owner": recipient.owner_name or ""}
    if recipient.owner_id is None:
        return tr.gettext(
            "Cannot send the reminder about %(customer)s: its invoices have no owner and "
            "ARREARS_FALLBACK_CHANNEL is not set."
        ) % values
    return tr.gettext(
        "Cannot send the reminder about %(customer)s to %(owner)s: that owner has no Slack user and "
        "ARREARS_FALLBACK_CHANNEL is not set."
    ) % values

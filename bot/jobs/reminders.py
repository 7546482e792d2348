"""The reminder run: one card per recipient and customer with invoices to chase, once a day.

The run loads the reminder policy (ARREARS_POLICY_FILE, else the default policy), marks
promises kept or broken, and plans with bot.reminders.selection which invoices the policy
chases today. For each card it resolves the recipient, claims the card (bot.reminders.claims),
decides the card's invoices again with the balances as they are now, posts the card with
chat.postMessage, and in the transaction that marks the card sent records `reminder.sent`,
the last reminded day and each invoice's new dunning level. A level whose recipients go
beyond the owner is then announced to them (bot.reminders.level_notices). A card whose
level has `recipients.owner = false` is not posted to the owner: the run claims it under a
`notice:` recipient key, records it like a sent card, and sends only the level's notice.

Running it twice on one day, or on two replicas at once, sends each card once, and a card
that fails to send moves no invoice to a new level. The exception is a run that crashed
between posting and recording: a later run takes its claim over and can post that card a
second time. On a day that is not a working day the run sends nothing unless forced. A
dry run prints each card, its decision and where it would go, and writes nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.dunning import SendKind
from bot.i18n import get_translator
from bot.policy import ReminderPolicy, load_policy
from bot.reminders.card import CardData, Delivery, build_reminder_card
from bot.reminders.claims import claim_card, mark_failed, mark_notice_only, mark_sent, mark_skipped
from bot.reminders.dry_run import preview_group
from bot.reminders.group_card import load_reminder_card, store_card_plan
from bot.reminders.level_notices import notify_level_recipients
from bot.reminders.outcomes import DeliveryOutcome, ReminderDelivery, ReminderRunResult
from bot.reminders.promises import refresh_promises
from bot.reminders.recipients import Recipient, RecipientResolver, Undeliverable
from bot.reminders.selection import ReminderGroup, plan_reminders, replan_group
from bot.services import Services
from bot.store.db import transaction
from bot.store.models import Activity, Invoice, ReminderCard
from bot.workdays import WorkdayCalendar, holidays_language

__all__ = ["NOTHING_LEFT_REASON", "DeliveryOutcome", "ReminderDelivery", "ReminderRunResult", "run_reminders"]

logger = logging.getLogger(__name__)

NOTHING_LEFT_REASON = "nothing left to chase: the selected invoices were paid, snoozed or disputed before sending"
NO_NOTICE_REASON = "the card's level leaves the owner out, and a repeat of a level sends no notice"


def run_reminders(
    services: Services,
    as_of: date | None = None,
    dry_run: bool = False,
    scheduled: bool = False,
    echo: Callable[[str], object] = print,
    *,
    before_send: Callable[[ReminderCard], object] | None = None,
    force: bool = False,
    policy: ReminderPolicy | None = None,
) -> ReminderRunResult:
    """Send the reminder cards for `as_of` (default: today in the configured zone).

    `scheduled` marks a run started by the scheduler rather than the command line; it is
    recorded on each `reminder.sent` activity. `echo` receives the dry run's output.
    `before_send` is called with each claimed card just before the balances are read
    again, so a test can change the ledger at that moment. On a day the policy's calendar
    closes, nothing is sent and `result.not_working_day` is set, unless `force` treats
    the day as a working day. `policy` replaces the policy file, for tests.

    Slack errors on one card are logged and mark that card failed; the run goes on.
    Raises ConfigError before claiming any card when a real run lacks the Slack tokens,
    and PolicyError when the policy file is missing or invalid.
    """
    if not dry_run:
        # Checked up front: a claim taken and then left unsent would block the card for CLAIM_LEASE.
        services.settings.require_slack()
    as_of = as_of if as_of is not None else services.today()
    trigger = "scheduler" if scheduled else "command"
    policy = policy or load_policy(services.settings.policy_file)
    result = ReminderRunResult(as_of=as_of, dry_run=dry_run)
    calendar = _run_calendar(services, policy, as_of, force, result)
    logger.info("reminder run for %s started (%s, dry run: %s)", as_of, trigger, dry_run)

    if not dry_run:
        _refresh_promises(services, as_of, policy)
    with services.sessions() as session:
        plan = plan_reminders(session, as_of, policy, calendar)
    result.skipped = dict(plan.skipped)
    resolver = RecipientResolver(services, dry_run=dry_run)

    for group in plan.groups:
        recipient = resolver.resolve(group.owner_id)
        owner_gets_card = owner_receives_card(policy, group)
        if dry_run:
            delivery = preview_group(services, group, recipient, as_of, echo, policy, owner_gets_card=owner_gets_card)
        elif not owner_gets_card:
            delivery = _send_notice_only(services, policy, calendar, group, recipient, as_of, before_send)
        elif isinstance(recipient, Undeliverable):
            delivery = _record_undeliverable(services, group, recipient, as_of)
        else:
            delivery = _send(services, policy, calendar, group, recipient, as_of, trigger, before_send)
        result.deliveries.append(delivery)

    counts = [f"{result.count(outcome)} {outcome}" for outcome in DeliveryOutcome if result.count(outcome)]
    logger.info("reminder run for %s finished: %s", as_of, ", ".join(counts) or "nothing to send")
    return result


def _run_calendar(
    services: Services, policy: ReminderPolicy, as_of: date, force: bool, result: ReminderRunResult
) -> WorkdayCalendar:
    """Build the run's calendar; on a closed day record that on `result`, and open the day when forced."""
    language = holidays_language(services.settings.default_locale)
    calendar = policy.calendar.build(language)
    if calendar.is_working_day(as_of):
        return calendar

    result.not_working_day = True
    result.holiday_name = calendar.holiday_name(as_of)
    if not force:
        logger.info("reminder run for %s: not a working day (%s); no card is sent unless forced",
                    as_of, result.holiday_name or "weekend or closed date")
        return calendar

    result.forced = True
    logger.warning("reminder run for %s forced on a day that is not a working day (%s)",
                   as_of, result.holiday_name or "weekend or closed date")
    # A working date wins over every closing rule (see WorkdayCalendar), so this opens exactly that day.
    opened = policy.calendar.model_copy(update={"working_dates": (*policy.calendar.working_dates, as_of)})
    return opened.build(language)


def _refresh_promises(services: Services, as_of: date, policy: ReminderPolicy) -> None:
    """Mark open promises kept or broken before deciding, so the cards and the activity log agree."""
    try:
        with transaction(services.sessions) as session:
            refresh_promises(session, as_of, policy, now=services.clock.now())
    except IntegrityError:
        # Another replica recorded the same promise outcome first; its update stands.
        logger.info("promises for %s were refreshed by another run", as_of)


def _send(
    services: Services,
    policy: ReminderPolicy,
    calendar: WorkdayCalendar,
    planned: ReminderGroup,
    recipient: Recipient,
    as_of: date,
    trigger: str,
    before_send: Callable[[ReminderCard], object] | None,
) -> ReminderDelivery:
    card = claim_card(
        services.sessions, recipient_key=recipient.key, owner_id=planned.owner_id, customer_id=planned.customer_id,
        sent_on=as_of, locale=recipient.locale, now=services.clock.now(),
    )
    if card is None:
        return ReminderDelivery(planned.owner_id, planned.customer_id, DeliveryOutcome.ALREADY_CLAIMED, recipient.key,
                                kind=planned.kind, level=planned.level)
    if before_send is not None:
        before_send(card)

    # Decide again with the balances as they are now: a payment imported since the plan
    # may drop invoices or leave nothing to chase, and another run may have sent them.
    with services.sessions() as session:
        group = replan_group(session, as_of, policy, calendar, planned)
    if group is None:
        return _skip(services, planned, card, NOTHING_LEFT_REASON)
    data = load_reminder_card(services, group, recipient.delivery, as_of, card_id=card.id, policy=policy)
    if not data.invoices:
        return _skip(services, group, card, NOTHING_LEFT_REASON)

    text, blocks = build_reminder_card(data, get_translator(recipient.locale))
    try:
        response = services.slack.chat_postMessage(channel=recipient.post_to, text=text, blocks=blocks)
    except (SlackClientError, OSError) as error:
        return _fail(services, group, card, _describe_slack_error(error))

    channel, message_ts = response["channel"], response["ts"]
    with transaction(services.sessions) as session:
        mark_sent(session, card.id, channel=channel, message_ts=message_ts, now=services.clock.now())
        store_card_plan(session, card.id, group, data)
        session.add(_sent_activity(services, card, group, data, channel, message_ts, trigger))
        _mark_reminded(session, data, as_of)
        _advance_levels(session, group, data)
    logger.info("reminder card %s sent to %s (%s) about customer %s: %s level %s, %d invoices, ts %s",
                card.id, channel, recipient.key, group.customer_id, group.kind, group.level, len(data.invoices),
                message_ts)

    notify_level_recipients(services, policy, group, data, as_of)
    return ReminderDelivery(group.owner_id, group.customer_id, DeliveryOutcome.SENT, recipient.key,
                            card.id, channel, message_ts, kind=group.kind, level=group.level)


def owner_receives_card(policy: ReminderPolicy, group: ReminderGroup) -> bool:
    """Return whether the card goes to the owner: always before the due date, else as its level's recipients set."""
    if group.kind == SendKind.PRE_DUE or group.level < 1:
        return True
    return policy.level(min(group.level, len(policy.levels))).recipients.owner


def _send_notice_only(
    services: Services,
    policy: ReminderPolicy,
    calendar: WorkdayCalendar,
    planned: ReminderGroup,
    recipient: Recipient | Undeliverable,
    as_of: date,
    before_send: Callable[[ReminderCard], object] | None,
) -> ReminderDelivery:
    """Record a card whose level leaves the owner out, and send the level's notice to its other recipients.

    The claim's `notice:` recipient key keeps the notice to one per owner, customer and day,
    even when the owner has no Slack user. The invoices move to their new levels as if the
    card had been sent, because the level's recipients are the card's audience.
    NOTE: a repeat at such a level reaches nobody, because a level's notice is sent only
    when invoices reach the level, so nothing is recorded for it.
    """
    key = f"notice:owner:{planned.owner_id if planned.owner_id is not None else 'none'}"
    card = claim_card(
        services.sessions, recipient_key=key, owner_id=planned.owner_id, customer_id=planned.customer_id,
        sent_on=as_of, locale=services.settings.default_locale, now=services.clock.now(),
    )
    if card is None:
        return ReminderDelivery(planned.owner_id, planned.customer_id, DeliveryOutcome.ALREADY_CLAIMED, key,
                                kind=planned.kind, level=planned.level)
    if before_send is not None:
        before_send(card)

    with services.sessions() as session:
        group = replan_group(session, as_of, policy, calendar, planned)
    if group is None:
        return _skip(services, planned, card, NOTHING_LEFT_REASON)
    if group.kind != SendKind.LEVEL:
        return _skip(services, group, card, NO_NOTICE_REASON)
    delivery = recipient.delivery if isinstance(recipient, Recipient) else _fallback_delivery(group)
    data = load_reminder_card(services, group, delivery, as_of, card_id=card.id, policy=policy)
    if not data.invoices:
        return _skip(services, group, card, NOTHING_LEFT_REASON)

    with transaction(services.sessions) as session:
        mark_notice_only(session, card.id, now=services.clock.now())
        store_card_plan(session, card.id, group, data)
        _mark_reminded(session, data, as_of)
        _advance_levels(session, group, data)
    logger.info("reminder card %s about customer %s not sent to owner %s: level %s leaves the owner out; "
                "%d invoices, notice to the level's other recipients", card.id, group.customer_id,
                group.owner_id, group.level, len(data.invoices))

    notify_level_recipients(services, policy, group, data, as_of, owner_has_card=False)
    return ReminderDelivery(group.owner_id, group.customer_id, DeliveryOutcome.NOTICE_ONLY, key, card.id,
                            kind=group.kind, level=group.level)


def _fallback_delivery(group: ReminderGroup) -> Delivery:
    # The owner's card could not have been delivered, so the notice names the owner without a mention.
    return Delivery.NO_SLACK_USER if group.owner_id is not None else Delivery.NO_OWNER


def _skip(services: Services, group: ReminderGroup, card: ReminderCard, reason: str) -> ReminderDelivery:
    with transaction(services.sessions) as session:
        mark_skipped(session, card.id, reason=reason, now=services.clock.now())
    logger.info("reminder card %s (%s, customer %s) skipped: %s", card.id, card.recipient_key, card.customer_id, reason)
    return ReminderDelivery(group.owner_id, group.customer_id, DeliveryOutcome.SKIPPED, card.recipient_key,
                            card.id, reason=reason, kind=group.kind, level=group.level)


def _fail(services: Services, group: ReminderGroup, card: ReminderCard, error: str) -> ReminderDelivery:
    logger.error("chat.postMessage failed for reminder card %s (%s, customer %s, owner %s): %s",
                 card.id, card.recipient_key, card.customer_id, card.owner_id, error)
    with transaction(services.sessions) as session:
        mark_failed(session, card.id, error=error, now=services.clock.now())
    return ReminderDelivery(group.owner_id, group.customer_id, DeliveryOutcome.FAILED, card.recipient_key,
                            card.id, reason=error, kind=group.kind, level=group.level)


def _describe_slack_error(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return f"Slack error {error.response.get('error')!r} (HTTP {error.response.status_code})"
    return f"{error.__class__.__name__}: {error}"


def _sent_activity(
    services: Services,
    card: ReminderCard,
    group: ReminderGroup,
    data: CardData,
    channel: str,
    message_ts: str,
    trigger: str,
) -> Activity:
    return Activity(
        occurred_at=services.clock.now(),
        actor="system",
        action="reminder.sent",
        customer_id=card.customer_id,
        owner_id=card.owner_id,
        channel=channel,
        message_ts=message_ts,
        # A card taken over after a crash may be sent again; its new ts keeps the key unique.
        dedup_key=f"reminder.sent:{card.id}:{message_ts}",
        details={
            "card_id": card.id,
            "recipient_key": card.recipient_key,
            "sent_on": card.sent_on.isoformat(),
            "trigger": trigger,
            "kind": group.kind.value,
            "level": group.level,
            "tone": group.tone.value,
            "invoices": [
                {"number": invoice.number, "currency": invoice.currency, "open_balance": str(invoice.open_balance)}
                for invoice in data.invoices
            ],
        },
    )


def _mark_reminded(session: Session, data: CardData, as_of: date) -> None:
    # A run for an earlier --as-of date never moves the day back.
    session.execute(
        update(Invoice)
        .where(Invoice.id.in_([invoice.invoice_id for invoice in data.invoices]))
        .where(or_(Invoice.last_reminded_on.is_(None), Invoice.last_reminded_on < as_of))
        .values(last_reminded_on=as_of)
    )


def _advance_levels(session: Session, group: ReminderGroup, data: CardData) -> None:
    """Move each invoice with a new-level decision on the sent card to that level.

    This runs in the transaction that marks the card sent, so a failed post moves nothing.
    The level never goes down, even if a run with an earlier --as-of date sends a card.
    """
    by_level: dict[int, list[int]] = defaultdict(list)
    for invoice in data.invoices:
        send = group.send_for(invoice.invoice_id)
        if send.kind == SendKind.LEVEL:
            by_level[send.level].append(invoice.invoice_id)
    for level, invoice_ids in sorted(by_level.items()):
        session.execute(
            update(Invoice)
            .where(Invoice.id.in_(invoice_ids))
            .where(Invoice.dunning_level < level)
            .values(dunning_level=level)
        )
        logger.info("invoices %s reached dunning level %s", invoice_ids, level)


def _record_undeliverable(
    services: Services, group: ReminderGroup, recipient: Undeliverable, as_of: date
) -> ReminderDelivery:
    logger.error("reminder about customer %s (owner %s) on %s cannot be delivered: %s",
                 group.customer_id, group.owner_id, as_of, recipient.reason)
    dedup_key = f"reminder.undeliverable:{as_of.isoformat()}:{group.owner_id or 'none'}:{group.customer_id}"
    try:
        with transaction(services.sessions) as session:
            if session.scalar(select(Activity.id).where(Activity.dedup_key == dedup_key)) is None:
                session.add(Activity(
                    occurred_at=services.clock.now(),
                    actor="system",
                    action="reminder.undeliverable",
                    customer_id=group.customer_id,
                    owner_id=group.owner_id,
                    dedup_key=dedup_key,
                    details={
                        "reason": recipient.reason,
                        "as_of": as_of.isoformat(),
                        "invoice_numbers": _invoice_numbers(session, group.invoice_ids),
                    },
                ))
    except IntegrityError:
        # Another run recorded the same day's entry between the check and the insert.
        logger.debug("reminder.undeliverable %s was already recorded", dedup_key)
    return ReminderDelivery(group.owner_id, group.customer_id, DeliveryOutcome.UNDELIVERABLE,
                            reason=recipient.reason, kind=group.kind, level=group.level)


def _invoice_numbers(session: Session, invoice_ids: tuple[int, ...]) -> list[str]:
    return list(session.scalars(select(Invoice.number).where(Invoice.id.in_(invoice_ids)).order_by(Invoice.number)))

"""Replies of `/arrears customer`: one customer's balances, a list of matches, or no match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from bot.activity_labels import action_label
from bot.aging import Bucket
from bot.customer_overview import CustomerOverview
from bot.escape import escape_mrkdwn
from bot.i18n import N_, Translator
from bot.messages.blocks import (
    MAX_BLOCKS,
    button,
    context,
    divider,
    fields_section,
    header,
    join_lines_within,
    section,
    truncate,
)
from bot.pauses import is_indefinite, is_paused
from bot.store.balances import CurrencyAging, OpenDocument

# Labels used inside f-strings, where pybabel cannot see them, so they are marked here.
_CREDITS = N_("Credits")
_CUSTOMER_CODE = N_("Customer code")
_DISPUTED = N_("Disputed")
_LAST_ACTIVITY = N_("Last activity")
_OWNER = N_("Owner")
_REMINDERS = N_("Reminders")

OPEN_CUSTOMER_ACTION = "arrears_open_customer"

# Echoed user text is cut to this length, so a pasted paragraph cannot crowd out the reply.
MAX_ECHOED_QUERY = 200

# Header, details, divider, invoices and the closing context leave room for this many currencies.
MAX_CURRENCY_BLOCKS = MAX_BLOCKS - 10


@dataclass(frozen=True)
class CustomerChoice:
    customer_id: int
    code: str
    name: str


def customer_message(tr: Translator, overview: CustomerOverview) -> dict:
    """Build the overview of one customer: totals per currency, aging buckets, largest open invoices, owner."""
    blocks = [header(overview.name), _details_section(tr, overview)]

    currencies = overview.aging.currencies
    for aging in currencies[:MAX_CURRENCY_BLOCKS]:
        blocks.append(_currency_section(tr, aging))
    if len(currencies) > MAX_CURRENCY_BLOCKS:
        blocks.append(context(tr.gettext("%(count)s more currencies are not shown.")
                              % {"count": tr.number(len(currencies) - MAX_CURRENCY_BLOCKS)}))
    if not currencies:
        blocks.append(section(tr.gettext("No open invoices as of %(date)s.") % {"date": tr.date(overview.as_of)}))

    if overview.largest_open:
        blocks.append(divider())
        blocks.append(_largest_open_section(tr, overview.largest_open))

    blocks.append(context(tr.gettext("Balances as of %(date)s.") % {"date": tr.date(overview.as_of)}))
    fallback = tr.gettext("Receivables of %(customer)s") % {"customer": escape_mrkdwn(overview.name)}
    return {"text": fallback, "blocks": blocks}


def _details_section(tr: Translator, overview: CustomerOverview) -> dict:
    fields = [
        f"*{tr.gettext(_CUSTOMER_CODE)}*\n{escape_mrkdwn(overview.code)}",
        f"*{tr.gettext(_OWNER)}*\n{_owner_text(tr, overview)}",
        f"*{tr.gettext(_LAST_ACTIVITY)}*\n{_activity_text(tr, overview)}",
    ]
    if is_paused(overview.paused_until, overview.as_of):
        fields.append(f"*{tr.gettext(_REMINDERS)}*\n{pause_text(tr, overview.paused_until)}")
    return fields_section(fields)


def _owner_text(tr: Translator, overview: CustomerOverview) -> str:
    if overview.owner_slack_user_id:
        return f"<@{overview.owner_slack_user_id}>"
    if overview.owner_name:
        return escape_mrkdwn(overview.owner_name)
    return tr.gettext("No owner")


def _activity_text(tr: Translator, overview: CustomerOverview) -> str:
    activity = overview.last_activity
    if activity is None:
        return tr.gettext("None recorded")
    return f"{tr.date(activity.occurred_on)} · {escape_mrkdwn(action_label(tr, activity.action))}"


def pause_text(tr: Translator, paused_until: date) -> str:
    """Describe an active pause: until a date, or until someone resumes it."""
    if is_indefinite(paused_until):
        return tr.gettext("Paused until someone resumes them")
    return tr.gettext("Paused until %(date)s") % {"date": tr.date(paused_until)}


def _currency_section(tr: Translator, aging: CurrencyAging) -> dict:
    summary = tr.gettext("*%(currency)s*: %(outstanding)s outstanding, %(overdue)s overdue") % {
        "currency": aging.currency,
        "outstanding": tr.money(aging.outstanding, aging.currency),
        "overdue": tr.money(aging.overdue_amount, aging.currency),
    }

    fields = [_bucket_field(tr, aging, bucket) for bucket in Bucket]
    if aging.disputed_count:
        fields.append(f"*{tr.gettext(_DISPUTED)}*\n{tr.money(aging.disputed_amount, aging.currency)}")
    if aging.credits:
        fields.append(f"*{tr.gettext(_CREDITS)}*\n{tr.money(aging.credits, aging.currency)}")
    return fields_section(fields, text=summary)


def _bucket_field(tr: Translator, aging: CurrencyAging, bucket: Bucket) -> str:
    total = aging.bucket(bucket)
    count = tr.ngettext("%(count)s invoice", "%(count)s invoices", total.count) % {"count": tr.number(total.count)}
    return f"*{tr.gettext(bucket.label)}*\n{tr.money(total.amount, aging.currency)} ({count})"


def _largest_open_section(tr: Translator, documents: tuple[OpenDocument, ...]) -> dict:
    title = tr.gettext("*Largest open invoices*")
    lines = [title] + [_document_line(tr, document) for document in documents]
    text, _ = join_lines_within(lines)
    return section(text)


def _document_line(tr: Translator, document: OpenDocument) -> str:
    parts = [
        escape_mrkdwn(truncate(document.number, 60)),
        tr.gettext("due %(date)s") % {"date": tr.date(document.due_date)},
        days_past_due_text(tr, document.days_past_due),
        tr.gettext("%(amount)s open") % {"amount": f"*{tr.money(document.open_balance, document.currency)}*"},
    ]
    if document.disputed:
        parts.append(tr.gettext("disputed"))
    return "• " + " · ".join(parts)


def days_past_due_text(tr: Translator, days: int | None) -> str:
    if days is None:
        return tr.gettext("no due date")
    if days > 0:
        return tr.ngettext("%(count)s day past due", "%(count)s days past due", days) % {"count": tr.number(days)}
    if days == 0:
        return tr.gettext("due today")
    return tr.ngettext("due in %(count)s day", "due in %(count)s days", -days) % {"count": tr.number(-days)}


def customer_choices_message(
    tr: Translator,
    query: str,
    choices: list[CustomerChoice],
    more: bool,
    *,
    action_id: str = OPEN_CUSTOMER_ACTION,
    value_of: Callable[[int], str] = str,
    button_label: str | None = None,
) -> dict:
    """Build the list of customers matching `query`, each with a button.

    By default the button shows that customer; other subcommands pass their own action id,
    button value (built from the customer id) and translated button label.
    """
    intro = tr.gettext("Several customers match “%(query)s”. Choose one:") % {"query": _echo(query)}
    blocks = [section(intro)]

    for choice in choices:
        label = f"*{escape_mrkdwn(choice.name)}*  ({escape_mrkdwn(choice.code)})"
        accessory = button(button_label or tr.gettext("Show"), action_id, value_of(choice.customer_id))
        blocks.append(section(label, accessory=accessory, block_id=f"customer-{choice.customer_id}"))

    if more:
        blocks.append(context(
            tr.gettext("Only the first %(count)s matches are shown. Type more of the name, or the customer code.")
            % {"count": tr.number(len(choices))}
        ))
    return {"text": intro, "blocks": blocks}


def customer_not_found_message(tr: Translator, query: str) -> dict:
    """Build the reply for a query that matches no customer, echoing the query escaped."""
    text = tr.gettext(
        "No customer matches “%(query)s”. Check the spelling, or search by customer code, "
        "for example `/arrears customer C1001`. Part of the name also works."
    ) % {"query": _echo(query)}
    return {"text": text, "blocks": [section(text)]}


def customer_query_missing_message(tr: Translator) -> dict:
    """Build the reply to `/arrears customer` typed without a name or code."""
    text = tr.gettext("Which customer? Type part of its name or its code: `/arrears customer Acme`.")
    return {"text": text, "blocks": [section(text)]}


def customer_gone_message(tr: Translator) -> dict:
    """Build the reply to a choice button whose customer has since been deleted."""
    text = tr.gettext("That customer no longer exists. Search again with `/arrears customer`.")
    return {"text": text, "blocks": [section(text)]}


def _echo(query: str) -> str:
    return escape_mrkdwn(truncate(query, MAX_ECHOED_QUERY))

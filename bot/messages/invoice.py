"""Replies of `/arrears invoice`: one invoice with its history, a list of possible invoices, or no match."""

from __future__ import annotations

from bot.escape import escape_mrkdwn
from bot.i18n import N_, Translator
from bot.invoice_overview import InvoiceOverview
from bot.messages.activity_text import activity_line, actor_text
from bot.messages.blocks import (
    MAX_SECTION_TEXT,
    Block,
    button,
    context,
    divider,
    fields_section,
    header,
    join_lines_within,
    section,
    truncate,
)
from bot.messages.customer import days_past_due_text
from bot.messages.labels import DOCUMENT_KIND_LABELS, DOCUMENT_STATUS_LABELS, PROMISE_STATUS_LABELS, label_of
from bot.pauses import is_indefinite, is_paused
from bot.store.invoice_history import AppliedCreditNote, AppliedPayment, CoveringPromise
from bot.store.invoice_lookup import InvoiceCandidate
from bot.store.models import DocumentKind, DocumentStatus

# Labels used inside f-strings, where pybabel cannot see them, so they are marked here.
_NONE_RECORDED = N_("None recorded")

OPEN_INVOICE_ACTION = "arrears_open_invoice"

MAX_NUMBER = 100
MAX_NAME = 300
MAX_REASON = 300
MAX_REFERENCE = 100
MAX_ECHOED_NUMBER = 100
# Room left at the end of a list section for the line that counts the entries not shown.
MORE_LINE_ROOM = 200


def invoice_message(tr: Translator, overview: InvoiceOverview, zone_name: str) -> dict:
    """Build one invoice's details, promises, payments and credit notes, and its activity, newest first."""
    kind = label_of(tr, DOCUMENT_KIND_LABELS, overview.kind)
    title = tr.gettext("%(kind)s %(number)s") % {"kind": kind, "number": truncate(overview.number, MAX_NUMBER)}
    blocks: list[Block] = [header(title), fields_section(_detail_fields(tr, overview))]

    notes = _notes(tr, overview)
    if notes:
        blocks.append(context(" · ".join(notes)))

    blocks += [divider(), _promises_section(tr, overview.promises)]
    blocks += [divider(), _settlement_section(tr, overview)]
    blocks += [divider(), _activity_section(tr, overview)]
    blocks.append(context(
        tr.gettext("Balances as of %(date)s. Times are in %(zone)s.")
        % {"date": tr.date(overview.as_of), "zone": escape_mrkdwn(zone_name)}
    ))

    fallback = tr.gettext("%(kind)s %(number)s of %(customer)s") % {
        "kind": kind,
        "number": _escaped(overview.number, MAX_NUMBER),
        "customer": _escaped(overview.customer_name, MAX_NAME),
    }
    return {"text": fallback, "blocks": blocks}


def _detail_fields(tr: Translator, overview: InvoiceOverview) -> list[str]:
    customer = f"{_escaped(overview.customer_name, MAX_NAME)} ({_escaped(overview.customer_code, MAX_NAME)})"
    return [
        _field(tr.gettext("Customer"), customer),
        _field(tr.gettext("Owner"), _owner_text(tr, overview)),
        _field(tr.gettext("Amount"), tr.money(overview.amount, overview.currency)),
        _field(tr.gettext("Open balance"), _open_balance_text(tr, overview)),
        _field(tr.gettext("Due date"), tr.date(overview.due_date)),
        _field(tr.gettext("Days past due"), _age_text(tr, overview)),
        _field(tr.gettext("Status"), label_of(tr, DOCUMENT_STATUS_LABELS, overview.status)),
        _field(tr.gettext("Dunning level"), tr.number(overview.dunning_level)),
        _field(tr.gettext("Disputed"), _dispute_text(tr, overview)),
        _field(tr.gettext("Snoozed until"), _snooze_text(tr, overview)),
    ]


def _field(title: str, value: str) -> str:
    return f"*{title}*\n{value}"


def _owner_text(tr: Translator, overview: InvoiceOverview) -> str:
    if overview.owner_slack_user_id:
        return f"<@{overview.owner_slack_user_id}>"
    if overview.owner_name:
        return _escaped(overview.owner_name, MAX_NAME)
    return tr.gettext("No owner")


def _open_balance_text(tr: Translator, overview: InvoiceOverview) -> str:
    if overview.open_balance is not None:
        return tr.money(overview.open_balance, overview.currency)
    if overview.status != DocumentStatus.OPEN:
        return tr.gettext("None: void and draft documents are not receivables")
    return tr.gettext("None yet: issued after today")


def _age_text(tr: Translator, overview: InvoiceOverview) -> str:
    if overview.days_past_due is None:
        return tr.gettext("no due date")
    return f"{days_past_due_text(tr, overview.days_past_due)} ({tr.gettext(overview.bucket.label)})"


def _dispute_text(tr: Translator, overview: InvoiceOverview) -> str:
    if not overview.disputed:
        return tr.gettext("No")
    if overview.dispute_reason and overview.dispute_reason.strip():
        return tr.gettext("Yes: %(reason)s") % {"reason": _escaped(overview.dispute_reason.strip(), MAX_REASON)}
    return tr.gettext("Yes, no reason recorded")


def _snooze_text(tr: Translator, overview: InvoiceOverview) -> str:
    if overview.snoozed_until is None or overview.snoozed_until <= overview.as_of:
        return tr.gettext("Not snoozed")
    return tr.date(overview.snoozed_until)


def _notes(tr: Translator, overview: InvoiceOverview) -> list[str]:
    notes = [tr.gettext("Issued %(date)s") % {"date": tr.date(overview.issue_date)}]
    if overview.kind == DocumentKind.CREDIT_NOTE and overview.applies_to_number:
        notes.append(tr.gettext("Applied to invoice %(number)s")
                     % {"number": _escaped(overview.applies_to_number, MAX_NUMBER)})
    if is_paused(overview.customer_paused_until, overview.as_of):
        if is_indefinite(overview.customer_paused_until):
            notes.append(tr.gettext("Reminders for this customer are paused until someone resumes them"))
        else:
            notes.append(tr.gettext("Reminders for this customer are paused until %(date)s")
                         % {"date": tr.date(overview.customer_paused_until)})
    return notes


def _promises_section(tr: Translator, promises: tuple[CoveringPromise, ...]) -> Block:
    title = tr.gettext("*Promises to pay*")
    if not promises:
        return section(f"{title}\n{tr.gettext(_NONE_RECORDED)}")
    return _list_section(tr, title, [_promise_line(tr, promise) for promise in promises])


def _promise_line(tr: Translator, promise: CoveringPromise) -> str:
    line = tr.gettext("%(amount)s by %(date)s · %(status)s · logged by %(user)s") % {
        "amount": tr.money(promise.amount, promise.currency),
        "date": tr.date(promise.pay_by),
        "status": label_of(tr, PROMISE_STATUS_LABELS, promise.status),
        "user": actor_text(tr, promise.made_by),
    }
    if promise.invoice_count > 1:
        line += " · " + tr.ngettext("covers %(count)s invoice", "covers %(count)s invoices", promise.invoice_count) % {
            "count": tr.number(promise.invoice_count)
        }
    return "• " + line


def _settlement_section(tr: Translator, overview: InvoiceOverview) -> Block:
    title = tr.gettext("*Payments and credit notes*")
    lines = []
    if overview.reported_paid:
        lines.append(_reported_paid_line(tr, overview))
    lines += [_payment_line(tr, payment) for payment in overview.payments]
    lines += [_credit_note_line(tr, note) for note in overview.credit_notes]
    if not lines:
        return section(f"{title}\n{tr.gettext(_NONE_RECORDED)}")
    return _list_section(tr, title, lines)


def _reported_paid_line(tr: Translator, overview: InvoiceOverview) -> str:
    amount = tr.money(overview.reported_paid, overview.currency)
    if overview.settled_on is None:
        return "• " + tr.gettext("%(amount)s paid, as the imported export states") % {"amount": amount}
    return "• " + tr.gettext("%(amount)s paid on %(date)s, as the imported export states") % {
        "amount": amount, "date": tr.date(overview.settled_on),
    }


def _payment_line(tr: Translator, payment: AppliedPayment) -> str:
    line = tr.gettext("%(amount)s paid on %(date)s · payment %(reference)s") % {
        "amount": tr.money(payment.amount, payment.currency),
        "date": tr.date(payment.paid_on),
        "reference": _escaped(payment.reference, MAX_REFERENCE),
    }
    if payment.method:
        line += " · " + _escaped(payment.method, MAX_REFERENCE)
    return "• " + line


def _credit_note_line(tr: Translator, note: AppliedCreditNote) -> str:
    line = tr.gettext("Credit note %(number)s: %(amount)s, issued %(date)s") % {
        "number": _escaped(note.number, MAX_NUMBER),
        "amount": tr.money(note.amount, note.currency),
        "date": tr.date(note.issue_date),
    }
    if note.status != DocumentStatus.OPEN:
        line += " · " + tr.gettext("%(status)s, so it does not reduce the balance") % {
            "status": label_of(tr, DOCUMENT_STATUS_LABELS, note.status)
        }
    return "• " + line


def _activity_section(tr: Translator, overview: InvoiceOverview) -> Block:
    title = tr.gettext("*Activity, newest first*")
    if not overview.activity:
        return section(f"{title}\n{tr.gettext(_NONE_RECORDED)}")
    lines = [
        activity_line(tr, entry.occurred_at, entry.actor, entry.action, entry.details)
        for entry in overview.activity
    ]
    return _list_section(tr, title, lines, total=overview.activity_total)


def _list_section(tr: Translator, title: str, lines: list[str], total: int | None = None) -> Block:
    """Build a section of a title and as many lines as fit, ending with how many entries are not shown."""
    text, kept = join_lines_within([title] + lines, MAX_SECTION_TEXT - MORE_LINE_ROOM)
    hidden = (total if total is not None else len(lines)) - (kept - 1)
    if hidden > 0:
        text += "\n" + tr.ngettext("…and %(count)s more, not shown", "…and %(count)s more, not shown", hidden) % {
            "count": tr.number(hidden)
        }
    return section(text)


def invoice_choices_message(tr: Translator, typed: str, candidates: tuple[InvoiceCandidate, ...],
                            ambiguous: bool) -> dict:
    """Build the reply for a number that names no single invoice, with a button for each possible one."""
    if ambiguous:
        intro = tr.gettext("Several invoices are numbered “%(number)s” in different letter case. Choose one:")
    else:
        intro = tr.gettext("No invoice is numbered exactly “%(number)s”. These numbers contain it:")
    intro %= {"number": _echo(typed)}
    blocks = [section(intro)] + [_candidate_block(tr, candidate) for candidate in candidates]
    return {"text": intro, "blocks": blocks}


def _candidate_block(tr: Translator, candidate: InvoiceCandidate) -> Block:
    label = f"*{_escaped(candidate.number, MAX_NUMBER)}*  {_escaped(candidate.customer_name, MAX_NAME)} · " \
            f"{tr.money(candidate.amount, candidate.currency)}"
    accessory = button(tr.gettext("Show"), OPEN_INVOICE_ACTION, str(candidate.invoice_id))
    return section(label, accessory=accessory, block_id=f"invoice-{candidate.invoice_id}")


def invoice_not_found_message(tr: Translator, typed: str) -> dict:
    text = tr.gettext(
        "No invoice or credit note is numbered “%(number)s”, and no number contains it. "
        "Check the number on the invoice, or look the customer up with `/arrears customer`."
    ) % {"number": _echo(typed)}
    return {"text": text, "blocks": [section(text)]}


def invoice_number_missing_message(tr: Translator) -> dict:
    text = tr.gettext("Which invoice? Type its number: `/arrears invoice INV-1001`.")
    return {"text": text, "blocks": [section(text)]}


def invoice_gone_message(tr: Translator) -> dict:
    text = tr.gettext("That invoice is no longer in the database. Search again with `/arrears invoice`.")
    return {"text": text, "blocks": [section(text)]}


def _escaped(text: str, limit: int) -> str:
    return escape_mrkdwn(truncate(text, limit))


def _echo(typed: str) -> str:
    return _escaped(typed, MAX_ECHOED_NUMBER)


"""Block Kit blocks and the plain-text fallback of the digest message.

Pure functions from `DigestData` and a translator to a message: no store or Slack
calls. However many customers and currencies there are, the message stays within
Slack's limits: lists are cut with an "and N more" line, and currencies that do not
fit in 50 blocks are named in one closing line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.digest import lines
from bot.digest.data import DigestData
from bot.digest.fitting import MAX_HEADER_TEXT, MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT, fit_lines, shorten
from bot.i18n import Translator

Block = dict[str, Any]

# The customers listed per currency; more would bury the message in a busy channel.
TOP_CUSTOMERS_SHOWN = 5
# Per currency: a divider, the totals section and the top-customers section.
BLOCKS_PER_CURRENCY = 3
# The header, the changes section, the broken promises section, the closing context and the
# "more currencies" context.
FIXED_BLOCKS = 5
# The fallback text is for notifications and screen readers, so it stays short.
MAX_FALLBACK_TEXT = 3000


@dataclass(frozen=True)
class DigestMessage:
    text: str
    blocks: list[Block]


def build_digest_message(data: DigestData, tr: Translator) -> DigestMessage:
    return DigestMessage(text=build_digest_text(data, tr), blocks=build_digest_blocks(data, tr))


def build_digest_blocks(data: DigestData, tr: Translator) -> list[Block]:
    blocks = [_header(data, tr)]
    if not data.currencies:
        blocks.append(_section(tr.gettext("No open invoices or credits as of %(date)s.") % {"date": tr.date(data.as_of)}))
        return blocks

    shown, hidden = _split_currencies(data.currencies)
    for currency in shown:
        blocks.append({"type": "divider"})
        blocks.extend(_currency_blocks(data, currency, tr))

    if data.previous_as_of is not None and data.changes:
        blocks.append(_changes_section(data, tr))
    if data.broken_promises:
        blocks.append(_broken_promises_section(data, tr))
    if hidden:
        blocks.append(_context(lines.more_currencies(hidden, tr)))
    blocks.append(_context(tr.gettext("Amounts are per currency and never converted. Disputed invoices are included.")))
    return blocks


def build_digest_text(data: DigestData, tr: Translator) -> str:
    """Summarize the digest in one paragraph, for notifications and clients without blocks."""
    heading = tr.gettext("Receivables digest for %(date)s") % {"date": tr.date(data.as_of)}
    summaries = []
    for aging in data.summary.currencies:
        summaries.append(tr.ngettext(
            "%(currency)s: %(overdue)s overdue in %(count)s invoice, %(outstanding)s outstanding",
            "%(currency)s: %(overdue)s overdue in %(count)s invoices, %(outstanding)s outstanding",
            aging.overdue_count,
        ) % {
            "currency": aging.currency,
            "overdue": tr.money(aging.overdue_amount, aging.currency),
            "count": tr.number(aging.overdue_count),
            "outstanding": tr.money(aging.outstanding, aging.currency),
        })
    if not summaries:
        summaries.append(tr.gettext("No open invoices or credits."))
    return shorten(f"{heading}: " + "; ".join(summaries), MAX_FALLBACK_TEXT)


def _split_currencies(currencies: list[str]) -> tuple[list[str], list[str]]:
    fit = (MAX_MESSAGE_BLOCKS - FIXED_BLOCKS) // BLOCKS_PER_CURRENCY
    return currencies[:fit], currencies[fit:]


def _currency_blocks(data: DigestData, currency: str, tr: Translator) -> list[Block]:
    blocks = []
    aging = data.summary.for_currency(currency)
    if aging is not None:
        fields = [lines.bucket_field(total, currency, tr) for total in lines.shown_buckets(aging)]
        blocks.append(_section(lines.currency_totals(aging, tr), fields))

    top = data.top_customers_in(currency)
    if top:
        total = max(data.overdue_customer_counts.get(currency, 0), len(top))
        listed = top[:TOP_CUSTOMERS_SHOWN]
        text = fit_lines(
            lines.top_customers_heading(currency, tr),
            [lines.top_customer(customer, tr) for customer in listed],
            lambda count: lines.more_customers(count, tr),
            hidden=total - len(listed),
        )
        blocks.append(_section(text))
    return blocks


def _changes_section(data: DigestData, tr: Translator) -> Block:
    text = fit_lines(
        lines.changes_heading(data.previous_as_of, tr),
        [lines.currency_change(change, tr) for change in data.changes],
        lambda count: lines.more_lines(count, tr),
    )
    return _section(text)


def _broken_promises_section(data: DigestData, tr: Translator) -> Block:
    text = fit_lines(
        lines.broken_promises_heading(tr),
        [lines.broken_promise(promise, tr) for promise in data.broken_promises],
        lambda count: lines.more_lines(count, tr),
    )
    return _section(text)


def _header(data: DigestData, tr: Translator) -> Block:
    title = tr.gettext("Receivables digest: %(date)s") % {"date": tr.date(data.as_of)}
    return {"type": "header", "text": {"type": "plain_text", "text": shorten(title, MAX_HEADER_TEXT), "emoji": True}}


def _section(text: str, fields: list[str] | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": shorten(text, MAX_SECTION_TEXT)}}
    if fields:
        block["fields"] = [{"type": "mrkdwn", "text": field} for field in fields]
    return block


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": shorten(text, MAX_SECTION_TEXT)}]}

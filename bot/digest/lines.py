"""The translated lines of text the digest is made of, one function per kind of line."""

from __future__ import annotations

from decimal import Decimal

from bot.aging import Bucket
from bot.digest.fitting import shorten
from bot.escape import escape_mrkdwn
from bot.i18n import Translator
from bot.store.balances import BucketTotal, CurrencyAging, OverdueCustomer
from bot.store.broken_promises import BrokenPromise
from bot.store.digest_changes import CurrencyChange

# Customer names can be 500 characters long; a digest line shows the start of it.
MAX_NAME_CHARS = 80


def currency_totals(aging: CurrencyAging, tr: Translator) -> str:
    lines = [f"*{aging.currency}*"]
    lines.append(tr.ngettext(
        "Outstanding: %(amount)s in %(count)s invoice",
        "Outstanding: %(amount)s in %(count)s invoices",
        aging.outstanding_count,
    ) % {"amount": tr.money(aging.outstanding, aging.currency), "count": tr.number(aging.outstanding_count)})
    lines.append(tr.ngettext(
        "Overdue: %(amount)s in %(count)s invoice",
        "Overdue: %(amount)s in %(count)s invoices",
        aging.overdue_count,
    ) % {"amount": tr.money(aging.overdue_amount, aging.currency), "count": tr.number(aging.overdue_count)})

    if aging.disputed_count:
        lines.append(tr.ngettext(
            "Disputed, included above: %(amount)s in %(count)s invoice",
            "Disputed, included above: %(amount)s in %(count)s invoices",
            aging.disputed_count,
        ) % {"amount": tr.money(aging.disputed_amount, aging.currency), "count": tr.number(aging.disputed_count)})
    if aging.credits:
        lines.append(tr.gettext("Credits: %(credits)s · Net: %(net)s") % {
            "credits": tr.money(aging.credits, aging.currency),
            "net": tr.money(aging.net, aging.currency),
        })
    return "\n".join(lines)


def bucket_field(total: BucketTotal, currency: str, tr: Translator) -> str:
    count = tr.ngettext("%(count)s invoice", "%(count)s invoices", total.count) % {"count": tr.number(total.count)}
    return f"*{tr.gettext(total.bucket.label)}*\n{tr.money(total.amount, currency)} · {count}"


def shown_buckets(aging: CurrencyAging) -> list[BucketTotal]:
    """List every bucket, except "No due date" when it is empty (most ledgers have none)."""
    return [
        total for total in aging.buckets
        if total.bucket != Bucket.NO_DUE_DATE or total.count
    ]


def top_customers_heading(currency: str, tr: Translator) -> str:
    return tr.gettext("*Top overdue customers, %(currency)s*") % {"currency": currency}


def top_customer(customer: OverdueCustomer, tr: Translator) -> str:
    name = escape_mrkdwn(shorten(customer.customer_name, MAX_NAME_CHARS))
    code = escape_mrkdwn(shorten(customer.customer_code, MAX_NAME_CHARS))
    amount = tr.ngettext(
        "%(amount)s in %(count)s invoice",
        "%(amount)s in %(count)s invoices",
        customer.overdue_count,
    ) % {"amount": tr.money(customer.overdue_amount, customer.currency), "count": tr.number(customer.overdue_count)}
    days = tr.ngettext(
        "oldest %(days)s day past due",
        "oldest %(days)s days past due",
        customer.max_days_past_due,
    ) % {"days": tr.number(customer.max_days_past_due)}
    return f"{customer.rank}. *{name}* ({code}): {amount}, {days} · {owner_mention(customer, tr)}"


def owner_mention(customer: OverdueCustomer, tr: Translator) -> str:
    """Mention the owner when their Slack user id is stored, else show their escaped name."""
    if customer.owner_slack_user_id:
        return f"<@{escape_mrkdwn(customer.owner_slack_user_id)}>"
    if customer.owner_name:
        return escape_mrkdwn(shorten(customer.owner_name, MAX_NAME_CHARS))
    return tr.gettext("no owner")


def more_customers(count: int, tr: Translator) -> str:
    return tr.ngettext("…and %(count)s more customer", "…and %(count)s more customers", count) % {
        "count": tr.number(count),
    }


def more_currencies(hidden: list[str], tr: Translator) -> str:
    return tr.ngettext(
        "…and %(count)s more currency: %(currencies)s",
        "…and %(count)s more currencies: %(currencies)s",
        len(hidden),
    ) % {"count": tr.number(len(hidden)), "currencies": ", ".join(hidden)}


def more_lines(count: int, tr: Translator) -> str:
    return tr.ngettext("…and %(count)s more", "…and %(count)s more", count) % {"count": tr.number(count)}


def changes_heading(previous_as_of, tr: Translator) -> str:
    return tr.gettext("*What changed since %(date)s*") % {"date": tr.date(previous_as_of)}


def currency_change(change: CurrencyChange, tr: Translator) -> str:
    currency = change.currency
    newly = tr.ngettext(
        "%(count)s newly overdue invoice (%(amount)s)",
        "%(count)s newly overdue invoices (%(amount)s)",
        change.newly_overdue_count,
    ) % {"count": tr.number(change.newly_overdue_count), "amount": tr.money(change.newly_overdue_amount, currency)}
    paid = tr.ngettext(
        "%(count)s invoice paid or credited (%(amount)s)",
        "%(count)s invoices paid or credited (%(amount)s)",
        change.paid_count,
    ) % {"count": tr.number(change.paid_count), "amount": tr.money(change.paid_amount, currency)}
    overdue = tr.gettext("overdue %(change)s") % {"change": signed_money(change.overdue_change, currency, tr)}
    return f"*{currency}*: {newly} · {paid} · {overdue}"


def signed_money(amount: Decimal, currency: str, tr: Translator) -> str:
    """Format a change with an explicit sign: +¥100.00, −¥100.00, or "unchanged"."""
    if amount == 0:
        return tr.gettext("unchanged")
    sign = "+" if amount > 0 else "−"
    return sign + tr.money(abs(amount), currency)


def broken_promises_heading(tr: Translator) -> str:
    return tr.gettext("*Broken promises to pay*")


def broken_promise(promise: BrokenPromise, tr: Translator) -> str:
    if promise.owner_slack_user_id:
        owner = f"<@{escape_mrkdwn(promise.owner_slack_user_id)}>"
    elif promise.owner_name:
        owner = escape_mrkdwn(shorten(promise.owner_name, MAX_NAME_CHARS))
    else:
        owner = tr.gettext("no owner")
    return "• " + tr.gettext("*%(customer)s* (%(code)s): %(amount)s promised by %(date)s · %(owner)s") % {
        "customer": escape_mrkdwn(shorten(promise.customer_name, MAX_NAME_CHARS)),
        "code": escape_mrkdwn(shorten(promise.customer_code, MAX_NAME_CHARS)),
        "amount": tr.money(promise.amount, promise.currency),
        "date": tr.date(promise.pay_by),
        "owner": owner,
    }

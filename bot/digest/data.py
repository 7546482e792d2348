"""Everything the digest shows, gathered from the store in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bot.store.balances import AgingSummary, OverdueCustomer, aging_summary, top_overdue_customers
from bot.store.broken_promises import BrokenPromise, broken_promises
from bot.store.digest_changes import CurrencyChange, changes_since
from bot.store.overdue_customers import overdue_customer_counts

# Enough customers per currency for the longest list a digest can show; the builder
# truncates further to stay within Slack's limits.
TOP_CUSTOMERS_PER_CURRENCY = 10


@dataclass(frozen=True)
class DigestData:
    as_of: date
    summary: AgingSummary
    # Ranked within each currency, sorted by currency code and rank.
    top_customers: tuple[OverdueCustomer, ...]
    # Customers with overdue money, per currency, including those not in `top_customers`.
    overdue_customer_counts: dict[str, int]
    # The as-of date the changes are measured from, or None when there is nothing to compare.
    previous_as_of: date | None = None
    changes: tuple[CurrencyChange, ...] = ()
    # Promises marked broken whose invoices are still unpaid, oldest promised date first.
    broken_promises: tuple[BrokenPromise, ...] = ()

    @property
    def currencies(self) -> list[str]:
        """Every currency with outstanding money, credits or a change, sorted by code."""
        codes = {aging.currency for aging in self.summary.currencies}
        codes.update(change.currency for change in self.changes)
        return sorted(codes)

    def top_customers_in(self, currency: str) -> list[OverdueCustomer]:
        return [customer for customer in self.top_customers if customer.currency == currency]

    def change_in(self, currency: str) -> CurrencyChange | None:
        return next((change for change in self.changes if change.currency == currency), None)

    def totals_for_log(self) -> dict[str, dict[str, str | int]]:
        """Per-currency totals as JSON-ready strings, for the activity log."""
        return {
            aging.currency: {
                "outstanding": str(aging.outstanding),
                "outstanding_count": aging.outstanding_count,
                "overdue": str(aging.overdue_amount),
                "overdue_count": aging.overdue_count,
                "credits": str(aging.credits),
                "net": str(aging.net),
            }
            for aging in self.summary.currencies
        }


def gather_digest(
    session: Session,
    as_of: date,
    previous_as_of: date | None = None,
    *,
    top_customers_per_currency: int = TOP_CUSTOMERS_PER_CURRENCY,
) -> DigestData:
    """Query the aging, the top overdue customers and, with `previous_as_of`, what changed since."""
    changes: tuple[CurrencyChange, ...] = ()
    if previous_as_of is not None and previous_as_of < as_of:
        changes = tuple(changes_since(session, previous_as_of, as_of))
    else:
        previous_as_of = None

    return DigestData(
        as_of=as_of,
        summary=aging_summary(session, as_of),
        top_customers=tuple(top_overdue_customers(session, as_of, top_customers_per_currency)),
        overdue_customer_counts=overdue_customer_counts(session, as_of),
        previous_as_of=previous_as_of,
        changes=changes,
        broken_promises=tuple(broken_promises(session, as_of)),
    )

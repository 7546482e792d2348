"""Customer look-ups: search by name or code, and the latest recorded activity."""

from __future__ import annotations

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from bot.store.models import Activity, Customer, Invoice
from bot.store.search_text import fold_for_search


def customer_matches(session: Session, query: str, limit: int = 10) -> list[Customer]:
    """Find customers whose code or name contains `query`, ignoring case and width.

    An exact code match comes first, then a code that differs only in case, then
    the rest by name. `%` and `_` in the
    query match themselves. An empty query matches nothing.
    """
    text = query.strip()
    if not text:
        return []

    folded = fold_for_search(text)
    # search_text starts with the folded code and a newline (see customer_search_text).
    code_equal_ignoring_case = Customer.search_text.startswith(f"{folded}\n", autoescape=True)
    exact_code_first = case((Customer.code == text, 0), (code_equal_ignoring_case, 1), else_=2)
    statement = (
        select(Customer)
        .where(Customer.search_text.contains(folded, autoescape=True))
        .order_by(exact_code_first, Customer.name, Customer.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def last_activity(session: Session, customer_id: int) -> Activity | None:
    """Return the latest activity on the customer or on any of its invoices."""
    invoice_ids = select(Invoice.id).where(Invoice.customer_id == customer_id)
    statement = (
        select(Activity)
        .where(or_(Activity.customer_id == customer_id, Activity.invoice_id.in_(invoice_ids)))
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()

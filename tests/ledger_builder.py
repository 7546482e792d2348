"""Hand-made ledger rows for tests: owners, customers, invoices, credit notes and payments."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy.orm import Session

from bot.money import to_stored
from bot.store.models import Customer, DocumentKind, DocumentStatus, Invoice, Owner, Payment

CREATED_AT = datetime(2026, 1, 1, tzinfo=timezone.utc)


class LedgerBuilder:
    """Adds rows to a session and flushes, so each returned row has its id."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._payment_count = 0

    def _add(self, row):
        self.session.add(row)
        self.session.flush()
        return row

    def owner(self, key: str, name: str | None = None, slack_user_id: str | None = None) -> Owner:
        return self._add(Owner(
            key=key, display_name=name or key, slack_user_id=slack_user_id,
            created_at=CREATED_AT, updated_at=CREATED_AT,
        ))

    def customer(self, code: str, name: str | None = None, owner: Owner | None = None) -> Customer:
        return self._add(Customer(
            code=code, name=name or f"Customer {code}", owner_id=owner.id if owner else None,
            created_at=CREATED_AT, updated_at=CREATED_AT,
        ))

    def invoice(
        self,
        customer: Customer,
        number: str,
        amount: str,
        due: date | None,
        *,
        currency: str = "CNY",
        issued: date | None = date(2025, 12, 1),
        owner: Owner | None = None,
        status: str = DocumentStatus.OPEN,
        reported_paid: str = "0",
        settled_on: date | None = None,
        disputed: bool = False,
    ) -> Invoice:
        return self._add(Invoice(
            number=number, kind=DocumentKind.INVOICE, customer_id=customer.id,
            owner_id=owner.id if owner else None, currency=currency,
            amount_units=to_stored(Decimal(amount)), reported_paid_units=to_stored(Decimal(reported_paid)),
            issue_date=issued, due_date=due, settled_on=settled_on, status=status, disputed=disputed,
            created_at=CREATED_AT, updated_at=CREATED_AT,
        ))

    def credit_note(
        self,
        customer: Customer,
        number: str,
        amount: str,
        *,
        applies_to: Invoice | None = None,
        currency: str = "CNY",
        issued: date | None = date(2025, 12, 1),
        status: str = DocumentStatus.OPEN,
    ) -> Invoice:
        """Add a credit note; `amount` is the positive credit, stored as a negative document."""
        return self._add(Invoice(
            number=number, kind=DocumentKind.CREDIT_NOTE, customer_id=customer.id, currency=currency,
            amount_units=-to_stored(Decimal(amount)), reported_paid_units=0,
            issue_date=issued, due_date=None, applies_to_id=applies_to.id if applies_to else None,
            status=status, created_at=CREATED_AT, updated_at=CREATED_AT,
        ))

    def payment(
        self,
        customer: Customer,
        amount: str,
        paid_on: date | None,
        *,
        invoice: Invoice | None = None,
        currency: str = "CNY",
    ) -> Payment:
        self._payment_count += 1
        return self._add(Payment(
            reference=f"PAY-{self._payment_count}", customer_id=customer.id,
            invoice_id=invoice.id if invoice else None, currency=currency,
            amount_units=to_stored(Decimal(amount)), paid_on=paid_on, created_at=CREATED_AT,
        ))

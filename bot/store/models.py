"""SQLAlchemy models of the receivables ledger and of what the bot sends and records.

Money columns end in `_units` and hold integer counts of 1/10,000 of the currency unit
(see bot.money). Credit notes are documents with a negative amount.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.money import from_stored, to_stored
from bot.store.types import UtcDateTime
from bot.store.search_text import customer_search_text

# Stable constraint names, so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DocumentKind:
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class DocumentStatus:
    OPEN = "open"
    VOID = "void"
    # Not yet confirmed or invoiced (for example 未确认 in Chinese exports): kept, never aged or chased.
    DRAFT = "draft"


class OwnerRole:
    SALES = "sales"
    FINANCE = "finance"
    LEGAL = "legal"
    ADMIN = "admin"


class Owner(Base):
    """A person responsible for collecting invoices, as named in the exports."""

    __tablename__ = "owner"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The owner value exactly as the export has it: a name, an email or a Slack user id.
    key: Mapped[str] = mapped_column(String(255), unique=True)
    display_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320))
    slack_user_id: Mapped[str | None] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16), default=OwnerRole.SALES)
    # The owner's Slack locale, cached from users.info.
    locale: Mapped[str | None] = mapped_column(String(16))
    slack_checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


def _default_search_text(context) -> str:
    parameters = context.get_current_parameters()
    return customer_search_text(parameters["code"], parameters["name"])


class Customer(Base):
    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The customer key from the source system, kept as a string (leading zeros matter).
    code: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"))
    tier: Mapped[str] = mapped_column(String(32), default="normal")
    # Code and name folded by bot.store.search_text, for case-insensitive search on both stores.
    # Filled on INSERT by the column default and on ORM updates by a listener below.
    search_text: Mapped[str | None] = mapped_column(Text, default=_default_search_text)
    paused_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    owner: Mapped[Owner | None] = relationship()


class Invoice(Base):
    """An invoice or a credit note (negative amount) issued to a customer."""

    __tablename__ = "invoice"
    __table_args__ = (
        Index("ix_invoice_customer_due", "customer_id", "due_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The document number from the source system, kept as a string (0000611365 keeps its zeros).
    number: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default=DocumentKind.INVOICE)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    # The invoice's own owner; when empty, the customer's owner is responsible.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount_units: Mapped[int] = mapped_column(BigInteger)
    # Paid amount stated by the export itself, as opposed to itemized payments.
    reported_paid_units: Mapped[int] = mapped_column(BigInteger, default=0)
    issue_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    # When the export says the reported paid amount arrived; empty means "already, as of import".
    settled_on: Mapped[date | None] = mapped_column(Date)
    # For a credit note applied to one invoice: that invoice.
    applies_to_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=DocumentStatus.OPEN)
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    dispute_reason: Mapped[str | None] = mapped_column(Text)
    dunning_level: Mapped[int] = mapped_column(Integer, default=0)
    # The first local day on which chasing resumes.
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    # The local day of the last reminder that named this invoice; tier repeat intervals count from it.
    last_reminded_on: Mapped[date | None] = mapped_column(Date)
    source_file: Mapped[str | None] = mapped_column(String(500))
    source_row: Mapped[int | None] = mapped_column(Integer)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    customer: Mapped[Customer] = relationship()
    owner: Mapped[Owner | None] = relationship()

    @property
    def amount(self) -> Decimal:
        return from_stored(self.amount_units)

    @amount.setter
    def amount(self, value: Decimal) -> None:
        self.amount_units = to_stored(value)


class Payment(Base):
    """Money received: applied to one invoice, or unapplied on the customer's account."""

    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(255), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount_units: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str | None] = mapped_column(String(64))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    @property
    def amount(self) -> Decimal:
        return from_stored(self.amount_units)


class ImportBatch(Base):
    """One run of `arrears import` over one file."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64))
    table_kind: Mapped[str] = mapped_column(String(32))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_written: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Activity(Base):
    """One entry of the append-only activity log: a message sent or an action taken."""

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_customer_time", "customer_id", "occurred_at"),
        Index("ix_activity_invoice_time", "invoice_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    # A Slack user id, or "system" for the scheduler and "cli" for the command line.
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"))
    channel: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    # An idempotency key: a Slack action or job step recorded once, however often it is delivered.
    dedup_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ReminderCard(Base):
    """A reminder card sent to one recipient about one customer on one local day.

    The unique key is claimed before the message is sent, so two runs on the same day
    (or two replicas) cannot both send it.
    """

    __tablename__ = "reminder_card"
    __table_args__ = (UniqueConstraint("recipient_key", "customer_id", "sent_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "owner:<id>" for a direct message; in the fallback channel "channel:<channel id>:owner:<id>"
    # for an owner without a Slack user, or "channel:<channel id>" for invoices without an owner.
    # "queue:<Slack user id>" is a card of `/arrears mine`, stored on its first button press.
    recipient_key: Mapped[str] = mapped_column(String(64))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    sent_on: Mapped[date] = mapped_column(Date)
    locale: Mapped[str] = mapped_column(String(16))
    # "claimed" until chat.postMessage succeeds, then "sent"; "failed" keeps the error in `error`,
    # and "skipped" (nothing was left to chase when the card was about to be sent) keeps the reason there.
    # "notice_only" marks a card whose level sends nothing to the owner, so only the level's notice went out.
    # "on_request" marks a queue card, which is ephemeral and so has no message_ts.
    state: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    # What the card was sent with, set when it is marked sent, so that a redraw after a button
    # press shows the same invoices and tone. NULL on cards sent before these columns existed.
    invoice_ids: Mapped[list[int] | None] = mapped_column(JSON)
    kind: Mapped[str | None] = mapped_column(String(16))
    level: Mapped[int | None] = mapped_column(Integer)
    tone: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DigestPost(Base):
    """The digest posted to one channel for one as-of date; claimed before posting."""

    __tablename__ = "digest_post"
    __table_args__ = (UniqueConstraint("channel", "as_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


@event.listens_for(Customer, "before_update")
def _refresh_search_text(_mapper, _connection, target: Customer) -> None:
    # NOTE: a Core `update(Customer)` statement bypasses this listener and must set search_text itself.
    target.search_text = customer_search_text(target.code, target.name)


class PromiseStatus:
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"
    # Replaced by a newer promise for the same invoices.
    SUPERSEDED = "superseded"


class Promise(Base):
    """A customer's promise to pay an amount by a date, covering one or more invoices."""

    __tablename__ = "promise"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    # The Slack user who logged the promise.
    made_by: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    amount_units: Mapped[int] = mapped_column(BigInteger)
    pay_by: Mapped[date] = mapped_column(Date)
    # Open balance of the covered invoices when the promise was made; payment is measured against it.
    balance_when_made_units: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default=PromiseStatus.OPEN, index=True)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    invoices: Mapped[list["Invoice"]] = relationship(secondary="promise_invoice")

    @property
    def amount(self) -> Decimal:
        return from_stored(self.amount_units)


class PromiseInvoice(Base):
    __tablename__ = "promise_invoice"

    promise_id: Mapped[int] = mapped_column(ForeignKey("promise.id", ondelete="CASCADE"), primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), primary_key=True, index=True)


@event.listens_for(Activity, "before_update")
def _reject_activity_update(_mapper, _connection, target: Activity) -> None:
    raise RuntimeError(f"activity {target.id} is append-only and cannot be updated")


@event.listens_for(Activity, "before_delete")
def _reject_activity_delete(_mapper, _connection, target: Activity) -> None:
    raise RuntimeError(f"activity {target.id} is append-only and cannot be deleted")

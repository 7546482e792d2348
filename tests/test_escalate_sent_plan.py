from datetime import date

from sqlalchemy import select

from bot.policy import load_policy
from bot.reminders.card_actions import ActionContext, escalate
from bot.store.db import transaction
from bot.store.models import Invoice, ReminderCard
from tests.ledger_builder import CREATED_AT, LedgerBuilder


def test_escalate_only_invoices_on_sent_card(database_url, make_services):
    services = make_services(database_url)
    with transaction(services.sessions) as session:
        ledger = LedgerBuilder(session)
        owner = ledger.owner("alice@example.com", "Alice", slack_user_id="U0ALICE")
        customer = ledger.customer("K-1", "上海海川贸易有限公司", owner=owner)
        listed = [ledger.invoice(customer, f"XS-{n}", "1000", date(2026, 2, 1), owner=owner) for n in (1, 2)]
        ledger.invoice(customer, "XS-3", "500", date(2026, 2, 1), owner=owner)
        card = ReminderCard(
            recipient_key=f"owner:{owner.id}", owner_id=owner.id, customer_id=customer.id, sent_on=date(2026, 3, 16),
            locale="en", state="sent", channel="D0ALICE", message_ts="1.1",
            invoice_ids=[invoice.id for invoice in listed], kind="level", level=1, tone="friendly",
            created_at=CREATED_AT, updated_at=CREATED_AT,
        )
        session.add(card)
        session.flush()
        card_id = card.id

    context = ActionContext("U0ALICE", card_id, "D0ALICE", "1.1", "test:escalate:1")
    result = escalate(services, context, load_policy(None), 2)

    assert sorted(invoice.number for invoice in result.invoices) == ["XS-1", "XS-2"]
    with services.sessions() as session:
        levels = dict(session.execute(select(Invoice.number, Invoice.dunning_level)).all())
    assert levels == {"XS-1": 2, "XS-2": 2, "XS-3": 0}

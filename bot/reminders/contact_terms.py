"""The words of a logged contact: how the customer was reached and the outcome.

The stored values (`phone`, `promised`, ...) go into the activity log; the labels are for the
Log contact form and the phrases for the line the card shows afterwards.
"""

from __future__ import annotations

from enum import StrEnum

from bot.i18n import N_


class ContactChannel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    VISIT = "visit"
    CHAT = "chat"


class ContactOutcome(StrEnum):
    PROMISED = "promised"
    WILL_PAY = "will_pay"
    DISPUTE = "dispute"
    NOT_RECEIVED = "not_received"
    NO_ANSWER = "no_answer"
    WRONG_CONTACT = "wrong_contact"
    ALREADY_PAID = "already_paid"


CHANNEL_LABELS = {
    ContactChannel.PHONE: N_("Phone"),
    ContactChannel.EMAIL: N_("Email"),
    ContactChannel.VISIT: N_("Visit"),
    ContactChannel.CHAT: N_("Chat"),
}

OUTCOME_LABELS = {
    ContactOutcome.PROMISED: N_("Promised to pay"),
    ContactOutcome.WILL_PAY: N_("Will pay / awaiting approval"),
    ContactOutcome.DISPUTE: N_("Dispute"),
    ContactOutcome.NOT_RECEIVED: N_("Invoice not received"),
    ContactOutcome.NO_ANSWER: N_("No answer"),
    ContactOutcome.WRONG_CONTACT: N_("Wrong contact"),
    ContactOutcome.ALREADY_PAID: N_("Says already paid"),
}

# "%(user)s logged ...: %(outcome)s", one sentence per channel so that translators see it whole.
LOGGED_SENTENCES = {
    ContactChannel.PHONE: N_("%(user)s logged a call: %(outcome)s"),
    ContactChannel.EMAIL: N_("%(user)s logged an email: %(outcome)s"),
    ContactChannel.VISIT: N_("%(user)s logged a visit: %(outcome)s"),
    ContactChannel.CHAT: N_("%(user)s logged a chat: %(outcome)s"),
}

# The outcome as the card's activity line states it; PROMISED has its own sentence with amount and date.
OUTCOME_PHRASES = {
    ContactOutcome.WILL_PAY: N_("will pay, awaiting approval"),
    ContactOutcome.DISPUTE: N_("disputes the invoices"),
    ContactOutcome.NOT_RECEIVED: N_("invoice not received"),
    ContactOutcome.NO_ANSWER: N_("no answer"),
    ContactOutcome.WRONG_CONTACT: N_("wrong contact"),
    ContactOutcome.ALREADY_PAID: N_("says already paid"),
}
PROMISED_PHRASE = N_("promised %(amount)s by %(date)s")

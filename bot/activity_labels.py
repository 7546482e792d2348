"""Readable names of the actions recorded in the activity log, shared by every place that shows them."""

from __future__ import annotations

from bot.i18n import N_, Translator

# An action missing here is shown under its stored key.
ACTION_LABELS = {
    "import.completed": N_("Import completed"),
    "digest.posted": N_("Digest posted"),
    "reminder.sent": N_("Reminder sent"),
    "reminder.skipped": N_("Reminder skipped"),
    "reminder.undeliverable": N_("Reminder undeliverable"),
    "reminder.action": N_("Reminder card button pressed"),
    "reminder.log_contact_pressed": N_("Log contact pressed"),
    "reminder.snooze_pressed": N_("Snooze pressed"),
    "reminder.escalate_pressed": N_("Escalate pressed"),
    "reminder.dispute_pressed": N_("Dispute pressed"),
    "reminder.resolve_dispute_pressed": N_("Resolve dispute pressed"),
    "contact.logged": N_("Contact logged"),
    "promise.made": N_("Promise to pay made"),
    "promise.kept": N_("Promise to pay kept"),
    "promise.broken": N_("Promise to pay broken"),
    "promise.superseded": N_("Promise to pay superseded"),
    "invoice.snoozed": N_("Invoice snoozed"),
    "invoice.escalated": N_("Invoice escalated"),
    "invoice.disputed": N_("Invoice disputed"),
    "invoice.dispute_resolved": N_("Invoice dispute resolved"),
    "invoice.level_notified": N_("Dunning level notice sent"),
    "customer.paused": N_("Customer paused"),
    "customer.resumed": N_("Customer resumed"),
    "customer.owner_changed": N_("Customer owner changed"),
}


def action_label(tr: Translator, action: str) -> str:
    """Return the translated name of an activity action, or the action key itself when it has no name."""
    label = ACTION_LABELS.get(action)
    return tr.gettext(label) if label else action

"""Pausing reminders for a customer: until a date, or until someone resumes them.

`Customer.paused_until` is the first local day on which chasing resumes (see
bot.reminders.selection.skip_reason). A pause without an end date is stored as
INDEFINITE_PAUSE_UNTIL, the largest date both SQLite and PostgreSQL accept from Python,
so every query that compares `paused_until` with a day keeps working unchanged and no
schema change is needed. Show such a pause as "until resumed", never as a date.
"""

from __future__ import annotations

from datetime import date

INDEFINITE_PAUSE_UNTIL = date.max


def is_indefinite(paused_until: date | None) -> bool:
    return paused_until == INDEFINITE_PAUSE_UNTIL


def is_paused(paused_until: date | None, as_of: date) -> bool:
    """Return whether reminders for a customer with this `paused_until` are held back on `as_of`."""
    return paused_until is not None and paused_until > as_of

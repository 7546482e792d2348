"""Activity log entries as message text: who acted, when, and what."""

from __future__ import annotations

import re
from datetime import datetime

from babel.dates import format_time

from bot.activity_labels import action_label
from bot.escape import escape_mrkdwn
from bot.i18n import Translator
from bot.messages.blocks import truncate

_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
# Detail keys whose text is worth a reader's attention, in the order they are looked up.
NOTE_KEYS = ("note", "reason")
MAX_NOTE = 200


def actor_text(tr: Translator, actor: str) -> str:
    """Return a mention for a Slack user id, a name for the bot's own actors, or the escaped actor."""
    if _SLACK_USER_ID.fullmatch(actor):
        return f"<@{actor}>"
    if actor == "system":
        return tr.gettext("arrears (automatic)")
    if actor == "cli":
        return tr.gettext("arrears command line")
    return escape_mrkdwn(truncate(actor, 64))


def local_time_text(tr: Translator, moment: datetime) -> str:
    """Format a datetime that is already in the configured zone as its date and short time."""
    return f"{tr.date(moment.date())} {format_time(moment, format='short', locale=tr.babel_locale)}"


def activity_line(tr: Translator, occurred_at: datetime, actor: str, action: str, details: dict | None) -> str:
    parts = [local_time_text(tr, occurred_at), escape_mrkdwn(action_label(tr, action)), actor_text(tr, actor)]
    note = _note(details)
    if note:
        parts.append(escape_mrkdwn(truncate(note, MAX_NOTE)))
    return "• " + " · ".join(parts)


def _note(details: dict | None) -> str | None:
    if not isinstance(details, dict):
        return None
    for key in NOTE_KEYS:
        value = details.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None

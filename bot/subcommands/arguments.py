"""Parsing the text people type after a subcommand: plain text, user mentions and dates.

With "Escape channels, users, and links" on (manifest `should_escape: true`), Slack sends
a mention as `<@U123|name>` or `<@U123>`, a channel as `<#C123|name>`, a link as
`<https://…|label>`, and `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_BARE_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_CHANNEL = re.compile(r"<#[CG][A-Z0-9]+\|([^>]*)>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]*)(?:\|([^>]*))?>")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOOKS_LIKE_DAY = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
UNTIL = "until"


def plain_text(text: str) -> str:
    """Turn Slack's formatted command text into what the person typed: labels for links and channels, unescaped."""
    text = _CHANNEL.sub(lambda match: "#" + match[1], text)
    text = _LINK.sub(lambda match: match[2] or match[1].removeprefix("mailto:"), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@dataclass(frozen=True)
class OwnerArguments:
    customer_query: str
    # None when the text names no user the way Slack sends a mention or a user id.
    slack_user_id: str | None


def parse_owner_arguments(argument: str) -> OwnerArguments:
    """Split `<customer> @user` into the customer query and the mentioned user's id.

    The user is the last mention in the text, or a bare user id (U…/W…) typed as the last word.
    """
    mentions = list(_MENTION.finditer(argument))
    if mentions:
        last = mentions[-1]
        query = argument[: last.start()] + argument[last.end():]
        return OwnerArguments(plain_text(query).strip(), last[1])

    words = argument.split()
    if len(words) >= 2 and _BARE_USER_ID.fullmatch(words[-1]):
        return OwnerArguments(plain_text(" ".join(words[:-1])).strip(), words[-1])
    return OwnerArguments(plain_text(argument).strip(), None)


@dataclass(frozen=True)
class PauseArguments:
    customer_query: str
    # The end date as typed, or None for a pause until someone resumes it.
    until_text: str | None


def parse_pause_arguments(argument: str) -> PauseArguments:
    """Split `<customer> [until YYYY-MM-DD]` into the customer query and the date text.

    A last word that looks like a date counts as the date even without `until`. After
    `until`, the last word is the date text whatever it looks like, so that a mistyped date
    gets an error instead of becoming part of the customer's name.
    """
    text = plain_text(argument).strip()
    words = text.split()
    if len(words) >= 3 and words[-2].lower() == UNTIL:
        return PauseArguments(" ".join(words[:-2]), words[-1])
    if len(words) >= 2 and _LOOKS_LIKE_DAY.fullmatch(words[-1]):
        return PauseArguments(" ".join(words[:-1]), words[-1])
    return PauseArguments(text, None)


def parse_day(text: str) -> date:
    """Read a calendar day written as YYYY-MM-DD; raise ValueError for anything else."""
    if not _ISO_DAY.fullmatch(text):
        raise ValueError(f"invalid date {text!r}; write it as YYYY-MM-DD")
    return date.fromisoformat(text)

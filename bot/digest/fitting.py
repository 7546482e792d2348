"""Fitting text into Slack's Block Kit limits without losing count of what was left out."""

from __future__ import annotations

from typing import Callable

# Limits from Slack's Block Kit reference (api.slack.com/reference/block-kit/blocks).
MAX_MESSAGE_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, marking the cut with an ellipsis.

    Cut user text before escaping it, so an entity such as `&amp;` is never split.
    """
    if len(text) <= limit:
        return text
    return text[: max(limit - len(ELLIPSIS), 0)] + ELLIPSIS


def fit_lines(
    heading: str,
    lines: list[str],
    more_line: Callable[[int], str],
    *,
    hidden: int = 0,
    limit: int = MAX_SECTION_TEXT,
) -> str:
    """Join `heading` and as many `lines` as fit in `limit` characters.

    When lines are left out, or `hidden` more items were never turned into lines,
    `more_line(count)` ends the text, for example "and 12 more".
    """
    heading = shorten(heading, limit // 4)
    shown: list[str] = []
    for line in lines:
        if len(_join(heading, [*shown, line], more_line, len(lines) - len(shown) - 1 + hidden)) > limit:
            break
        shown.append(line)
    return _join(heading, shown, more_line, len(lines) - len(shown) + hidden)


def _join(heading: str, shown: list[str], more_line: Callable[[int], str], remaining: int) -> str:
    parts = [heading, *shown]
    if remaining > 0:
        parts.append(more_line(remaining))
    return "\n".join(part for part in parts if part)

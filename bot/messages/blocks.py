"""Small Block Kit builders that keep text within Slack's limits."""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
ELLIPSIS = "…"

Block = dict[str, Any]


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, ending with an ellipsis when it was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - len(ELLIPSIS)] + ELLIPSIS


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, MAX_HEADER_TEXT), "emoji": True}}


def section(text: str, **extra: Any) -> Block:
    """A mrkdwn section; `text` must already be escaped where it contains user text."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)}, **extra}


def fields_section(fields: list[str], text: str | None = None) -> Block:
    """Build a section of up to 10 mrkdwn fields, with an optional text above them."""
    if len(fields) > 10:
        raise ValueError(f"a section takes at most 10 fields, got {len(fields)}")
    block: Block = {
        "type": "section",
        "fields": [{"type": "mrkdwn", "text": truncate(field, MAX_FIELD_TEXT)} for field in fields],
    }
    if text:
        block["text"] = {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)}
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)}]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(text, MAX_BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def join_lines_within(lines: list[str], limit: int = MAX_SECTION_TEXT) -> tuple[str, int]:
    """Join as many whole lines as fit in `limit` characters. Return the text and the number of lines kept."""
    kept: list[str] = []
    length = 0
    for line in lines:
        added = len(line) + (1 if kept else 0)
        if length + added > limit:
            break
        kept.append(line)
        length += added
    return "\n".join(kept), len(kept)

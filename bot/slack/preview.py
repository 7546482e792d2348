"""A plain-text rendering of Block Kit blocks, for `--dry-run` output in a terminal.

It shows what a reader would see, not the exact Slack layout: headers are underlined,
fields are listed one per line, buttons show as `[Label]`, and mrkdwn controls such
as `<@U123>` and `&lt;` are turned back into readable text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable

DIVIDER = "─" * 40

# <@U123>, <#C123|name>, <!channel>, <!date^...|fallback>, <https://x|label>, <https://x>
_CONTROL = re.compile(r"<([^<>]*)>")


def render_text(blocks: Iterable[dict[str, Any]]) -> str:
    """Render blocks as lines of text, with a blank line between blocks."""
    rendered = [_render_block(block) for block in blocks]
    return "\n\n".join(part for part in rendered if part)


def _render_block(block: dict[str, Any]) -> str:
    kind = block.get("type")
    if kind == "header":
        title = _text(block.get("text"))
        return f"{title}\n{'=' * max(_display_width(title), 3)}"
    if kind == "section":
        return _render_section(block)
    if kind == "context":
        return "  ".join(_element(element) for element in block.get("elements", []))
    if kind == "actions":
        return " ".join(_element(element) for element in block.get("elements", []))
    if kind == "divider":
        return DIVIDER
    if kind == "image":
        return f"[image: {block.get('alt_text', '')}]"
    if kind == "input":
        return f"{_text(block.get('label'))}: {_element(block.get('element', {}))}"
    # Any other block type is shown by name, so nothing disappears silently from a preview.
    return f"[{kind} block]"


def _render_section(block: dict[str, Any]) -> str:
    lines = []
    if block.get("text"):
        lines.append(_text(block["text"]))
    for field in block.get("fields", []):
        lines.append(f"  {_text(field)}".replace("\n", "\n  "))
    if block.get("accessory"):
        lines.append(f"  {_element(block['accessory'])}")
    return "\n".join(lines)


def _element(element: dict[str, Any]) -> str:
    kind = element.get("type")
    if kind in ("mrkdwn", "plain_text"):
        return _text(element)
    if kind == "button":
        return f"[{_text(element.get('text'))}]"
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    if kind == "overflow":
        return "[…]"
    placeholder = element.get("placeholder") or element.get("initial_option", {}).get("text")
    label = _text(placeholder) if placeholder else kind
    return f"[{label} ▾]"


def _text(text: dict[str, Any] | None) -> str:
    if not text:
        return ""
    value = str(text.get("text", ""))
    if text.get("type") == "mrkdwn":
        return _readable_mrkdwn(value)
    return value


def _readable_mrkdwn(value: str) -> str:
    value = _CONTROL.sub(lambda match: _readable_control(match.group(1)), value)
    # Unescape last, so escaped user text such as &lt;!channel&gt; shows as typed.
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _readable_control(inner: str) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + (label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!date"):
        return label or target
    if target.startswith("!"):
        return "@" + (label or target[1:].split("^", 1)[0])
    if label:
        return f"{label} ({target})"
    return target


def _display_width(text: str) -> int:
    # Wide characters such as 汉字 take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)

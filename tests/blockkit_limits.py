"""Block Kit limits as Slack documents them, checked the way Slack rejects a message.

Sources: https://api.slack.com/reference/block-kit/blocks and .../block-elements
(limits as published for section, header, context, actions, input blocks and buttons).
"""

from __future__ import annotations

from typing import Any

MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
MAX_MESSAGE_TEXT = 40_000
MAX_SECTION_TEXT = 3_000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2_000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2_000
MAX_ID = 255
MAX_INPUT_LABEL = 2_000
MAX_VIEW_TITLE = 24
MAX_VIEW_PRIVATE_METADATA = 3_000
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75


def _text(obj: Any) -> str:
    if isinstance(obj, dict):
        return str(obj.get("text", ""))
    return ""


def validate_blocks(blocks: list[dict[str, Any]], *, max_blocks: int = MAX_BLOCKS_MESSAGE) -> list[str]:
    """Return one message per broken limit; an empty list means Slack would accept the blocks."""
    errors: list[str] = []
    if not isinstance(blocks, list):
        return ["blocks must be an array"]
    if len(blocks) > max_blocks:
        errors.append(f"must contain at most {max_blocks} blocks, got {len(blocks)}")
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"[{index}]"
        kind = block.get("type")
        block_id = block.get("block_id")
        if block_id is not None:
            if len(block_id) > MAX_ID:
                errors.append(f"{where} block_id longer than {MAX_ID}")
            if block_id in block_ids:
                errors.append(f"{where} duplicate block_id {block_id!r}")
            block_ids.add(block_id)
        if kind == "section":
            errors += _check_section(block, where)
        elif kind == "header":
            text = _text(block.get("text"))
            if not text:
                errors.append(f"{where} header text is empty")
            if len(text) > MAX_HEADER_TEXT:
                errors.append(f"{where} header text longer than {MAX_HEADER_TEXT}")
        elif kind == "context":
            elements = block.get("elements") or []
            if not elements:
                errors.append(f"{where} context has no elements")
            if len(elements) > MAX_CONTEXT_ELEMENTS:
                errors.append(f"{where} context has more than {MAX_CONTEXT_ELEMENTS} elements")
            for element in elements:
                if len(_text(element)) > MAX_SECTION_TEXT:
                    errors.append(f"{where} context text longer than {MAX_SECTION_TEXT}")
        elif kind == "actions":
            elements = block.get("elements") or []
            if not elements:
                errors.append(f"{where} actions has no elements")
            if len(elements) > MAX_ACTIONS_ELEMENTS:
                errors.append(f"{where} actions has more than {MAX_ACTIONS_ELEMENTS} elements")
            errors += _check_elements(elements, where)
        elif kind == "input":
            if len(_text(block.get("label"))) > MAX_INPUT_LABEL:
                errors.append(f"{where} input label longer than {MAX_INPUT_LABEL}")
            if "element" not in block:
                errors.append(f"{where} input has no element")
            else:
                errors += _check_elements([block["element"]], where)
        elif kind in ("divider", "image", "rich_text", "file", "video"):
            pass
        else:
            errors.append(f"{where} unknown block type {kind!r}")
    return errors


def _check_section(block: dict[str, Any], where: str) -> list[str]:
    errors = []
    text = _text(block.get("text"))
    fields = block.get("fields") or []
    if not text and not fields:
        errors.append(f"{where} section needs text or fields")
    if len(text) > MAX_SECTION_TEXT:
        errors.append(f"{where} section text longer than {MAX_SECTION_TEXT}")
    if len(fields) > MAX_SECTION_FIELDS:
        errors.append(f"{where} section has more than {MAX_SECTION_FIELDS} fields")
    for field in fields:
        if len(_text(field)) > MAX_FIELD_TEXT:
            errors.append(f"{where} field text longer than {MAX_FIELD_TEXT}")
    if "accessory" in block:
        errors += _check_elements([block["accessory"]], where)
    return errors


def _check_elements(elements: list[dict[str, Any]], where: str) -> list[str]:
    errors = []
    for element in elements:
        action_id = element.get("action_id")
        if action_id is not None and len(action_id) > MAX_ID:
            errors.append(f"{where} action_id longer than {MAX_ID}")
        if element.get("type") == "button":
            if len(_text(element.get("text"))) > MAX_BUTTON_TEXT:
                errors.append(f"{where} button text longer than {MAX_BUTTON_TEXT}")
            if len(str(element.get("value", ""))) > MAX_BUTTON_VALUE:
                errors.append(f"{where} button value longer than {MAX_BUTTON_VALUE}")
        options = element.get("options")
        if options is not None:
            if len(options) > MAX_OPTIONS:
                errors.append(f"{where} more than {MAX_OPTIONS} options")
            for option in options:
                if len(_text(option.get("text"))) > MAX_OPTION_TEXT:
                    errors.append(f"{where} option text longer than {MAX_OPTION_TEXT}")
    return errors


def validate_view(view: dict[str, Any]) -> list[str]:
    errors = validate_blocks(view.get("blocks", []), max_blocks=MAX_BLOCKS_VIEW)
    for key in ("title", "submit", "close"):
        if key in view and len(_text(view[key])) > MAX_VIEW_TITLE:
            errors.append(f"view {key} longer than {MAX_VIEW_TITLE}")
    if len(view.get("private_metadata", "")) > MAX_VIEW_PRIVATE_METADATA:
        errors.append(f"private_metadata longer than {MAX_VIEW_PRIVATE_METADATA}")
    return errors

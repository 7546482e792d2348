"""Replies to people who lack the role a subcommand needs, naming the roles that have it."""

from __future__ import annotations

from babel.lists import format_list

from bot.i18n import Translator
from bot.messages.blocks import section


def role_list(tr: Translator, labels: list[str]) -> str:
    """Join translated role names as the locale writes a list of alternatives ("a, b, or c")."""
    return format_list(labels, style="or", locale=tr.babel_locale)


def balances_not_allowed_message(tr: Translator, role_labels: list[str]) -> dict:
    """Build the reply for someone who may not see balances; it shows no customer data at all."""
    text = tr.gettext(
        "You are not allowed to see balances. Only people with one of these roles can: %(roles)s. "
        "Ask your arrears administrator for access."
    ) % {"roles": role_list(tr, [tr.gettext(label) for label in role_labels])}
    return {"text": text, "blocks": [section(text)]}

"""Buttons that finish a changing subcommand once the person picks one customer from a list of matches.

The value is `<subcommand>:<customer id>:<argument>`, for example `pause:42:2026-04-30`,
`resume:42:` or `owner:42:U0123ABCD`. The argument is already checked and in a canonical
form; the subcommand checks it, and the person's roles, again when the button is pressed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHOOSE_CUSTOMER_ACTION = "arrears_choose_customer"
_VALUE_PATTERN = re.compile(r"([a-z]{1,20}):([0-9]{1,18}):([A-Za-z0-9-]{0,40})")


@dataclass(frozen=True)
class CustomerChoiceValue:
    subcommand: str
    customer_id: int
    argument: str


def choice_value(subcommand: str, customer_id: int, argument: str = "") -> str:
    return f"{subcommand}:{customer_id}:{argument}"


def parse_choice_value(value: str) -> CustomerChoiceValue:
    """Read a choice button's value; raise ValueError for anything else."""
    match = _VALUE_PATTERN.fullmatch(value)
    if match is None:
        raise ValueError(f"invalid customer choice value {value!r}; expected <subcommand>:<customer id>:<argument>")
    return CustomerChoiceValue(match[1], int(match[2]), match[3])

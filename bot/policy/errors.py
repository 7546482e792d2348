"""Errors in a reminder policy file, each naming the file, the key path and the value.

Messages are gettext templates with named placeholders, so the CLI can show them in
the reader's language; `str(error)` gives the English text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from bot.i18n import N_

POLICY_ERROR_TYPE = "arrears_policy"

# Shown instead of a value when the key is absent.
_NO_VALUE = object()
_MAX_VALUE_CHARS = 80

# Messages for pydantic's own error types, keyed by the type names pydantic 2 reports.
_PYDANTIC_MESSAGES = {
    "missing": N_("is missing"),
    "extra_forbidden": N_("is not a known setting; check its spelling"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "greater_than_equal": N_("must be at least %(ge)s"),
    "greater_than": N_("must be greater than %(gt)s"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "string_type": N_("must be text in double quotes"),
    "decimal_type": N_("must be a number"),
    "decimal_parsing": N_("must be a number"),
    "finite_number": N_("must be a finite number"),
    "date_type": N_("must be a date such as 2026-10-01"),
    "date_parsing": N_("must be a date such as 2026-10-01"),
    "date_from_datetime_parsing": N_("must be a date such as 2026-10-01"),
    "date_from_datetime_inexact": N_("must be a date without a time of day"),
    "enum": N_("must be one of %(expected)s"),
    "literal_error": N_("must be one of %(expected)s"),
    "list_type": N_("must be a list such as [1, 2]"),
    "tuple_type": N_("must be a list such as [1, 2]"),
    "dict_type": N_("must be a table"),
    "model_type": N_("must be a table"),
}

_FILE_LINE = N_("%(file)s: %(problem)s")
_PROBLEM_WITH_VALUE = N_("%(path)s = %(value)s: %(message)s")
_PROBLEM_WITHOUT_VALUE = N_("%(path)s: %(message)s")


class Gettext(Protocol):
    def gettext(self, message: str) -> str: ...


class _SourceText:
    def gettext(self, message: str) -> str:
        return message


@dataclass(frozen=True)
class PolicyProblem:
    """One invalid setting: where it is, what it holds, and a message template with its parameters."""

    path: str
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    value: Any = _NO_VALUE

    def render(self, tr: Gettext) -> str:
        message = tr.gettext(self.template) % {name: _show_param(value) for name, value in self.params.items()}
        if not self.path:
            return message
        if self.value is _NO_VALUE:
            return tr.gettext(_PROBLEM_WITHOUT_VALUE) % {"path": self.path, "message": message}
        return tr.gettext(_PROBLEM_WITH_VALUE) % {"path": self.path, "value": _show(self.value), "message": message}


class PolicyError(Exception):
    """Raised when a policy file cannot be read or is invalid; carries every problem found."""

    def __init__(self, source: str, problems: Sequence[PolicyProblem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(self.render(_SourceText()))

    def render(self, tr: Gettext) -> str:
        """Return one line per problem, each starting with the file name."""
        return "\n".join(
            tr.gettext(_FILE_LINE) % {"file": self.source, "problem": problem.render(tr)}
            for problem in self.problems
        )


def policy_error(template: str, *, at: Sequence[str | int] = (), value: Any = _NO_VALUE, **params: Any) -> PydanticCustomError:
    """Build the error a policy validator raises.

    `at` extends the key path below the validated field (list positions count from 0, as in
    pydantic), and `value` replaces the field's own input as the value shown.
    """
    context = {"template": template, "params": params, "at": tuple(at), "value": value}
    return PydanticCustomError(POLICY_ERROR_TYPE, template % params, context)


def problems_from_validation_error(error: ValidationError) -> list[PolicyProblem]:
    """Turn pydantic's errors into policy problems with TOML-style key paths."""
    problems = []
    for item in error.errors():
        context = item.get("ctx") or {}
        if item["type"] == POLICY_ERROR_TYPE:
            location = tuple(item["loc"]) + tuple(context["at"])
            value = item["input"] if context["value"] is _NO_VALUE else context["value"]
            template, params = context["template"], context["params"]
        else:
            location = tuple(item["loc"])
            value = _NO_VALUE if item["type"] == "missing" else item["input"]
            template = _PYDANTIC_MESSAGES.get(item["type"], item["msg"])
            params = context
        problems.append(PolicyProblem(key_path(location), template, params, value))
    return problems


def key_path(location: Sequence[str | int]) -> str:
    """Write a location as a TOML reader expects it: `levels[2].threshold_days`, counting from 1."""
    path = ""
    for part in location:
        if part == "[key]":
            continue
        if isinstance(part, int):
            path += f"[{part + 1}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _show_param(value: Any) -> str:
    # Text parameters go in as they are, so templates decide where quotes belong.
    return value if isinstance(value, str) else _show(value)


def _show(value: Any) -> str:
    text = _toml_literal(value)
    if len(text) > _MAX_VALUE_CHARS:
        return text[: _MAX_VALUE_CHARS - 1] + "…"
    return text


def _toml_literal(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {_toml_literal(item)}" for key, item in value.items()) + "}"
    return str(value)

"""Reading a reminder policy from a TOML file, or the default policy shipped with arrears."""

from __future__ import annotations

import logging
import tomllib
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from bot.i18n import N_
from bot.policy.errors import PolicyError, PolicyProblem, problems_from_validation_error
from bot.policy.model import ReminderPolicy

log = logging.getLogger(__name__)

DEFAULT_POLICY_NAME = "default_policy.toml"


def load_policy(path: str | Path | None = None) -> ReminderPolicy:
    """Load and validate the policy file at `path`, or the default policy when `path` is None.

    Raises PolicyError naming the file and every invalid key with its value.
    """
    if path is None:
        return load_default_policy()
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise PolicyError(source, [PolicyProblem("", N_("file not found"))]) from error
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(source, [PolicyProblem("", N_("cannot be read: %(error)s"), {"error": str(error)})]) from error
    policy = parse_policy(text, source)
    log.info("loaded reminder policy from %s with %d levels", source, len(policy.levels))
    return policy


def parse_policy(text: str, source: str) -> ReminderPolicy:
    """Validate policy TOML text; `source` names the file in error messages."""
    try:
        # Decimal keeps amounts such as 0.1 exact, which float parsing would not.
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(source, [PolicyProblem("", N_("is not valid TOML: %(error)s"), {"error": str(error)})]) from error
    try:
        return ReminderPolicy.model_validate(data)
    except ValidationError as error:
        raise PolicyError(source, problems_from_validation_error(error)) from error


def default_policy_text() -> str:
    """Return the default policy file shipped inside the package, comments included."""
    return resources.files("bot.policy").joinpath(DEFAULT_POLICY_NAME).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_default_policy() -> ReminderPolicy:
    return parse_policy(default_policy_text(), DEFAULT_POLICY_NAME)

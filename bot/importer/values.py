"""Text-like values in exports: identifiers, names, yes/no flags, currencies and owners."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from babel.numbers import list_currencies

from bot.i18n import N_
from bot.importer.problems import InvalidValue

DATE_NOT_IDENTIFIER = N_("a date cell where an identifier is expected; format the column as text in the spreadsheet")
INVALID_FLAG = N_("invalid yes/no value; use yes/no, true/false, 1/0 or 是/否")
INVALID_CURRENCY = N_("unknown currency; use a three-letter ISO 4217 code such as CNY, USD or EUR")
INVALID_EMAIL = N_("invalid email address; use a form such as name@example.com")
TOO_LONG = N_("longer than %(limit)s characters")

# Currency names that Chinese exports use instead of ISO codes.
CURRENCY_ALIASES = {
    "RMB": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "英镑": "GBP",
    "港币": "HKD", "港元": "HKD", "日元": "JPY",
}

_TRUE = {"yes", "y", "true", "t", "1", "是", "有", "x"}
_FALSE = {"no", "n", "false", "f", "0", "否", "无"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Slack user ids start with U (or W on Enterprise Grid) and contain digits. Requiring a digit
# and at least 8 characters keeps names such as "WANG" from being read as ids.
_SLACK_USER_ID = re.compile(r"^[UW](?=[A-Z0-9]*\d)[A-Z0-9]{7,}$")
_SPACES = re.compile(r"\s+")

# Maximum length of an identifier in the ledger's key columns.
KEY_LIMIT = 255


def cell_text(value: object) -> str:
    """Return a cell as the text a spreadsheet user sees, for messages and the rejects file."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def parse_identifier(value: object) -> str | None:
    """Parse a key such as an invoice number, keeping leading zeros; an Excel 611365.0 becomes "611365"."""
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        raise InvalidValue(DATE_NOT_IDENTIFIER)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = cell_text(value).strip()
    if len(text) > KEY_LIMIT:
        raise InvalidValue(TOO_LONG, limit=KEY_LIMIT)
    return text or None


def parse_name(value: object) -> str | None:
    """Parse a name, trimming it and collapsing inner runs of spaces."""
    text = parse_identifier(value)
    if text is None:
        return None
    return _SPACES.sub(" ", text)


def parse_flag(value: object) -> bool | None:
    """Parse a yes/no flag, or None when it is blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFKC", cell_text(value)).strip().casefold()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidValue(INVALID_FLAG)


def parse_currency(value: object) -> str | None:
    """Parse an ISO 4217 currency code or a common Chinese currency name."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", cell_text(value)).strip()
    if not text:
        return None
    code = CURRENCY_ALIASES.get(text.upper(), CURRENCY_ALIASES.get(text, text.upper()))
    if code not in _known_currencies():
        raise InvalidValue(INVALID_CURRENCY)
    return code


@lru_cache(maxsize=1)
def _known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@dataclass(frozen=True)
class OwnerValue:
    """An owner as an export names them: the raw key, plus what the key reveals."""

    key: str
    email: str | None
    slack_user_id: str | None


def parse_owner(value: object) -> OwnerValue | None:
    """Parse an owner cell; an email address fills the email and a Slack user id fills the Slack id."""
    key = parse_identifier(value)
    if key is None:
        return None
    email = key if _EMAIL.match(key) else None
    slack_user_id = key if _SLACK_USER_ID.match(key) else None
    return OwnerValue(key=key, email=email, slack_user_id=slack_user_id)


def parse_email(value: object) -> str | None:
    text = parse_identifier(value)
    if text is None:
        return None
    if not _EMAIL.match(text):
        raise InvalidValue(INVALID_EMAIL)
    return text



def normalize_customer_code(name: str) -> str:
    """Derive a customer code from a customer name: trimmed, inner spaces collapsed."""
    return _SPACES.sub(" ", name.strip())

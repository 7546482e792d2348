"""Amounts in exports: currency symbols and codes, thousands separators, accounting negatives.

Amounts become Decimal, never float. A cell that Excel stores as a binary float is
read with 15 significant digits, which is what Excel itself displays, so float noise
such as 64982.58900000001 does not reach the ledger.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.i18n import N_
from bot.importer.problems import InvalidValue

INVALID_AMOUNT = N_("invalid amount; use digits with a dot for decimals, such as 1234.56 or 1,234.56")
COMMA_DECIMAL = N_(
    "invalid amount: a comma can only separate thousands; write decimals with a dot, such as 1234.56"
)
NOT_AN_AMOUNT = N_("a true/false cell where an amount is expected")

# Symbols carry no reliable currency ($ is also CAD and AUD, ¥ also JPY), so they are only removed.
_SYMBOLS = "¥$€£元"
_CODE = re.compile(r"^([A-Z]{3})\s*(.*)$|^(.*?)\s*([A-Z]{3})$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$|^\.\d+$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_DASHES = {"-", "--", "—", "–"}


@dataclass(frozen=True)
class ParsedAmount:
    value: Decimal
    # An ISO currency code written in the cell itself ("USD 1,200.00"), if any.
    currency: str | None = None


def parse_amount(value: object) -> ParsedAmount | None:
    """Parse one cell into an amount, or None when it is blank. Raises InvalidValue."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidValue(NOT_AN_AMOUNT)
    if isinstance(value, Decimal):
        return ParsedAmount(value)
    if isinstance(value, int):
        return ParsedAmount(Decimal(value))
    if isinstance(value, float):
        return ParsedAmount(Decimal(f"{value:.15g}"))

    text = str(value).strip()
    if not text:
        return None
    return _parse_text(text)


def _parse_text(original: str) -> ParsedAmount:
    # NFKC maps full-width digits, commas, parentheses and ￥ to their ASCII forms.
    text = unicodedata.normalize("NFKC", original).replace("\u2212", "-").strip()
    if text in _DASHES:
        # Accounting formats show zero as a lone dash.
        return ParsedAmount(Decimal(0))

    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if text.endswith("-"):
        negative, text = not negative, text[:-1].strip()

    currency, text = _split_currency_code(text)
    text = text.strip().strip(_SYMBOLS).strip()
    if text.startswith(("-", "+")):
        negative ^= text.startswith("-")
        text = text[1:].strip()
    text = text.strip(_SYMBOLS).replace(" ", "")

    number = _parse_digits(text)
    return ParsedAmount(-number if negative else number, currency)


def _split_currency_code(text: str) -> tuple[str | None, str]:
    match = _CODE.match(text)
    if match is None:
        return None, text
    if match[1] is not None:
        return match[1], match[2]
    return match[4], match[3]


def _parse_digits(text: str) -> Decimal:
    if _GROUPED.match(text):
        text = text.replace(",", "")
    elif "," in text:
        raise InvalidValue(COMMA_DECIMAL)
    if not _PLAIN.match(text):
        raise InvalidValue(INVALID_AMOUNT)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InvalidValue(INVALID_AMOUNT) from None

"""Translations and locale-aware formatting of money and dates.

Every user-facing string goes through a `Translator` for the reader's locale. Messages
are marked with `tr.gettext(...)`, `tr.ngettext(...)` or, for module-level constants that
are translated later, `N_(...)`; `pybabel extract` finds all three (see babel.cfg).
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, get_currency_precision
from babel.support import Translations

from bot.config import SUPPORTED_LOCALES

# NOTE: the catalogs are in the repository's top-level locales/ folder. An editable install
# (pip install -e .) reads them from there, but a wheel install would not ship them.
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


class Translator:
    """Message translation and number/date formatting for one locale."""

    def __init__(self, locale: str, translations: Translations) -> None:
        self.locale = locale
        self.babel_locale = Locale.parse(locale)
        self._translations = translations

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self._translations.ngettext(singular, plural, count)

    def money(self, amount: Decimal, currency: str) -> str:
        """Format an amount in its currency, rounded for display to the currency's digits."""
        digits = get_currency_precision(currency)
        shown = amount.quantize(Decimal(1).scaleb(-digits))
        return format_currency(shown, currency, locale=self.babel_locale)

    def number(self, value: int | Decimal) -> str:
        return format_decimal(value, locale=self.babel_locale)

    def date(self, value: date | None, format: str = "medium") -> str:
        if value is None:
            return self.gettext("no date")
        return babel_format_date(value, format=format, locale=self.babel_locale)


def normalize_locale(value: str | None, default: str = "en") -> str:
    """Map a Slack locale such as `zh-CN` or `en-US` to a supported catalog locale."""
    if not value:
        return default
    tag = value.replace("-", "_")
    if tag in SUPPORTED_LOCALES:
        return tag
    language = tag.split("_", 1)[0].lower()
    if language == "zh":
        # Traditional-script locales still read Simplified Chinese more easily than English.
        return "zh_CN"
    if language == "en":
        return "en"
    return default


@lru_cache(maxsize=None)
def get_translator(locale: str) -> Translator:
    """Load the catalog for a supported locale from its .po file."""
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; use one of {', '.join(SUPPORTED_LOCALES)}")
    return Translator(locale, _load_translations(locale))


def _load_translations(locale: str) -> Translations:
    po_path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        raise FileNotFoundError(f"translation catalog {po_path} is missing; reinstall arrears from its repository")
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)

    # Compile in memory, so a stale .mo file can never disagree with the .po source.
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)

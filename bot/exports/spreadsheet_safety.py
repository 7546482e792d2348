"""Neutralising spreadsheet formulas in exported text (CSV or formula injection).

A cell whose text starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
spreadsheet programs strip before reading the rest) would be evaluated as a formula when the
file is opened. Prefixing a single quote makes Excel, LibreOffice and Google Sheets show it as text.
"""

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# A signed amount such as -450.00 or -$1,200 is data, not a formula, and must stay importable.
_SIGNED_NUMBER = re.compile(r"[-+]\s*[$€£¥￥]?\s*[\d.,\s]+")


def neutralize_formula(text: str) -> str:
    if text.startswith(FORMULA_TRIGGERS) and not _SIGNED_NUMBER.fullmatch(text):
        return "'" + text
    return text

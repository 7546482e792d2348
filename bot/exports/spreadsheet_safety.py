"""Neutralising spreadsheet formulas in exported text (CSV or formula injection).

A cell whose text starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
spreadsheet programs strip before reading the rest) would be evaluated as a formula when the
file is opened. Prefixing a single quote makes Excel, LibreOffice and Google Sheets show it as text.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(text: str) -> str:
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text

"""Text folded for case-insensitive search that behaves the same on SQLite and PostgreSQL.

SQLite's lower() and LIKE fold only ASCII letters, and PostgreSQL's lower() follows
the database's ctype, so neither can be trusted with names such as "Ärzte GmbH" or
"ＡＢＣ科技". The customer table keeps a folded copy of code and name instead, and a
search folds the query the same way before a plain LIKE.
"""

from __future__ import annotations

import unicodedata


def fold_for_search(text: str) -> str:
    """Return `text` in NFKC form and case-folded: full-width letters become ASCII, Ä matches ä."""
    return unicodedata.normalize("NFKC", text).casefold()


def customer_search_text(code: str, name: str) -> str:
    # A newline separates the two, so a query never matches across code and name.
    return fold_for_search(f"{code}\n{name}")

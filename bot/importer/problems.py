"""Errors and notices found while importing, kept untranslated until they are shown.

A problem stores an English message marked with `N_` and its parameters, so the same
problem can be rendered in the reader's language by the command line or by any caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from bot.i18n import Translator, get_translator

# The report shows this many problems in full and counts the rest.
SHOWN_PROBLEMS = 50
# A notice lists this many row numbers and counts the rest.
SHOWN_NOTICE_ROWS = 10


class InvalidValue(ValueError):
    """Raised by a value parser; the row validator adds the file, row, column and value."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class Problem:
    """An error that stops the import, located as a spreadsheet user sees it (the header is row 1)."""

    message: str
    params: Mapping[str, object] = field(default_factory=dict)
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def render(self, tr: Translator, within_row: bool = False) -> str:
        """Render the problem with its location; `within_row` leaves out the file and row."""
        text = tr.gettext(self.message) % self.params if self.params else tr.gettext(self.message)
        location = self.location(tr, within_row)
        return f"{location}: {text}" if location else text

    def location(self, tr: Translator, within_row: bool = False) -> str:
        parts = []
        if self.file is not None and not within_row:
            parts.append(self.file)
        if self.row is not None and not within_row:
            parts.append(tr.gettext("row %(row)s") % {"row": self.row})
        if self.column is not None:
            parts.append(tr.gettext("column \"%(column)s\"") % {"column": self.column})
        if self.value is not None:
            parts.append(tr.gettext("value \"%(value)s\"") % {"value": self.value})
        return ", ".join(parts)


@dataclass(frozen=True)
class Notice:
    """Rows that the import handled by a stated rule, which the user should know about."""

    message: str
    file: str | None = None
    rows: tuple[int, ...] = ()

    def render(self, tr: Translator) -> str:
        text = tr.gettext(self.message)
        if self.file is not None:
            text = f"{self.file}: {text}"
        if not self.rows:
            return text

        shown = ", ".join(str(row) for row in self.rows[:SHOWN_NOTICE_ROWS])
        if len(self.rows) > SHOWN_NOTICE_ROWS:
            more = len(self.rows) - SHOWN_NOTICE_ROWS
            shown += " " + tr.ngettext("and %(count)s more", "and %(count)s more", more) % {"count": more}
        count = len(self.rows)
        return text + " " + tr.ngettext(
            "(%(count)s row: %(rows)s)", "(%(count)s rows: %(rows)s)", count,
        ) % {"count": tr.number(count), "rows": shown}


class ImportFailed(Exception):
    """Raised when an import stops; nothing was written. `problems` lists every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(render_problems(problems, get_translator("en")))


def render_problems(problems: list[Problem], tr: Translator, limit: int = SHOWN_PROBLEMS) -> str:
    """Render the first `limit` problems one per line, and count the others."""
    lines = [problem.render(tr) for problem in problems[:limit]]
    if len(problems) > limit:
        more = len(problems) - limit
        lines.append(
            tr.ngettext("... and %(count)s more error", "... and %(count)s more errors", more) % {"count": more}
        )
    return "\n".join(lines)

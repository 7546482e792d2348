"""Import receivables (customers, invoices, payments) from CSV and Excel exports.

Call `import_files(services, paths, ImportOptions(...))`; it returns an ImportReport,
or raises ImportFailed with every problem found, having written nothing.
"""

from bot.importer.dates import DateOrder
from bot.importer.engine import import_files
from bot.importer.fields import Field, TableKind
from bot.importer.options import BlankBalance, ImportOptions
from bot.importer.problems import ImportFailed, Notice, Problem
from bot.importer.report import ImportReport, render_report
from bot.importer.statuses import StatusMeaning

__all__ = [
    "BlankBalance",
    "DateOrder",
    "Field",
    "ImportFailed",
    "ImportOptions",
    "ImportReport",
    "Notice",
    "Problem",
    "StatusMeaning",
    "TableKind",
    "import_files",
    "render_report",
]

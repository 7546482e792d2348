"""Imports of the real receivables exports in the shared data folder; each shows whether its file
imports or fails with an actionable error. Skipped when the folder is absent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import and_, case, func, or_, select

from bot.i18n import get_translator
from bot.importer import (
    BlankBalance,
    Field,
    ImportFailed,
    ImportOptions,
    StatusMeaning,
    import_files,
    render_report,
)
from bot.importer.problems import render_problems
from bot.money import from_stored
from bot.store.models import Customer, Invoice, Payment

EN = get_translator("en")
USD = ((Field.CURRENCY, "USD"),)
CN_OPTIONS = ImportOptions(
    column_map=((Field.INVOICE_NUMBER, "销售"),),
    ignore=("销售", "开票日期"),
    constants=((Field.CUSTOMER_NAME, "示例客户"), (Field.CURRENCY, "CNY")),
    blank_balance=BlankBalance.DRAFT,
)


def _scalar(services, query):
    with services.sessions() as session:
        return session.scalar(query)


def _count(services, model) -> int:
    return _scalar(services, select(func.count()).select_from(model))


def _open_as_of(services, as_of: date) -> tuple[int, object]:
    """Count and total the open invoices as of a date, straight from the stored columns."""
    paid = case((or_(Invoice.settled_on.is_(None), Invoice.settled_on <= as_of), Invoice.reported_paid_units), else_=0)
    open_units = Invoice.amount_units - paid
    query = select(func.count(), func.sum(open_units)).where(and_(
        Invoice.status == "open",
        or_(Invoice.issue_date.is_(None), Invoice.issue_date <= as_of),
        open_units > 0,
    ))
    with services.sessions() as session:
        count, units = session.execute(query).one()
    return count, from_stored(units)


def test_ibm_csv_imports(shared_data, database_url, make_services):
    services = make_services(database_url)
    path = shared_data / "ibm_wa_accounts_receivable.csv"

    report = import_files(services, [path], ImportOptions(constants=USD))

    assert report.total("invoices").created == 2466
    assert report.total("customers").created == 100
    assert report.sources[0].date_orders == {"InvoiceDate": "MDY", "DueDate": "MDY", "SettledDate": "MDY"}
    first = _scalar(services, select(Invoice).where(Invoice.number == "0000611365"))
    assert first.issue_date == date(2013, 1, 2)
    assert first.settled_on == date(2013, 1, 15)
    assert first.reported_paid_units == first.amount_units
    assert _scalar(services, select(func.count()).where(Invoice.number.like("0%"))) == 266
    assert _scalar(services, select(func.count()).where(Invoice.disputed.is_(True))) == 561
    assert _scalar(services, select(func.sum(Invoice.amount_units))) == 1_477_031_800
    # Open as of 2013-06-30: issued by then and settled after it.
    assert _open_as_of(services, date(2013, 6, 30)) == (84, from_stored(51_198_500))

    again = import_files(services, [path], ImportOptions(constants=USD))
    assert again.total("invoices").unchanged == 2466


def test_ibm_with_missing_cells_imports(shared_data, sqlite_url, make_services):
    services = make_services(sqlite_url, default_currency="USD")

    report = import_files(services, [shared_data / "ibm_wa_accounts_receivable_with_missing.csv"], ImportOptions())

    assert report.total("invoices").created == 2586
    assert report.total("customers").created == 100
    assert "PaperlessDate" in report.sources[0].ignored


def test_yellevate_xlsx_needs_currency(shared_data, sqlite_url, make_services):
    services = make_services(sqlite_url)
    path = shared_data / "yellevate_invoices.xlsx"

    with pytest.raises(ImportFailed) as failure:
        import_files(services, [path], ImportOptions())
    assert "pass --set currency=CODE" in render_problems(failure.value.problems, EN)

    report = import_files(services, [path], ImportOptions(constants=USD))
    assert report.sources[0].sheet == "data"
    assert report.total("invoices").created == 2466
    assert "DisputeLost" in report.sources[0].ignored
    invoice = _scalar(services, select(Invoice).where(Invoice.number == "7619716138"))
    assert invoice.issue_date == date(2020, 11, 18)
    assert invoice.due_date == date(2020, 12, 18)
    assert invoice.settled_on == date(2021, 2, 1)
    assert invoice.amount_units == 86_390_000
    assert invoice.disputed is True
    assert _scalar(services, select(func.sum(Invoice.amount_units))) == 147_703_180_000


def test_highradius_csv_imports_open_items(shared_data, sqlite_url, make_services):
    services = make_services(sqlite_url)

    report = import_files(services, [shared_data / "highradius_open_invoices.csv"], ImportOptions(constants=USD))

    assert report.total("invoices").created == 9681
    assert report.total("customers").created == 553
    assert report.sources[0].date_orders == {"posting_date": "DMY", "due_in_date": "DMY"}
    assert report.sources[0].ignored[0] == "(A)"
    assert any("first name was kept" in notice.render(EN) for notice in report.notices)
    assert _count(services, Invoice) == 9681
    assert _scalar(services, select(func.sum(Invoice.amount_units - Invoice.reported_paid_units))) == 3_104_278_589_740
    assert _scalar(services, select(Customer.name).where(Customer.name.like("WAL-MAR%")).limit(1)) is not None


def test_cn_xls_needs_explicit_options(shared_data, sqlite_url, make_services):
    services = make_services(sqlite_url)

    with pytest.raises(ImportFailed) as failure:
        import_files(services, [shared_data / "cn_billing_receivables.xls"], ImportOptions())

    rendered = render_problems(failure.value.problems, EN)
    assert "no column for invoice_number; map one with --map invoice_number=COLUMN" in rendered
    assert "--set customer_name=NAME" in rendered
    assert "pass --set currency=CODE" in rendered


def test_cn_xls_invoice_date_without_year(shared_data, sqlite_url, make_services):
    services = make_services(sqlite_url)
    options = replace(CN_OPTIONS, ignore=("销售",))

    with pytest.raises(ImportFailed) as failure:
        import_files(services, [shared_data / "cn_billing_receivables.xls"], options)

    first = failure.value.problems[0]
    assert first.column == "开票日期"
    assert "the date has no year" in first.render(EN)


def test_cn_xls_open_bills_match_check_figure(shared_data, database_url, make_services):
    services = make_services(database_url)

    report = import_files(services, [shared_data / "cn_billing_receivables.xls"], CN_OPTIONS)

    assert report.total("invoices").created == 5257
    assert report.total("customers").created == 1
    assert "75 rows" in render_report(report, EN)
    # Open bills as of 2019-05-31 are those with 未收金额 > 0: 649 bills, 23,470,024.14.
    assert _open_as_of(services, date(2019, 5, 31)) == (649, from_stored(234_700_241_400))
    assert _scalar(services, select(func.count()).where(Invoice.status == "draft")) == 91 + 75


def test_cn_xls_default_keeps_unbilled_open(shared_data, sqlite_url, make_services):
    services = make_services(sqlite_url)
    options = replace(CN_OPTIONS, blank_balance=BlankBalance.DERIVE)

    report = import_files(services, [shared_data / "cn_billing_receivables.xls"], options)

    # The 75 已确认 rows with blank 开票金额 and 未收金额 count as open with their whole amount;
    # 11 of them have a zero amount, so 64 more bills are open than the check figure's 649.
    assert any("--blank-balance draft" in notice.render(EN) for notice in report.notices)
    assert _open_as_of(services, date(2019, 5, 31)) == (649 + 64, from_stored(234_700_241_400 + 12_274_229_100))


def test_summit_gear_relational_csvs_import(shared_data, sqlite_url, make_services):
    services = make_services(sqlite_url, default_currency="USD")
    paths = [shared_data / f"summit_gear_{name}.csv" for name in ("payments", "invoices", "customers")]
    options = ImportOptions(
        column_map=((Field.STATUS, "status_id"),),
        status_values=(("1", StatusMeaning.OPEN), ("2", StatusMeaning.OPEN), ("3", StatusMeaning.OPEN),
                       ("4", StatusMeaning.VOID)),
    )

    report = import_files(services, paths, options)

    assert [source.kind.value for source in report.sources] == ["customers", "invoices", "payments"]
    assert report.total("customers").created == 1500
    assert report.total("invoices").created == 20015
    assert report.total("payments").created == 18667
    assert _scalar(services, select(func.sum(Invoice.amount_units))) == 1_069_158_845_700
    assert _scalar(services, select(func.count()).where(Invoice.status == "void")) == 116
    split = _scalar(services, select(func.count()).select_from(Payment).join(Invoice, Invoice.id == Payment.invoice_id)
                    .where(Invoice.number == "INV-2024-018653"))
    assert split == 2


def test_summit_gear_status_codes_need_values(shared_data, sqlite_url, make_services):
    services = make_services(sqlite_url, default_currency="USD")
    options = ImportOptions(column_map=((Field.STATUS, "status_id"),))

    with pytest.raises(ImportFailed) as failure:
        import_files(services, [shared_data / "summit_gear_invoices.csv"], options)

    assert "map it with --status-value \"3=open\"" in failure.value.problems[0].render(EN)


def test_summit_gear_workbook_sheets(shared_data, sqlite_url, make_services):
    services = make_services(sqlite_url, default_currency="USD")
    path = shared_data / "summit_gear.xlsx"

    first = import_files(services, [path], ImportOptions(dry_run=True))
    assert [source.sheet for source in first.sources] == ["customers"]

    report = import_files(services, [path], ImportOptions(sheets=("payments", "invoices", "customers")))
    assert report.total("invoices").created == 20015
    assert report.total("payments").created == 18667

"""Imports into a real database, on SQLite and PostgreSQL."""

import csv
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.i18n import get_translator
from bot.importer import (
    BlankBalance,
    DateOrder,
    Field,
    ImportFailed,
    ImportOptions,
    StatusMeaning,
    import_files,
    render_report,
)
from bot.importer.problems import render_problems
from bot.importer.scan import AMBIGUOUS_DATES
from bot.importer.sources import MISSING_CUSTOMER_COLUMN, NO_CURRENCY
from bot.store.models import Activity, Customer, ImportBatch, Invoice, Owner, Payment

EN = get_translator("en")

INVOICES = [
    ["Customer", "Customer Code", "Invoice No", "Invoice Date", "Due Date", "Amount", "Paid", "Balance",
     "Currency", "Sales Rep", "Settled Date", "Status", "Disputed", "Type", "Applies To"],
    ["ACME Trading", "0001", "0000611365", "2024-01-05", "2024-02-04", "1,200.00", "", "", "USD",
     "li.lei@example.com", "", "open", "no", "invoice", ""],
    ["ACME Trading", "0001", "INV-2", "2024-01-06", "2024-02-05", "500", "200", "300", "USD",
     "U0123ABCD", "2024-01-20", "partial", "yes", "invoice", ""],
    ["Beta Ltd", "0002", "INV-3", "2024-01-07", "2024-02-06", "$80.00", "", "", "USD",
     "Wang Fang", "2024-02-01", "", "", "", ""],
    ["Beta Ltd", "0002", "CN-1", "2024-01-08", "2024-01-08", "30", "", "", "USD",
     "Wang Fang", "", "", "", "credit note", "INV-3"],
    ["Beta Ltd", "0002", "INV-4", "2024-01-09", "", "10", "", "", "USD", "", "", "void", "", "", ""],
]


def _write_csv(path: Path, rows, encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _count(services, model) -> int:
    with services.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def _invoice(services, number) -> Invoice:
    with services.sessions() as session:
        return session.scalars(select(Invoice).where(Invoice.number == number)).one()


def test_import_invoices_fills_ledger(database_url, make_services, tmp_path):
    services = make_services(database_url)
    path = _write_csv(tmp_path / "invoices.csv", INVOICES)

    report = import_files(services, [path], ImportOptions())

    assert report.total("invoices").created == 5
    assert report.total("customers").created == 2
    assert report.total("owners").created == 3

    first = _invoice(services, "0000611365")
    assert first.amount_units == 12_000_000
    assert first.reported_paid_units == 0
    assert first.issue_date == date(2024, 1, 5)
    assert first.due_date == date(2024, 2, 4)
    assert first.currency == "USD"
    assert first.disputed is False
    assert first.source_row == 2

    partial = _invoice(services, "INV-2")
    assert partial.reported_paid_units == 2_000_000
    assert partial.settled_on == date(2024, 1, 20)
    assert partial.disputed is True

    settled = _invoice(services, "INV-3")
    assert settled.reported_paid_units == settled.amount_units == 800_000

    credit = _invoice(services, "CN-1")
    assert credit.kind == "credit_note"
    assert credit.amount_units == -300_000
    assert credit.applies_to_id == settled.id

    void = _invoice(services, "INV-4")
    assert void.status == "void"
    assert void.due_date is None

    with services.sessions() as session:
        owners = {owner.key: owner for owner in session.scalars(select(Owner))}
        customer = session.scalars(select(Customer).where(Customer.code == "0001")).one()
    assert owners["li.lei@example.com"].email == "li.lei@example.com"
    assert owners["U0123ABCD"].slack_user_id == "U0123ABCD"
    assert owners["Wang Fang"].email is None
    assert customer.name == "ACME Trading"
    assert first.owner_id == owners["li.lei@example.com"].id


def test_import_reimport_changes_nothing(database_url, make_services, tmp_path):
    services = make_services(database_url)
    path = _write_csv(tmp_path / "invoices.csv", INVOICES)
    import_files(services, [path], ImportOptions())

    again = import_files(services, [path], ImportOptions())

    assert again.total("invoices").unchanged == 5
    assert again.total("invoices").created == again.total("invoices").updated == 0
    assert again.total("customers").unchanged == 2
    assert again.total("owners").unchanged == 3
    assert _count(services, Invoice) == 5
    assert _count(services, ImportBatch) == 2


def test_import_reimport_updates_changed_rows(database_url, make_services, tmp_path):
    services = make_services(database_url)
    path = _write_csv(tmp_path / "invoices.csv", INVOICES)
    import_files(services, [path], ImportOptions())

    changed = [list(row) for row in INVOICES]
    changed[1][7] = "1200.00"  # a balance now states nothing paid
    changed[2][0] = "ACME Trading Co"
    import_files(services, [_write_csv(tmp_path / "changed.csv", changed)], ImportOptions())
    report = import_files(services, [_write_csv(tmp_path / "changed2.csv", changed)], ImportOptions())
    assert report.total("invoices").unchanged == 5

    changed[1][7] = "200.00"
    report = import_files(services, [_write_csv(tmp_path / "changed3.csv", changed)], ImportOptions())
    assert report.total("invoices").updated == 1
    assert _invoice(services, "0000611365").reported_paid_units == 10_000_000
    with services.sessions() as session:
        customer = session.scalars(select(Customer).where(Customer.code == "0001")).one()
    # The first name in the file wins within one import.
    assert customer.name == "ACME Trading"


def test_import_bad_row_writes_nothing(database_url, make_services, tmp_path):
    services = make_services(database_url)
    rows = [list(row) for row in INVOICES]
    rows[2][4] = "2024-02-30"
    path = _write_csv(tmp_path / "bad.csv", rows)

    with pytest.raises(ImportFailed) as failure:
        import_files(services, [path], ImportOptions())

    [problem] = failure.value.problems
    assert problem.file == str(path)
    assert problem.row == 3
    assert problem.column == "Due Date"
    assert problem.value == "2024-02-30"
    rendered = problem.render(EN)
    assert rendered.startswith(f"{path}, row 3, column \"Due Date\", value \"2024-02-30\": ")
    assert "check the day and month" in rendered
    for model in (Invoice, Customer, Owner, ImportBatch, Activity):
        assert _count(services, model) == 0


def test_import_bad_payment_file_rolls_back_invoices(database_url, make_services, tmp_path):
    services = make_services(database_url)
    invoices = _write_csv(tmp_path / "invoices.csv", INVOICES)
    payments = _write_csv(tmp_path / "payments.csv", [
        ["payment_id", "invoice_id", "payment_date", "amount"],
        ["P1", "INV-2", "2024-01-20", "200"],
        ["P2", "INV-404", "2024-01-21", "10"],
    ])

    with pytest.raises(ImportFailed) as failure:
        import_files(services, [payments, invoices], ImportOptions())

    [problem] = failure.value.problems
    assert problem.row == 3
    assert problem.column == "invoice_id"
    assert "invoice INV-404 is neither in this import nor in the ledger" in problem.render(EN)
    assert _count(services, Invoice) == 0
    assert _count(services, Payment) == 0


def test_import_lists_every_error_capped(database_url, make_services, tmp_path):
    services = make_services(database_url, default_currency="USD")
    rows = [["invoice", "due date", "amount"]]
    rows += [[f"I{index}", "2024-01-01", "12,5"] for index in range(60)]
    path = _write_csv(tmp_path / "many.csv", rows)

    with pytest.raises(ImportFailed) as failure:
        import_files(services, [path], ImportOptions(constants=((Field.CUSTOMER_NAME, "ACME"),)))

    assert len(failure.value.problems) == 60
    rendered = render_problems(failure.value.problems, EN)
    assert rendered.count("\n") == 50
    assert rendered.endswith("... and 10 more errors")


def test_import_skip_invalid_writes_rejects(database_url, make_services, tmp_path):
    services = make_services(database_url)
    rows = [list(row) for row in INVOICES]
    rows[1][5] = "12.34567"
    rows[3][11] = "lost"
    path = _write_csv(tmp_path / "invoices.csv", rows)
    rejects = tmp_path / "rejects.csv"

    report = import_files(services, [path], ImportOptions(skip_invalid=True, rejects_path=rejects))

    # The credit note on row 5 applies to the rejected INV-3, so it is rejected too.
    assert report.total("invoices").created == 2
    assert report.sources[0].rows_rejected == 3
    assert report.rejects_files == [str(rejects)]
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0] == [*INVOICES[0], "error"]
    assert [line[:-1] for line in written[1:]] == [rows[1], rows[3], rows[4]]
    assert written[1][-1] == "column \"Amount\", value \"12.34567\": more than 4 decimal places; round the amount to at most 4"
    assert "unknown status" in written[2][-1]
    assert "applies to invoice INV-3" in written[3][-1]
    assert _count(services, Invoice) == 2
    with services.sessions() as session:
        batch = session.scalars(select(ImportBatch)).one()
    assert batch.rows_rejected == 3
    assert batch.rows_written == 2
    assert "more than 4 decimal places" in render_report(report, EN)


def test_import_skip_invalid_needs_rejects(database_url, make_services, tmp_path):
    services = make_services(database_url)
    path = _write_csv(tmp_path / "invoices.csv", INVOICES)
    with pytest.raises(ImportFailed) as failure:
        import_files(services, [path], ImportOptions(skip_invalid=True))
    assert "--rejects" in failure.value.problems[0].render(EN)


def test_import_dry_run_writes_nothing(database_url, make_services, tmp_path):
    services = make_services(database_url)
    path = _write_csv(tmp_path / "invoices.csv", INVOICES)

    report = import_files(services, [path], ImportOptions(dry_run=True))

    assert report.dry_run
    assert report.total("invoices").created == 5
    assert render_report(report, EN).startswith("Dry run: nothing was written.")
    for model in (Invoice, Customer, Owner, ImportBatch, Activity):
        assert _count(services, model) == 0


def test_import_duplicate_invoice_numbers(database_url, make_services, tmp_path):
    services = make_services(database_url)
    rows = [list(row) for row in INVOICES]
    rows[3][2] = "INV-2"
    path = _write_csv(tmp_path / "invoices.csv", rows)

    with pytest.raises(ImportFailed) as failure:
        import_files(services, [path], ImportOptions())

    duplicates = [problem for problem in failure.value.problems if "appears more than once" in problem.render(EN)]
    assert [problem.row for problem in duplicates] == [3, 4]
    assert "(also on row 4)" in duplicates[0].render(EN)
    assert duplicates[0].column == "Invoice No"


def test_import_relational_files_in_any_order(database_url, make_services, tmp_path):
    services = make_services(database_url, default_currency="EUR")
    customers = _write_csv(tmp_path / "customers.csv", [
        ["customer_id", "customer_name", "owner"],
        ["C-1", "Ogden Valley Schools", "ana@example.com"],
        ["C-2", "Cottonwood ISD", ""],
    ])
    invoices = _write_csv(tmp_path / "invoices.csv", [
        ["invoice_id", "customer_id", "invoice_date", "due_date", "amount", "status_id"],
        ["INV-1", "C-1", "2024-02-02", "2024-03-03", "100.00", "3"],
        ["INV-2", "C-2", "2024-02-03", "2024-03-04", "50.00", "4"],
    ])
    payments = _write_csv(tmp_path / "payments.csv", [
        ["payment_id", "invoice_id", "payment_date", "amount", "payment_source"],
        ["PAY-1", "INV-1", "2024-02-20", "60.00", "ACH"],
        ["PAY-2", "INV-1", "2024-02-25", "40.00", "Wire"],
    ])
    options = ImportOptions(
        column_map=((Field.STATUS, "status_id"),),
        status_values=(("1", StatusMeaning.OPEN), ("2", StatusMeaning.OPEN), ("3", StatusMeaning.OPEN),
                       ("4", StatusMeaning.VOID)),
    )

    report = import_files(services, [payments, invoices, customers], options)

    assert [source.kind.value for source in report.sources] == ["customers", "invoices", "payments"]
    assert report.total("payments").created == 2
    with services.sessions() as session:
        customer = session.scalars(select(Customer).where(Customer.code == "C-1")).one()
        payment = session.scalars(select(Payment).where(Payment.reference == "PAY-1")).one()
        invoice = session.scalars(select(Invoice).where(Invoice.number == "INV-1")).one()
        owner = session.get(Owner, customer.owner_id)
    assert customer.name == "Ogden Valley Schools"
    assert owner.email == "ana@example.com"
    assert payment.invoice_id == invoice.id
    assert payment.customer_id == customer.id
    assert payment.currency == "EUR"
    assert payment.method == "ACH"
    assert invoice.reported_paid_units == 0
    assert _invoice(services, "INV-2").status == "void"


def test_import_payments_without_reference_are_stable(database_url, make_services, tmp_path):
    services = make_services(database_url)
    invoices = _write_csv(tmp_path / "invoices.csv", INVOICES)
    payments = _write_csv(tmp_path / "receipts.csv", [
        ["invoice number", "payment date", "payment amount"],
        ["INV-2", "2024-01-20", "100"],
        ["INV-2", "2024-01-20", "100"],
    ])

    first = import_files(services, [invoices, payments], ImportOptions())
    second = import_files(services, [invoices, payments], ImportOptions())

    assert first.total("payments").created == 2
    assert second.total("payments").unchanged == 2
    with services.sessions() as session:
        references = sorted(session.scalars(select(Payment.reference)))
    assert references == [
        "auto:invoice:INV-2:2024-01-20:1000000:1",
        "auto:invoice:INV-2:2024-01-20:1000000:2",
    ]


def test_import_currency_from_setting(database_url, make_services, tmp_path):
    services = make_services(database_url, default_currency="CNY")
    path = _write_csv(tmp_path / "invoices.csv", [
        ["客户名称", "单据编号", "到期日", "应收金额"],
        ["上海某某贸易有限公司", "0001", "2024年3月31日", "￥1，200.00"],
    ], encoding="gbk")

    report = import_files(services, [path], ImportOptions())

    assert report.sources[0].encoding == "gb18030"
    invoice = _invoice(services, "0001")
    assert invoice.currency == "CNY"
    assert invoice.amount_units == 12_000_000
    assert invoice.due_date == date(2024, 3, 31)
    with services.sessions() as session:
        customer = session.get(Customer, invoice.customer_id)
    assert customer.code == "上海某某贸易有限公司"


def test_import_missing_currency_and_customer(database_url, make_services, tmp_path):
    services = make_services(database_url)
    path = _write_csv(tmp_path / "invoices.csv", [["invoice", "due date", "amount"], ["I1", "2024-01-01", "5"]])

    with pytest.raises(ImportFailed) as failure:
        import_files(services, [path], ImportOptions())

    messages = [problem.message for problem in failure.value.problems]
    assert messages == [MISSING_CUSTOMER_COLUMN, NO_CURRENCY]
    rendered = render_problems(failure.value.problems, EN)
    assert "--set customer_name=NAME" in rendered
    assert "ARREARS_DEFAULT_CURRENCY is not set" in rendered


def test_import_ambiguous_dates_need_order(database_url, make_services, tmp_path):
    services = make_services(database_url, default_currency="USD")
    path = _write_csv(tmp_path / "invoices.csv", [
        ["customer", "invoice", "due date", "amount"],
        ["ACME", "I1", "3/4/2024", "5"],
        ["ACME", "I2", "5/6/2024", "5"],
    ])

    with pytest.raises(ImportFailed) as failure:
        import_files(services, [path], ImportOptions())
    [problem] = failure.value.problems
    assert problem.message == AMBIGUOUS_DATES
    assert problem.column == "due date"
    assert "--date-order MDY" in problem.render(EN)

    import_files(services, [path], ImportOptions(date_order=DateOrder.DMY))
    assert _invoice(services, "I1").due_date == date(2024, 4, 3)


def test_import_figures_must_agree(database_url, make_services, tmp_path):
    services = make_services(database_url, default_currency="USD")
    path = _write_csv(tmp_path / "invoices.csv", [
        ["customer", "invoice", "due date", "amount", "paid", "balance"],
        ["ACME", "I1", "2024-01-01", "100", "30", "60"],
    ])
    with pytest.raises(ImportFailed) as failure:
        import_files(services, [path], ImportOptions())
    [problem] = failure.value.problems
    assert problem.column == "balance"
    assert "amount 100 minus paid 30 is not the balance 60" in problem.render(EN)


def test_import_blank_balance_rule(database_url, make_services, tmp_path):
    services = make_services(database_url, default_currency="CNY")
    path = _write_csv(tmp_path / "bills.csv", [
        ["销售", "账单状态", "账单金额", "实收金额", "未收金额", "应付日期", "实际到账日"],
        ["s1", "已确认", "100.00", "", "100.00", "2019-06-30", ""],
        ["s2", "已确认", "50.00", "", "", "2019-06-30", ""],
        ["s3", "已核销", "70.00", "70.00", "", "2019-04-30", ""],
        ["s4", "未确认", "20.00", "", "", "2019-07-31", ""],
        ["s5", "部分核销", "80.00", "30.00", "50.00", "2019-06-30", "2019-05-17"],
    ])
    options = ImportOptions(
        column_map=((Field.INVOICE_NUMBER, "销售"),),
        ignore=("销售",),
        constants=((Field.CUSTOMER_NAME, "示例客户"),),
    )

    report = import_files(services, [path], options)
    assert _invoice(services, "s2").status == "open"
    assert any("whole amount open" in notice.render(EN) for notice in report.notices)

    import_files(services, [path], replace(options, blank_balance=BlankBalance.DRAFT))
    assert _invoice(services, "s2").status == "draft"
    assert _invoice(services, "s3").reported_paid_units == 700_000
    assert _invoice(services, "s4").status == "draft"
    assert _invoice(services, "s5").reported_paid_units == 300_000
    assert _count(services, Owner) == 0


def test_import_records_batch_and_activity(database_url, make_services, tmp_path):
    services = make_services(database_url)
    path = _write_csv(tmp_path / "invoices.csv", INVOICES)

    report = import_files(services, [path], ImportOptions())

    with services.sessions() as session:
        batch = session.scalars(select(ImportBatch)).one()
        activity = session.scalars(select(Activity)).one()
    assert batch.file_name == str(path)
    assert batch.table_kind == "invoices"
    assert batch.rows_read == 5
    assert batch.rows_written == 5
    assert len(batch.file_sha256) == 64
    assert batch.finished_at is not None
    assert report.sources[0].import_batch_id == batch.id
    assert activity.action == "import.completed"
    assert activity.actor == "cli"
    assert activity.details["file"] == str(path)
    assert activity.details["counts"]["invoices"] == {"created": 5, "updated": 0, "unchanged": 0}
    assert _invoice(services, "INV-2").import_batch_id == batch.id


def test_import_invalid_constant_reported_once(database_url, make_services, tmp_path):
    services = make_services(database_url)
    path = _write_csv(tmp_path / "invoices.csv", INVOICES)

    with pytest.raises(ImportFailed) as failure:
        import_files(services, [path], ImportOptions(constants=((Field.CURRENCY, "DOLLARS"),)))

    [problem] = failure.value.problems
    assert problem.column == "--set currency"
    assert problem.value == "DOLLARS"
    assert "unknown currency" in problem.render(EN)


def test_import_status_values_extend_words(database_url, make_services, tmp_path):
    services = make_services(database_url, default_currency="USD")
    path = _write_csv(tmp_path / "invoices.csv", [
        ["customer", "invoice", "due date", "amount", "status"],
        ["ACME", "I1", "2024-01-01", "10", "Written Off"],
        ["ACME", "I2", "2024-01-01", "10", "paid"],
    ])

    import_files(services, [path], ImportOptions(status_values=(("written_off", StatusMeaning.VOID),)))

    assert _invoice(services, "I1").status == "void"
    assert _invoice(services, "I2").reported_paid_units == 100_000


def test_import_blank_due_date_kept(database_url, make_services, tmp_path):
    services = make_services(database_url)
    path = _write_csv(tmp_path / "invoices.csv", [
        ["Customer", "Invoice No", "Due Date", "Amount", "Currency"],
        ["ACME Trading", "INV-1", "", "100", "USD"],
    ])

    import_files(services, [path], ImportOptions())

    invoice = _invoice(services, "INV-1")
    assert invoice.due_date is None
    assert invoice.status == "open"


def test_import_customer_owner_from_invoices(database_url, make_services, tmp_path):
    services = make_services(database_url)
    path = _write_csv(tmp_path / "invoices.csv", [
        ["Customer", "Invoice No", "Due Date", "Amount", "Currency", "Sales Rep"],
        ["ACME Trading", "INV-1", "2024-02-04", "100", "USD", "li.lei@example.com"],
        ["ACME Trading", "INV-2", "2024-02-05", "100", "USD", "wang.fang@example.com"],
    ])

    import_files(services, [path], ImportOptions())

    with services.sessions() as session:
        customer = session.scalars(select(Customer).where(Customer.code == "ACME Trading")).one()
        owner = session.get(Owner, customer.owner_id)
    assert owner.key == "li.lei@example.com"


def test_import_keeps_owner_set_elsewhere(database_url, make_services, tmp_path):
    services = make_services(database_url)
    path = _write_csv(tmp_path / "invoices.csv", [
        ["Customer", "Invoice No", "Due Date", "Amount", "Currency", "Sales Rep"],
        ["ACME Trading", "INV-1", "2024-02-04", "100", "USD", "li.lei@example.com"],
    ])
    import_files(services, [path], ImportOptions())
    with services.sessions() as session, session.begin():
        customer = session.scalars(select(Customer).where(Customer.code == "ACME Trading")).one()
        other = Owner(key="U0OTHER99", display_name="Other", slack_user_id="U0OTHER99",
                      created_at=customer.created_at, updated_at=customer.created_at)
        session.add(other)
        session.flush()
        customer.owner_id = other.id

    import_files(services, [path], ImportOptions())

    with services.sessions() as session:
        customer = session.scalars(select(Customer).where(Customer.code == "ACME Trading")).one()
        assert session.get(Owner, customer.owner_id).key == "U0OTHER99"


def test_import_rejects_file_neutralizes_formulas(sqlite_url, make_services, tmp_path):
    services = make_services(sqlite_url)
    path = _write_csv(tmp_path / "invoices.csv", [
        ["Customer", "Invoice No", "Due Date", "Amount", "Currency"],
        ["=HYPERLINK(\"http://x\")", "INV-1", "2024-02-04", "not a number", "USD"],
        ["ACME", "INV-2", "2024-02-04", "-450.00", "USD"],
    ])
    rejects = tmp_path / "rejects.csv"

    import_files(services, [path], ImportOptions(skip_invalid=True, rejects_path=rejects))

    rows = list(csv.reader(rejects.open(encoding="utf-8-sig")))
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")"
    assert rows[1][3] == "not a number"

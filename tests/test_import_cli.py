"""`arrears import` on the command line."""

from __future__ import annotations

import csv

from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli import main
from bot.store.models import Invoice

ROWS = [
    ["客户名称", "单据编号", "到期日", "应收金额", "币种"],
    ["上海某某贸易有限公司", "0001", "2024-03-31", "1,200.00", "人民币"],
    ["北京示例科技有限公司", "0002", "2024-04-30", "800.00", "人民币"],
]


def _invoke(settings_env, database_url, *args, **environment):
    settings_env.setenv("DATABASE_URL", database_url)
    for name, value in environment.items():
        settings_env.setenv(name, value)
    return CliRunner().invoke(main, ["import", *args], catch_exceptions=False)


def _write_csv(path, rows, encoding="utf-8-sig"):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


def _invoice_count(make_services, database_url) -> int:
    services = make_services(database_url)
    with services.sessions() as session:
        return session.scalar(select(func.count()).select_from(Invoice))


def test_cli_import_reports_counts(settings_env, sqlite_url, make_services, tmp_path):
    path = _write_csv(tmp_path / "ar.csv", ROWS)

    result = _invoke(settings_env, sqlite_url, path)

    assert result.exit_code == 0, result.output
    assert "invoices, 2 rows" in result.stdout
    assert "Encoding: UTF-8" in result.stdout
    assert "invoices: 2 created, 0 updated, 0 unchanged" in result.stdout
    assert "customers: 2 created, 0 updated, 0 unchanged" in result.stdout
    assert _invoice_count(make_services, sqlite_url) == 2


def test_cli_import_failure_exits_nonzero(settings_env, sqlite_url, make_services, tmp_path):
    rows = [list(row) for row in ROWS]
    rows[2][3] = "8,00"
    path = _write_csv(tmp_path / "ar.csv", rows)

    result = _invoke(settings_env, sqlite_url, path)

    assert result.exit_code == 1
    assert "Import failed; nothing was written." in result.stderr
    assert f"{path}, row 3, column \"应收金额\", value \"8,00\": invalid amount" in result.stderr
    assert _invoice_count(make_services, sqlite_url) == 0


def test_cli_import_options(settings_env, sqlite_url, make_services, tmp_path):
    path = _write_csv(tmp_path / "bills.csv", [
        ["销售", "账单状态", "账单金额", "未收金额", "应付日期", "开票日期"],
        ["s1", "已确认", "100.00", "100.00", "2019-06-30", "05-16"],
        ["s2", "未确认", "50.00", "", "2019-07-31", ""],
    ], encoding="gbk")

    result = _invoke(
        settings_env, sqlite_url, path,
        "--map", "invoice_number=销售", "--ignore", "销售", "--ignore", "开票日期",
        "--set", "customer_name=示例客户", "--set", "currency=CNY", "--dry-run",
    )

    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was written." in result.stdout
    assert "Encoding: GB18030" in result.stdout
    assert "Ignored columns: \"开票日期\"" in result.stdout
    assert _invoice_count(make_services, sqlite_url) == 0


def test_cli_import_rejects_bad_option(settings_env, sqlite_url, tmp_path):
    path = _write_csv(tmp_path / "ar.csv", ROWS)

    result = _invoke(settings_env, sqlite_url, path, "--map", "colour=币种")

    assert result.exit_code == 2
    assert "invalid --map value \"colour=币种\"" in result.stderr
    assert "customer_name" in result.stderr


def test_cli_import_missing_currency(settings_env, sqlite_url, tmp_path):
    path = _write_csv(tmp_path / "ar.csv", [row[:4] for row in ROWS])

    result = _invoke(settings_env, sqlite_url, path)

    assert result.exit_code == 1
    assert "no currency: the table has no currency column and ARREARS_DEFAULT_CURRENCY is not set" in result.stderr

    result = _invoke(settings_env, sqlite_url, path, ARREARS_DEFAULT_CURRENCY="CNY")
    assert result.exit_code == 0, result.output


def test_cli_import_skip_invalid(settings_env, sqlite_url, make_services, tmp_path):
    rows = [list(row) for row in ROWS]
    rows[1][2] = "2024-02-30"
    path = _write_csv(tmp_path / "ar.csv", rows)
    rejects = tmp_path / "rejects.csv"

    result = _invoke(settings_env, sqlite_url, path, "--skip-invalid", "--rejects", str(rejects))

    assert result.exit_code == 0, result.output
    assert "1 row was rejected:" in result.stdout
    assert f"Rejected rows were written to {rejects}." in result.stdout
    assert rejects.read_text(encoding="utf-8-sig").splitlines()[0] == "客户名称,单据编号,到期日,应收金额,币种,error"
    assert _invoice_count(make_services, sqlite_url) == 1

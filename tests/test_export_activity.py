import csv
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot.exports.activity import read_activity, write_activity
from bot.exports.spreadsheet_safety import neutralize_formula
from bot.i18n import get_translator
from bot.store.db import transaction
from bot.store.models import Activity, Customer

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _seed(services):
    moment = datetime(2026, 3, 16, 1, 0, tzinfo=timezone.utc)
    with transaction(services.sessions) as session:
        customer = Customer(code="=HYPERLINK(\"x\")", name="@SUM(A1)", created_at=moment, updated_at=moment)
        session.add(customer)
        session.flush()
        session.add(Activity(occurred_at=moment, actor="U1", action="reminder.sent", customer_id=customer.id,
                             channel="D1", message_ts="1.2", details={"note": "+1 call back"}))
        # 2026-03-16 23:30 in Shanghai is still the 16th locally, though the 16th in UTC too.
        session.add(Activity(occurred_at=datetime(2026, 3, 16, 15, 30, tzinfo=timezone.utc), actor="system",
                             action="digest.posted", channel="C1", message_ts="3.4"))
        # 2026-03-16 16:30 UTC is already the 17th in Shanghai, so it falls outside a 16th-only export.
        session.add(Activity(occurred_at=datetime(2026, 3, 16, 16, 30, tzinfo=timezone.utc), actor="system",
                             action="digest.posted", channel="C1", message_ts="5.6"))


def test_neutralize_formula_prefixes_triggers():
    for text in ("=1+1", "+A1", "-A1", "@A1", "\tx", "\rx"):
        assert neutralize_formula(text) == "'" + text
    assert neutralize_formula("ACME") == "ACME"
    assert neutralize_formula("-450.00") == "-450.00"
    assert neutralize_formula("-$1,200") == "-$1,200"
    assert neutralize_formula("-1+cmd|' /C calc'!A0") == "'-1+cmd|' /C calc'!A0"
    assert neutralize_formula("") == ""


def test_export_activity_csv_escapes_formulas(database_url, make_services, tmp_path):
    services = make_services(database_url)
    _seed(services)
    path = tmp_path / "activity.csv"
    with services.sessions() as session:
        count = write_activity(read_activity(session, date(2026, 3, 16), date(2026, 3, 16), SHANGHAI), path,
                               get_translator("en"), SHANGHAI)

    assert count == 2
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0][0] == "Time"
    assert rows[1][2] == "Reminder sent"
    assert rows[1][3] == "'=HYPERLINK(\"x\")"
    assert rows[1][4] == "'@SUM(A1)"
    assert rows[1][0] == "2026-03-16T09:00:00+08:00"
    assert rows[2][0] == "2026-03-16T23:30:00+08:00"


def test_export_activity_xlsx_in_chinese(database_url, make_services, tmp_path):
    services = make_services(database_url)
    _seed(services)
    path = tmp_path / "activity.xlsx"
    tr = get_translator("zh_CN")
    with services.sessions() as session:
        write_activity(read_activity(session, date(2026, 3, 16), date(2026, 3, 17), SHANGHAI), path, tr, SHANGHAI)

    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4
    assert rows[0][0] == tr.gettext("Time")
    assert rows[1][4] == "'@SUM(A1)"
    assert all(cell.data_type == "s" for cell in sheet[2] if cell.value is not None)

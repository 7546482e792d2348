from datetime import date, datetime

import pytest
import xlwt
from openpyxl import Workbook

from bot.importer.readers import TableReadError, open_tables
from bot.importer.readers.csv_reader import UNDECODABLE, WRONG_ENCODING

CHINESE_CSV = "客户名称,单据编号,到期日,应收金额\n上海某某贸易有限公司,0001,2024-03-31,\"1,200.00\"\n"


def _rows(table):
    return list(table.rows())


def test_csv_utf8_with_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(CHINESE_CSV.encode("utf-8-sig"))
    [table] = open_tables(path, None)
    assert table.header == ["客户名称", "单据编号", "到期日", "应收金额"]
    assert table.encoding == "utf-8-sig"
    assert _rows(table) == [(2, ["上海某某贸易有限公司", "0001", "2024-03-31", "1,200.00"])]


def test_csv_gbk_detected_as_gb18030(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(CHINESE_CSV.encode("gbk"))
    [table] = open_tables(path, None)
    assert table.encoding == "gb18030"
    assert table.header[0] == "客户名称"
    assert _rows(table)[0][1][0] == "上海某某贸易有限公司"


def test_csv_encoding_option_overrides(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(CHINESE_CSV.encode("gbk"))
    [table] = open_tables(path, "gbk")
    assert table.encoding == "gbk"
    assert table.header[1] == "单据编号"


def test_csv_wrong_encoding_option(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(CHINESE_CSV.encode("gbk"))
    with pytest.raises(TableReadError) as error:
        open_tables(path, "utf-8")
    assert error.value.message == WRONG_ENCODING


def test_csv_undecodable(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"a,b\n\x81\x20\xff\xfe\n")
    with pytest.raises(TableReadError) as error:
        open_tables(path, None)
    assert error.value.message == UNDECODABLE


def test_csv_semicolon_delimiter_and_padding(tmp_path):
    path = tmp_path / "semicolon.csv"
    path.write_text("invoice;amount;due date\nA1;10.00\n\nA2;\"5;0\";2024-01-01\n", encoding="utf-8")
    [table] = open_tables(path, None)
    assert table.header == ["invoice", "amount", "due date"]
    assert _rows(table) == [
        (2, ["A1", "10.00", None]),
        (3, [None, None, None]),
        (4, ["A2", "5;0", "2024-01-01"]),
    ]


def test_xlsx_cells_and_sheets(tmp_path):
    path = tmp_path / "book.xlsx"
    workbook = Workbook()
    notes = workbook.active
    notes.title = "notes"
    notes.append(["read me"])
    data = workbook.create_sheet("data")
    data.append(["InvoiceNumber", "DueDate", "InvoiceAmount", None])
    data.append([611365, datetime(2021, 2, 1), 8639.5, None])
    data.append([None, None, None, None])
    data.append(["0000611366", "2021-02-02", "12.00", None])
    workbook.save(path)

    tables = open_tables(path, None)
    assert [table.sheet for table in tables] == ["notes", "data"]
    data_table = tables[1]
    assert data_table.header == ["InvoiceNumber", "DueDate", "InvoiceAmount"]
    rows = _rows(data_table)
    assert rows[0] == (2, [611365, datetime(2021, 2, 1), 8639.5])
    assert rows[1] == (3, [None, None, None])
    assert rows[2] == (4, ["0000611366", "2021-02-02", "12.00"])


def test_xls_text_number_and_date_cells(tmp_path):
    path = tmp_path / "legacy.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("execl")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for column, text in enumerate(["销售", "应付日期", "账单金额", "备注"]):
        sheet.write(0, column, text)
    sheet.write(1, 0, "s101")
    sheet.write(1, 1, date(2019, 7, 31), date_style)
    sheet.write(1, 2, 29805.0)
    sheet.write(1, 3, "")
    sheet.write(2, 0, "0042")
    sheet.write(2, 1, "2019-07-31")
    sheet.write(2, 2, "1572.60")
    book.save(str(path))

    [table] = open_tables(path, None)
    assert table.sheet == "execl"
    assert table.header == ["销售", "应付日期", "账单金额", "备注"]
    assert _rows(table) == [
        (2, ["s101", datetime(2019, 7, 31), 29805.0, None]),
        (3, ["0042", "2019-07-31", "1572.60", None]),
    ]


def test_workbook_detected_by_content_not_extension(tmp_path):
    path = tmp_path / "export.csv"
    workbook = Workbook()
    workbook.active.append(["invoice", "amount"])
    workbook.save(path)
    [table] = open_tables(path, None)
    assert table.header == ["invoice", "amount"]
    assert table.sheet == "Sheet"

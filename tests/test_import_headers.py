import pytest

from bot.importer.fields import Field, TableKind
from bot.importer.headers import (
    DUPLICATE_COLUMNS,
    UNKNOWN_KIND,
    column_label,
    detect_kind,
    find_column,
    map_headers,
    normalize_header,
    synonym_index,
)
from bot.importer.synonyms import SYNONYMS


def _map(header, explicit=(), ignore=(), constants=(), kind=None):
    return map_headers(header, explicit, ignore, constants, kind, "file.csv")


def test_normalize_header_folds_case_space_punctuation():
    assert normalize_header("Invoice No.") == "invoiceno"
    assert normalize_header("invoice_no") == "invoiceno"
    assert normalize_header("  INVOICE-NO ") == "invoiceno"
    assert normalize_header("客户 名称") == "客户名称"
    assert normalize_header("ＩＮＶＯＩＣＥ　ＮＯ") == "invoiceno"


def test_synonyms_are_unique_per_field():
    index = synonym_index()
    total = sum(len({normalize_header(name) for name in names}) for names in SYNONYMS.values())
    assert len(index) == total


@pytest.mark.parametrize("header, target", [
    ("Customer Name", Field.CUSTOMER_NAME),
    ("name_customer", Field.CUSTOMER_NAME),
    ("客户全称", Field.CUSTOMER_NAME),
    ("customerID", Field.CUSTOMER_CODE),
    ("cust_number", Field.CUSTOMER_CODE),
    ("客户编号", Field.CUSTOMER_CODE),
    ("invoiceNumber", Field.INVOICE_NUMBER),
    ("doc_id", Field.INVOICE_NUMBER),
    ("单据编号", Field.INVOICE_NUMBER),
    ("posting_date", Field.INVOICE_DATE),
    ("开票日期", Field.INVOICE_DATE),
    ("due_in_date", Field.DUE_DATE),
    ("应付日期", Field.DUE_DATE),
    ("InvoiceAmount", Field.AMOUNT),
    ("converted_usd", Field.AMOUNT),
    ("价税合计", Field.AMOUNT),
    ("Amount Paid", Field.PAID),
    ("实收金额", Field.PAID),
    ("Open Amount", Field.BALANCE),
    ("未收金额", Field.BALANCE),
    ("币别", Field.CURRENCY),
    ("Sales Rep", Field.OWNER),
    ("业务员", Field.OWNER),
    ("Owner Email", Field.OWNER_EMAIL),
    ("clear_date", Field.SETTLED_DATE),
    ("实际到账日", Field.SETTLED_DATE),
    ("账单状态", Field.STATUS),
    ("争议", Field.DISPUTED),
    ("单据类型", Field.DOCUMENT_TYPE),
    ("payment_id", Field.PAYMENT_REFERENCE),
    ("payment_date", Field.PAYMENT_DATE),
    ("payment_source", Field.PAYMENT_METHOD),
])
def test_synonym_maps_header(header, target):
    assert synonym_index()[normalize_header(header)] is target


def test_map_headers_invoice_file():
    header = ["countryCode", "customerID", "invoiceNumber", "InvoiceDate", "DueDate", "InvoiceAmount", "SettledDate"]
    result = _map(header)
    mapping = result.mapping
    assert result.problems == []
    assert mapping.kind is TableKind.INVOICES
    assert mapping.columns[Field.CUSTOMER_CODE] == 1
    assert mapping.columns[Field.SETTLED_DATE] == 6
    assert [column_label(header, index) for index in mapping.ignored] == ["countryCode"]


def test_map_headers_payments_take_amount_and_date():
    header = ["payment_id", "invoice_id", "payment_date", "amount", "payment_source"]
    mapping = _map(header).mapping
    assert mapping.kind is TableKind.PAYMENTS
    assert mapping.columns[Field.PAYMENT_AMOUNT] == 3
    assert Field.AMOUNT not in mapping.columns
    assert mapping.columns[Field.INVOICE_NUMBER] == 1


def test_map_headers_customers_kind():
    mapping = _map(["customer_id", "customer_name", "city"]).mapping
    assert mapping.kind is TableKind.CUSTOMERS
    assert mapping.ignored == [2]


def test_map_headers_unknown_kind():
    result = _map(["foo", "bar"])
    assert result.mapping is None
    assert result.problems[0].message == UNKNOWN_KIND


def test_map_headers_explicit_map_and_several_fields():
    header = ["销售", "账单金额", "应付日期"]
    mapping = _map(header, explicit=((Field.INVOICE_NUMBER, "销售"),)).mapping
    assert mapping.columns[Field.INVOICE_NUMBER] == 0
    # The column keeps its automatic mapping too: one column may feed several fields.
    assert mapping.columns[Field.OWNER] == 0


def test_map_headers_ignore_drops_automatic_mapping_only():
    header = ["销售", "账单金额", "应付日期", "开票日期"]
    mapping = _map(header, explicit=((Field.INVOICE_NUMBER, "销售"),), ignore=("销售", "开票日期")).mapping
    assert mapping.columns[Field.INVOICE_NUMBER] == 0
    assert Field.OWNER not in mapping.columns
    assert Field.INVOICE_DATE not in mapping.columns
    assert 3 in mapping.ignored


def test_map_headers_constant_overrides_column():
    header = ["invoice", "amount", "due date", "currency"]
    mapping = _map(header, constants=((Field.CURRENCY, "EUR"),)).mapping
    assert Field.CURRENCY not in mapping.columns
    assert mapping.constants == {Field.CURRENCY: "EUR"}
    assert 3 in mapping.ignored


def test_map_headers_duplicate_columns_are_a_problem():
    result = _map(["invoice", "amount", "total", "due date"])
    assert [problem.message for problem in result.problems] == [DUPLICATE_COLUMNS]
    assert "\"amount\", \"total\"" in result.problems[0].params["columns"]


def test_map_headers_kind_override():
    mapping = _map(["customer", "amount", "date"], kind=TableKind.PAYMENTS).mapping
    assert mapping.kind is TableKind.PAYMENTS
    assert mapping.columns[Field.PAYMENT_AMOUNT] == 1
    assert mapping.columns[Field.PAYMENT_DATE] == 2


def test_find_column_by_text_normalized_and_position():
    header = ["", "Due Date", "amount"]
    assert find_column(header, "Due Date") == 1
    assert find_column(header, "due_date") == 1
    assert find_column(header, "#1") == 0
    assert find_column(header, "#9") is None
    assert find_column(header, "missing") is None


def test_column_label_for_blank_header():
    assert column_label(["", "x"], 0) == "(A)"
    assert column_label(["", "x"], 1) == "x"


def test_detect_kind():
    assert detect_kind({Field.PAYMENT_REFERENCE, Field.INVOICE_NUMBER}) is TableKind.PAYMENTS
    assert detect_kind({Field.PAYMENT_DATE, Field.DUE_DATE, Field.AMOUNT}) is TableKind.INVOICES
    assert detect_kind({Field.CUSTOMER_NAME}) is TableKind.CUSTOMERS
    assert detect_kind(set()) is None

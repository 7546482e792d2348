"""Column headers that common English and Chinese receivables exports use for each field.

Headers are compared after `normalize_header`, so case, spaces and punctuation do not
matter: "Invoice No.", "invoice_no" and "INVOICENO" are the same header. Extend a list
here to teach the import a new export; each normalized header may belong to one field only.
"""

from __future__ import annotations

from bot.importer.fields import Field

SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.CUSTOMER_NAME: (
        "customer", "customer name", "client", "client name", "name_customer", "account name",
        "客户", "客户名称", "客户全称", "客户名", "单位名称", "购货单位",
    ),
    Field.CUSTOMER_CODE: (
        "customer code", "customer id", "customerID", "customer number", "customer no", "cust_number",
        "client id", "client code", "account", "account number", "account no",
        "客户编码", "客户代码", "客户编号",
    ),
    Field.INVOICE_NUMBER: (
        "invoice number", "invoice no", "invoice #", "invoice", "invoice_id", "doc_id",
        "document number", "document no", "doc no", "bill number", "bill no",
        "单据编号", "单据号", "发票号", "发票号码", "单号",
    ),
    Field.INVOICE_DATE: (
        "invoice date", "posting_date", "date", "document date", "issue date", "bill date",
        "开票日期", "单据日期", "业务日期",
    ),
    Field.DUE_DATE: (
        "due date", "due_in_date", "due", "payment due date", "net due date",
        "到期日", "应付日期", "应收日期", "到期日期",
    ),
    Field.AMOUNT: (
        "amount", "invoice amount", "total", "invoice total", "total amount", "gross amount", "converted_usd",
        "账单金额", "应收金额", "金额", "价税合计", "发票金额",
    ),
    Field.PAID: (
        "paid", "amount paid", "paid amount", "received", "amount received",
        "实收金额", "已收金额", "已核销金额",
    ),
    Field.BALANCE: (
        "balance", "open amount", "outstanding", "amount due", "balance due", "open balance",
        "未收金额", "余额", "未核销金额", "应收余额",
    ),
    Field.CURRENCY: ("currency", "currency code", "币种", "币别"),
    Field.OWNER: (
        "owner", "sales rep", "salesperson", "sales person", "account manager", "collector",
        "业务员", "销售", "销售员", "负责人",
    ),
    Field.OWNER_EMAIL: (
        "owner email", "sales rep email", "salesperson email", "account manager email",
        "业务员邮箱", "负责人邮箱",
    ),
    Field.SETTLED_DATE: (
        "settled date", "paid date", "clear_date", "cleared date", "date paid",
        "实际到账日", "收款日期", "核销日期",
    ),
    Field.STATUS: ("status", "invoice status", "账单状态", "状态", "单据状态"),
    Field.DISPUTED: ("disputed", "dispute", "in dispute", "争议", "是否争议"),
    Field.DOCUMENT_TYPE: ("type", "document type", "doc type", "单据类型"),
    Field.APPLIES_TO: (
        "applies to", "applies to invoice", "original invoice", "original invoice number",
        "原发票号", "原单据编号", "对应发票号",
    ),
    Field.PAYMENT_REFERENCE: (
        "payment reference", "payment ref", "payment id", "payment number", "payment no",
        "receipt number", "receipt no", "收款单号", "收款单编号",
    ),
    Field.PAYMENT_DATE: ("payment date", "receipt date", "date received", "付款日期", "到账日期"),
    Field.PAYMENT_AMOUNT: ("payment amount", "receipt amount", "收款金额", "本次收款金额"),
    Field.PAYMENT_METHOD: (
        "payment method", "payment_source", "method", "payment type", "收款方式", "付款方式", "结算方式",
    ),
}

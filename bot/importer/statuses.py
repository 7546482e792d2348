"""Status words and document types in exports, in English and Chinese."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from bot.i18n import N_
from bot.importer.problems import InvalidValue
from bot.store.models import DocumentKind, DocumentStatus

UNKNOWN_STATUS = N_(
    "unknown status; map it with --status-value \"%(value)s=open\" (or paid, void, draft), "
    "or drop the column with --ignore"
)
UNKNOWN_DOCUMENT_TYPE = N_(
    "unknown document type; expected an invoice or a credit note (credit note, 贷项, 红字), "
    "or drop the column with --ignore"
)


class StatusMeaning(str, Enum):
    """The meaning of a status word for a document, as named in `--status-value VALUE=MEANING`."""

    OPEN = "open"
    PAID = "paid"
    VOID = "void"
    DRAFT = "draft"


@dataclass(frozen=True)
class DocumentState:
    status: str
    # The status states that the whole amount is paid.
    fully_paid: bool


STATES = {
    StatusMeaning.OPEN: DocumentState(DocumentStatus.OPEN, fully_paid=False),
    StatusMeaning.PAID: DocumentState(DocumentStatus.OPEN, fully_paid=True),
    StatusMeaning.VOID: DocumentState(DocumentStatus.VOID, fully_paid=False),
    StatusMeaning.DRAFT: DocumentState(DocumentStatus.DRAFT, fully_paid=False),
}

STATUS_WORDS: dict[str, StatusMeaning] = {
    **dict.fromkeys(
        ("paid", "fully paid", "settled", "closed", "cleared", "已核销", "已结清", "已收款", "已付款"),
        StatusMeaning.PAID,
    ),
    **dict.fromkeys(
        ("open", "confirmed", "unpaid", "outstanding", "overdue", "partial", "partially paid", "part paid",
         "已确认", "未核销", "部分核销", "未收款", "逾期"),
        StatusMeaning.OPEN,
    ),
    **dict.fromkeys(
        ("void", "voided", "cancelled", "canceled", "作废", "已作废", "已取消"),
        StatusMeaning.VOID,
    ),
    **dict.fromkeys(("draft", "unconfirmed", "pending", "未确认", "草稿"), StatusMeaning.DRAFT),
}

DOCUMENT_TYPES: dict[str, str] = {
    **dict.fromkeys(
        ("invoice", "inv", "bill", "debit note", "发票", "应收单", "销售发票", "蓝字", "蓝字发票"),
        DocumentKind.INVOICE,
    ),
    **dict.fromkeys(
        ("credit note", "credit memo", "credit", "cn", "cm", "贷项", "贷项通知单", "红字", "红字发票", "红冲"),
        DocumentKind.CREDIT_NOTE,
    ),
}

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalize_word(text: str) -> str:
    """Fold case, width and separators so "Partially_Paid" matches "partially paid"."""
    text = unicodedata.normalize("NFKC", text).strip().casefold()
    return _SEPARATORS.sub(" ", text)


def status_word_table(pairs: tuple[tuple[str, StatusMeaning], ...]) -> dict[str, StatusMeaning]:
    """Build the lookup table of --status-value words, normalized as cells are."""
    return {normalize_word(word): meaning for word, meaning in pairs}


def parse_status(value: object, extra_words: dict[str, StatusMeaning]) -> DocumentState | None:
    """Parse a status cell, or None when it is blank. `extra_words` come from status_word_table()."""
    if value is None:
        return None
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text:
        return None

    word = normalize_word(text)
    meaning = extra_words.get(word) or STATUS_WORDS.get(word)
    if meaning is None:
        raise InvalidValue(UNKNOWN_STATUS, value=text)
    return STATES[meaning]


def parse_document_type(value: object) -> str | None:
    """Parse a document-type cell into a DocumentKind, or None when it is blank."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    kind = DOCUMENT_TYPES.get(normalize_word(text))
    if kind is None:
        raise InvalidValue(UNKNOWN_DOCUMENT_TYPE)
    return kind

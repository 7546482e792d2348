"""Names of stored codes (document status and kind, promise status) for showing to people."""

from __future__ import annotations

from bot.escape import escape_mrkdwn
from bot.i18n import N_, Translator
from bot.store.models import DocumentKind, DocumentStatus, PromiseStatus

DOCUMENT_STATUS_LABELS = {
    DocumentStatus.OPEN: N_("Open"),
    DocumentStatus.VOID: N_("Void"),
    DocumentStatus.DRAFT: N_("Draft (not confirmed yet)"),
}

DOCUMENT_KIND_LABELS = {
    DocumentKind.INVOICE: N_("Invoice"),
    DocumentKind.CREDIT_NOTE: N_("Credit note"),
}

PROMISE_STATUS_LABELS = {
    PromiseStatus.OPEN: N_("open"),
    PromiseStatus.KEPT: N_("kept"),
    PromiseStatus.BROKEN: N_("broken"),
    PromiseStatus.SUPERSEDED: N_("superseded"),
}


def label_of(tr: Translator, labels: dict[str, str], code: str) -> str:
    """Return the translated label of a stored code, or the code itself, escaped, when it has none."""
    label = labels.get(code)
    return tr.gettext(label) if label else escape_mrkdwn(code)

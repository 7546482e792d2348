"""`/arrears invoice <number>`: one invoice with its whole history."""

from __future__ import annotations

from bot.invoice_overview import load_invoice_overview
from bot.messages.invoice import (
    invoice_choices_message,
    invoice_gone_message,
    invoice_message,
    invoice_not_found_message,
    invoice_number_missing_message,
)
from bot.store.invoice_lookup import find_invoice
from bot.subcommands.arguments import plain_text
from bot.subcommands.request import SlashRequest


def show_invoice(request: SlashRequest) -> dict:
    number = plain_text(request.argument).strip()
    if not number:
        return invoice_number_missing_message(request.tr)

    with request.services.sessions() as session:
        lookup = find_invoice(session, number)
    if lookup.invoice_id is not None:
        return show_invoice_by_id(request, lookup.invoice_id)
    if lookup.candidates:
        return invoice_choices_message(request.tr, number, lookup.candidates, lookup.ambiguous)
    return invoice_not_found_message(request.tr, number)


def show_invoice_by_id(request: SlashRequest, invoice_id: int) -> dict:
    services = request.services
    settings = services.settings
    with services.sessions() as session:
        overview = load_invoice_overview(session, invoice_id, services.today(), settings.zone)
    if overview is None:
        return invoice_gone_message(request.tr)
    return invoice_message(request.tr, overview, settings.timezone)

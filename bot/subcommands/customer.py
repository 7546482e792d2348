"""`/arrears customer <name or code>`: one customer's balances, aging and largest open invoices."""

from __future__ import annotations

from bot.customer_overview import load_customer_overview
from bot.messages.customer import customer_gone_message, customer_message, customer_query_missing_message
from bot.subcommands.arguments import plain_text
from bot.subcommands.customers import search_customer, unresolved_reply
from bot.subcommands.request import SlashRequest


def show_customer(request: SlashRequest) -> dict:
    query = plain_text(request.argument).strip()
    if not query:
        return customer_query_missing_message(request.tr)

    with request.services.sessions() as session:
        search = search_customer(session, query)
    if search.customer_id is None:
        return unresolved_reply(request.tr, search)
    return show_customer_by_id(request, search.customer_id)


def show_customer_by_id(request: SlashRequest, customer_id: int) -> dict:
    services = request.services
    with services.sessions() as session:
        overview = load_customer_overview(session, customer_id, services.today(), services.settings.zone)
    if overview is None:
        return customer_gone_message(request.tr)
    return customer_message(request.tr, overview)

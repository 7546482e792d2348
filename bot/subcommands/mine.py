"""`/arrears mine`: the customers whose overdue invoices I own, each as a reminder card, largest first."""

from __future__ import annotations

from bot.messages.mine import my_queue_message
from bot.my_queue import load_my_queue, load_queue_cards, to_chase_amount
from bot.reminders.card_data import card_policy
from bot.subcommands.request import SlashRequest

# More cards than fit in one message are never built: a card takes at least five blocks of 50.
MAX_CARDS = 10


def show_my_queue(request: SlashRequest) -> dict:
    services = request.services
    policy = card_policy(services)
    with services.sessions() as session:
        queue = load_my_queue(session, request.user_id, services.today(), amount_of=to_chase_amount,
                              leading_currency=services.settings.default_currency)
        cards = load_queue_cards(session, queue, MAX_CARDS, policy)
    return my_queue_message(request.tr, queue, cards)

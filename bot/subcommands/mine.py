"""`/arrears mine`: the customers whose overdue invoices I own, each as a reminder card, largest first."""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages.mine import my_queue_message
from bot.my_queue import load_my_queue, load_queue_cards, to_chase_amount
from bot.reminders.card_data import card_policy
from bot.services import Services
from bot.subcommands.request import SlashRequest

# More cards than fit in one message are never built: a card takes at least five blocks of 50.
MAX_CARDS = 10


def show_my_queue(request: SlashRequest) -> dict:
    return my_queue_reply(request.services, request.user_id, request.tr)


def my_queue_reply(services: Services, slack_user_id: str, tr: Translator) -> dict:
    """Build the `/arrears mine` message of the user as of today; a card button press redraws it too."""
    policy = card_policy(services)
    with services.sessions() as session:
        queue = load_my_queue(session, slack_user_id, services.today(), amount_of=to_chase_amount,
                              leading_currency=services.settings.default_currency, policy=policy)
        cards = load_queue_cards(session, queue, MAX_CARDS, policy)
    return my_queue_message(tr, queue, cards)

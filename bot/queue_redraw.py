"""Drawing a queue card of `/arrears mine` again after one of its buttons changed something.

An ephemeral message has no ts that chat.update accepts. After Escalate or Resolve dispute,
the press's response_url replaces the whole `/arrears mine` reply with the queue as it is
now, so the user's other cards stay. A modal submission has no response_url, so the
customer's updated card is posted as a new ephemeral message in the same channel.
The redrawn buttons keep their `queue:` values, so every press goes through
bot.queue_cards and finds the day's row there.
"""

from __future__ import annotations

import logging

from slack_bolt import Respond
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.escape import escape_mrkdwn
from bot.i18n import get_translator
from bot.messages.blocks import context
from bot.messages.mine import queue_card_blocks
from bot.my_queue import load_queue_card
from bot.queue_cards import queue_user_id
from bot.reminders.card_data import card_policy
from bot.services import Services
from bot.store.models import ReminderCard
from bot.subcommands.mine import my_queue_reply

logger = logging.getLogger(__name__)


def replace_queue_reply(services: Services, card: ReminderCard, respond: Respond) -> bool:
    """Replace the `/arrears mine` reply that contains the card with the queue as of today; return False on failure."""
    user_id = queue_user_id(card)
    assert user_id is not None, f"reminder card {card.id} is not a queue card"
    reply = my_queue_reply(services, user_id, get_translator(card.locale))
    try:
        response = respond(text=reply["text"], blocks=reply["blocks"], replace_original=True)
    except (SlackClientError, OSError, ValueError) as error:
        # Bolt raises ValueError when the payload has no response_url.
        logger.error("replacing the queue reply of %s after reminder card %s failed: %r", user_id, card.id, error)
        return False
    if response.status_code != 200:
        # Slack accepts a response_url at most five times within 30 minutes of the press.
        logger.error("replacing the queue reply of %s after reminder card %s failed: HTTP %s %s",
                     user_id, card.id, response.status_code, response.body)
        return False
    return True


def post_queue_card(services: Services, card: ReminderCard, *, channel: str) -> bool:
    """Post the card's customer as the queue shows it now, ephemeral to the queue's user; return False on failure."""
    user_id = queue_user_id(card)
    assert user_id is not None, f"reminder card {card.id} is not a queue card"
    tr = get_translator(card.locale)
    today = services.today()
    with services.sessions() as session:
        queue_card = load_queue_card(session, user_id, today, card.customer_id, card_policy(services))
    if queue_card is None:
        logger.info("queue card %s not posted again: %s has no owner row any more", card.id, user_id)
        return False

    blocks = queue_card_blocks(tr, queue_card, user_id)
    blocks.append(context(tr.gettext("Updated card from your queue, as of %(date)s.") % {"date": tr.date(today)}))
    text = tr.gettext("Updated card: %(customer)s") % {"customer": escape_mrkdwn(queue_card.data.customer_name)}
    try:
        services.slack.chat_postEphemeral(channel=channel, user=user_id, text=text, blocks=blocks)
    except SlackApiError as error:
        logger.error("chat.postEphemeral of queue card %s to %s in %s failed: %s",
                     card.id, user_id, channel, error.response.get("error"))
        return False
    except (SlackClientError, OSError) as error:
        logger.error("chat.postEphemeral of queue card %s to %s in %s failed: %r", card.id, user_id, channel, error)
        return False
    return True

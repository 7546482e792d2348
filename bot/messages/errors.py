"""The reply shown when building a reply failed after Slack already got its ack."""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages.blocks import section


def failure_message(tr: Translator) -> dict:
    text = tr.gettext(
        "Sorry, something went wrong while answering. Try again in a minute, "
        "and if it keeps failing, ask your arrears administrator to check the bot's log."
    )
    return {"text": text, "blocks": [section(text)]}

"""The reminder card's buttons and forms: Log contact, Snooze, Escalate, Dispute and Resolve dispute.

Log contact, Snooze and Dispute open their modal with views.open before anything else,
because the payload's trigger_id expires 3 seconds after the press. The modal first shows
a short loading view. Once the card and the user's rights are read, views.update replaces
it with the form.
Escalate and Resolve dispute act at once after Slack's confirmation dialog. After every
action the card is drawn again from the store and updated in place.

The cards of `/arrears mine` carry `queue:` button values instead of a card id. A press on
one first finds or inserts the day's ReminderCard row for it (bot.queue_cards) and then
runs the same workflow. Such a card is ephemeral, so it is redrawn through the press's
response_url, or posted again after a form (bot.queue_redraw).
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any, Callable

from slack_bolt import Ack, App, BoltRequest, Respond
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.i18n import Translator, get_translator
from bot.permissions import Permissions
from bot.queue_buttons import is_queue_button_value
from bot.queue_cards import QueueClick, parse_queue_click, queue_card_for
from bot.queue_redraw import post_queue_card, replace_queue_reply
from bot.reminders import forms
from bot.reminders.access import check_card_access, check_escalation_access, check_resolve_access
from bot.reminders.buttons import FORM_BUTTONS, CardButton, parse_target_level
from bot.reminders.card_actions import (
    ActionContext,
    ActionResult,
    NothingToDo,
    card_choices,
    dispute,
    escalate,
    log_contact,
    resolve_disputes,
    snooze,
)
from bot.reminders.card_data import card_documents, card_policy, escalation_for
from bot.reminders.clicks import CardClick, parse_click, redraw_card
from bot.reminders.form_input import FormErrors, read_contact, read_dispute, read_snooze
from bot.reminders.forms import FormCard
from bot.reminders.notices import load_subject, notify_dispute, notify_escalation
from bot.services import Services
from bot.slack.users import user_locale
from bot.store.models import ReminderCard

logger = logging.getLogger(__name__)

# A press on a sent card, or on a card of `/arrears mine` before its row is found.
Press = CardClick | QueueClick

# Dedup keys are stored in a 255-character column, with ":<invoice id>" added per invoice.
MAX_ACTION_KEY = 200


def register(app: App, services: Services) -> None:
    permissions = Permissions(services)
    for button in sorted(FORM_BUTTONS):
        app.action(button.value)(_form_button_listener(services, permissions))
    app.action(CardButton.ESCALATE.value)(_escalate_listener(services, permissions))
    app.action(CardButton.RESOLVE_DISPUTE.value)(_resolve_listener(services, permissions))
    app.view(forms.LOG_CONTACT_FORM)(_submission_listener(services, permissions, _submit_contact))
    app.view(forms.SNOOZE_FORM)(_submission_listener(services, permissions, _submit_snooze))
    app.view(forms.DISPUTE_FORM)(_submission_listener(services, permissions, _submit_dispute))


# Buttons that open a form -----------------------------------------------------------------------

def _form_button_listener(services: Services, permissions: Permissions):
    def on_form_button(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond,
                       request: BoltRequest) -> None:
        ack()
        press = _parse(body, action)
        if press is None:
            return
        # A queue card's id is not known before its row is read, so its loading view carries none.
        loading_ref = None
        if isinstance(press, CardClick):
            loading_ref = FormCard(press.card_id, press.channel_id, press.message_ts)

        # Nothing may come before views.open: the trigger_id expires 3 seconds after the press.
        view_id = _open_loading_view(services, body.get("trigger_id"), press, loading_ref, respond, request)
        if view_id is None:
            return

        tr = _user_tr(services, press.user_id)
        click = _card_click(services, press)
        if click is None:
            _show_notice(services, view_id, _queue_card_gone_text(tr), tr, press.button)
            return
        card_ref = FormCard(click.card_id, click.channel_id, click.message_ts)
        with services.sessions() as session:
            card = session.get(ReminderCard, click.card_id)
            if card is None:
                _show_notice(services, view_id, _unknown_card_text(tr), tr, click.button)
                return
            denial = check_card_access(permissions, session, card, click.user_id)
            choices = list(card_choices(session, card, services.today()).values()) if denial is None else []

        if denial is not None:
            _show_notice(services, view_id, denial.message(tr), tr, click.button)
            respond(text=denial.message(tr), response_type="ephemeral", replace_original=False)
            return
        if not choices:
            _show_notice(services, view_id, tr.gettext("No invoice on this card is still open."), tr, click.button)
            return
        _update_view(services, view_id, _form_view(click.button, card_ref, choices, services, tr))

    return on_form_button


def _open_loading_view(services: Services, trigger_id: str | None, click: Press, card_ref: FormCard | None,
                       respond: Respond, request: BoltRequest) -> str | None:
    # The user's language is not known yet, and asking Slack for it could outlast the trigger_id.
    tr = get_translator(services.settings.default_locale)
    view = forms.notice_view(tr.gettext(click.button.label), tr.gettext("Loading…"), tr, card_ref)
    try:
        response = services.slack.views_open(trigger_id=trigger_id or "", view=view)
    except SlackApiError as error:
        code = error.response.get("error")
        if _is_retry(request) and code == "invalid_trigger_id":
            # Slack delivered the press again; the first delivery already used the trigger.
            logger.info("ignoring repeat delivery of %s on %s by %s", click.button, _describe(click), click.user_id)
            return None
        logger.warning("views.open failed for %s on %s by %s: %s", click.button, _describe(click), click.user_id, code)
        user_tr = _user_tr(services, click.user_id)
        respond(text=user_tr.gettext(
            "The form could not open because Slack's time to open it ran out. Press the button again."
        ), response_type="ephemeral", replace_original=False)
        return None
    except (SlackClientError, OSError) as error:
        logger.error("views.open failed for %s on %s: %r", click.button, _describe(click), error)
        return None
    return response["view"]["id"]


def _form_view(button: CardButton, card_ref: FormCard, choices: list[forms.InvoiceChoice],
               services: Services, tr: Translator) -> dict[str, Any]:
    if button is CardButton.LOG_CONTACT:
        return forms.log_contact_view(card_ref, choices, services.today(), tr)
    if button is CardButton.SNOOZE:
        return forms.snooze_view(card_ref, choices, tr)
    return forms.dispute_view(card_ref, choices, tr)


def _show_notice(services: Services, view_id: str, text: str, tr: Translator, button: CardButton) -> None:
    _update_view(services, view_id, forms.notice_view(tr.gettext(button.label), text, tr))


def _update_view(services: Services, view_id: str, view: dict[str, Any]) -> None:
    try:
        services.slack.views_update(view_id=view_id, view=view)
    except SlackApiError as error:
        logger.error("views.update failed for view %s: %s %s", view_id, error.response.get("error"),
                     error.response.get("response_metadata"))
    except (SlackClientError, OSError) as error:
        logger.error("views.update failed for view %s: %r", view_id, error)


# Buttons that act at once --------------------------------------------------------------------------

def _escalate_listener(services: Services, permissions: Permissions):
    def on_escalate(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        press = _parse(body, action)
        if press is None:
            return
        tr = _user_tr(services, press.user_id)
        offered_level = _offered_level(press, action)
        click = _card_click(services, press)
        if click is None:
            _ephemeral(respond, _queue_card_gone_text(tr))
            return
        policy = card_policy(services)

        with services.sessions() as session:
            card = session.get(ReminderCard, click.card_id)
            if card is None:
                _ephemeral(respond, _unknown_card_text(tr))
                return
            levels = [document.dunning_level for document in card_documents(
                session, services.today(), card.customer_id, card.owner_id) if not document.disputed]
            step = escalation_for(policy, levels)
            target = offered_level or step.current_level + 1
            if target > len(policy.levels):
                _ephemeral(respond, tr.gettext("These invoices are already at the last level, %(level)s.")
                           % {"level": policy.levels[-1].display_name(tr.locale)})
                return
            level = policy.level(target)
            denial = check_escalation_access(permissions, session, card, click.user_id, level, tr.locale)
        if denial is not None:
            _ephemeral(respond, denial.message(tr))
            return

        try:
            result = escalate(services, _click_context(click), policy, target)
        except NothingToDo as reason:
            logger.info("escalation of reminder card %s by %s changed nothing: %s", click.card_id, click.user_id, reason)
            _ephemeral(respond, tr.gettext("The invoices on this card are already at %(level)s or above.")
                       % {"level": level.display_name(tr.locale)})
            return
        if result.duplicate:
            return
        _redraw_after_press(services, card, click, respond)
        assert result.customer_id is not None
        notify_escalation(services, load_subject(services, result.customer_id, click.user_id, result.invoices), level)

    return on_escalate


def _resolve_listener(services: Services, permissions: Permissions):
    def on_resolve(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        press = _parse(body, action)
        if press is None:
            return
        tr = _user_tr(services, press.user_id)
        click = _card_click(services, press)
        if click is None:
            _ephemeral(respond, _queue_card_gone_text(tr))
            return
        with services.sessions() as session:
            card = session.get(ReminderCard, click.card_id)
            if card is None:
                _ephemeral(respond, _unknown_card_text(tr))
                return
            denial = check_resolve_access(permissions, session, card, click.user_id)
        if denial is not None:
            _ephemeral(respond, denial.message(tr))
            return

        try:
            result = resolve_disputes(services, _click_context(click))
        except NothingToDo:
            _ephemeral(respond, tr.gettext("No invoice on this card is disputed any more."))
            return
        if not result.duplicate:
            _redraw_after_press(services, card, click, respond)

    return on_resolve


# Form submissions ---------------------------------------------------------------------------------

Submit = Callable[[Services, ActionContext, dict[str, Any], dict[int, forms.InvoiceChoice], Translator, Ack],
                  ActionResult | None]


def _submission_listener(services: Services, permissions: Permissions, submit: Submit):
    def on_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user_id = str(body.get("user", {}).get("id", ""))
        try:
            card_ref = FormCard.from_metadata(str(view.get("private_metadata", "")))
        except ValueError as error:
            ack()
            logger.warning("ignoring reminder form submission by %s: %s", user_id, error)
            return
        tr = _user_tr(services, user_id)
        values = view.get("state", {}).get("values", {})

        # Field errors can only be returned in the ack, so the card and the user's rights are read first.
        # NOTE: for a user other than the owner, reading roles may call usergroups.users.list before the
        # ack; its cache (10 minutes) keeps that rare, but a slow Slack then delays the ack.
        with services.sessions() as session:
            card = session.get(ReminderCard, card_ref.card_id)
            denial = check_card_access(permissions, session, card, user_id) if card is not None else None
            choices = card_choices(session, card, services.today()) if card is not None and denial is None else {}
        if card is None or denial is not None:
            text = _unknown_card_text(tr) if card is None else denial.message(tr)
            ack(response_action="update", view=forms.notice_view(tr.gettext("Not saved"), text, tr))
            return

        context = ActionContext(user_id, card_ref.card_id, card_ref.channel, card_ref.message_ts,
                                _view_key(view, values))
        try:
            result = submit(services, context, values, choices, tr, ack)
        except NothingToDo as reason:
            logger.info("form on reminder card %s by %s changed nothing: %s", card_ref.card_id, user_id, reason)
            _post_ephemeral(services, card_ref, user_id, tr.gettext(
                "Nothing was saved: the chosen invoices changed meanwhile. Open the form again from the card."))
            return
        if result is None or result.duplicate:
            return

        if card.message_ts is None:
            post_queue_card(services, card, channel=card_ref.channel)
        else:
            redraw_card(services, card_ref.card_id, channel=card_ref.channel, message_ts=card_ref.message_ts)
        if result.disputed and result.customer_id is not None:
            subject = load_subject(services, result.customer_id, user_id, result.disputed)
            notify_dispute(services, subject, result.dispute_reason or "")

    return on_submission


def _submit_contact(services, context, values, choices, tr, ack) -> ActionResult | None:
    request = _read_form(ack, lambda: read_contact(values, services.today(), choices, tr))
    return None if request is None else log_contact(services, context, request)


def _submit_snooze(services, context, values, choices, tr, ack) -> ActionResult | None:
    request = _read_form(ack, lambda: read_snooze(values, services.today(), choices, tr))
    return None if request is None else snooze(services, context, request)


def _submit_dispute(services, context, values, choices, tr, ack) -> ActionResult | None:
    request = _read_form(ack, lambda: read_dispute(values, choices, tr))
    return None if request is None else dispute(services, context, request)


def _read_form(ack: Ack, read: Callable[[], Any]) -> Any | None:
    """Read a submitted form and ack it: with the field errors (returning None) or plainly (returning the request).

    Slack shows field errors only when they come in the ack, so validation must finish before it.
    """
    try:
        request = read()
    except FormErrors as errors:
        ack(response_action="errors", errors=errors.errors)
        return None
    ack()
    return request


# Helpers -----------------------------------------------------------------------------------------------

def _parse(body: dict[str, Any], action: dict[str, Any]) -> Press | None:
    try:
        if is_queue_button_value(str(action.get("value", ""))):
            return parse_queue_click(body, action)
        return parse_click(body, action)
    except ValueError as error:
        logger.warning("ignoring reminder card button press: %s", error)
        return None


def _card_click(services: Services, press: Press) -> CardClick | None:
    """Return the press as one on a stored card, inserting a queue card's row on its first press.

    Returns None when the queue's user owns none of the customer's overdue invoices any more.
    """
    if isinstance(press, CardClick):
        return press
    locale = user_locale(services, press.target.slack_user_id)
    card = queue_card_for(services, press.target, channel=press.channel_id, locale=locale)
    if card is None:
        return None
    # Activity on a queue card records the channel and ts of the `/arrears mine` reply.
    return CardClick(press.user_id, press.button, card.id, press.action_ts, press.channel_id, press.message_ts)


def _offered_level(press: Press, action: dict[str, Any]) -> int | None:
    """Return the dunning level the pressed Escalate button offered, or None when it names none."""
    if isinstance(press, QueueClick):
        return press.target.target_level
    return parse_target_level(str(action.get("value")))


def _redraw_after_press(services: Services, card: ReminderCard, click: CardClick, respond: Respond) -> None:
    if card.message_ts is None:
        # A queue card's ephemeral message can only be replaced through the press's response_url.
        replace_queue_reply(services, card, respond)
    else:
        redraw_card(services, click.card_id, channel=click.channel_id, message_ts=click.message_ts)


def _describe(press: Press) -> str:
    if isinstance(press, QueueClick):
        return f"queue card of customer {press.target.customer_id} for {press.target.slack_user_id}"
    return f"reminder card {press.card_id}"


def _click_context(click: CardClick) -> ActionContext:
    return ActionContext(click.user_id, click.card_id, click.channel_id, click.message_ts,
                         _short_key(f"{click.button.value}:{click.user_id}:{click.action_ts}"))


def _view_key(view: dict[str, Any], values: dict[str, Any]) -> str:
    # Slack sends a retried submission with the same view id and values.
    digest = hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:40]
    return _short_key(f"view:{view.get('id', '')}:{digest}")


def _short_key(key: str) -> str:
    if len(key) <= MAX_ACTION_KEY:
        return key
    # Slack's ids are short, so this only guards against a malformed payload.
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _is_retry(request: BoltRequest) -> bool:
    values = request.headers.get("x-slack-retry-num") or []
    return bool(values)


def _user_tr(services: Services, user_id: str) -> Translator:
    return get_translator(user_locale(services, user_id))


def _queue_card_gone_text(tr: Translator) -> str:
    return tr.gettext(
        "None of this customer's overdue invoices is yours any more, so nothing was changed. "
        "Run `/arrears mine` again to see your queue as it is now."
    )


def _unknown_card_text(tr: Translator) -> str:
    return tr.gettext("This reminder card is no longer in the database, so nothing was changed.")


def _ephemeral(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def _post_ephemeral(services: Services, card_ref: FormCard, user_id: str, text: str) -> None:
    try:
        services.slack.chat_postEphemeral(channel=card_ref.channel, user=user_id, text=text)
    except (SlackClientError, OSError) as error:
        logger.error("chat.postEphemeral to %s in %s failed: %r", user_id, card_ref.channel, error)

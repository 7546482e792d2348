"""`/arrears pause <customer> [until YYYY-MM-DD]` and `/arrears resume <customer>`.

Finance and admins may pause any customer, and a customer's owner that customer. A pause
without a date lasts until someone resumes it (bot.pauses). Each change is logged once as
`customer.paused` or `customer.resumed`, keyed by the Slack request.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.exc import IntegrityError

from bot.messages.customer_changes import (
    customer_gone_message,
    not_paused_message,
    pause_date_invalid_message,
    pause_date_not_future_message,
    pause_not_allowed_message,
    pause_usage_message,
    paused_message,
    resume_usage_message,
    resumed_message,
)
from bot.pauses import INDEFINITE_PAUSE_UNTIL, is_indefinite, is_paused
from bot.permissions import Role
from bot.store.customer_changes import (
    PAUSED_ACTION,
    RESUMED_ACTION,
    already_recorded,
    pause_customer,
    resume_customer,
)
from bot.store.db import transaction
from bot.store.models import Customer
from bot.subcommands.access import CUSTOMER_MANAGER_ROLES, may_pause, may_pause_any_customer
from bot.subcommands.arguments import parse_day, parse_pause_arguments, plain_text
from bot.subcommands.choices import CHOOSE_CUSTOMER_ACTION, choice_value
from bot.subcommands.customers import search_customer, unresolved_reply
from bot.subcommands.request import SlashRequest

logger = logging.getLogger(__name__)

PAUSE = "pause"
RESUME = "resume"


def pause(request: SlashRequest) -> dict:
    tr = request.tr
    if not _may_try(request):
        return pause_not_allowed_message(tr, CUSTOMER_MANAGER_ROLES)

    arguments = parse_pause_arguments(request.argument)
    if not arguments.customer_query:
        return pause_usage_message(tr)

    until = INDEFINITE_PAUSE_UNTIL
    if arguments.until_text is not None:
        try:
            until = parse_day(arguments.until_text)
        except ValueError:
            return pause_date_invalid_message(tr, arguments.until_text)

    with request.services.sessions() as session:
        search = search_customer(session, arguments.customer_query)
    if search.customer_id is None:
        argument = "" if is_indefinite(until) else until.isoformat()
        return unresolved_reply(tr, search, action_id=CHOOSE_CUSTOMER_ACTION, button_label=tr.gettext("Pause"),
                                value_of=lambda customer_id: choice_value(PAUSE, customer_id, argument))
    return pause_chosen(request, search.customer_id, until)


def pause_by_choice(request: SlashRequest, customer_id: int, argument: str) -> dict:
    """Pause the customer picked from a list; `argument` is the ISO end date, or empty for no end date."""
    until = parse_day(argument) if argument else INDEFINITE_PAUSE_UNTIL
    return pause_chosen(request, customer_id, until)


def pause_chosen(request: SlashRequest, customer_id: int, until: date) -> dict:
    tr = request.tr
    services = request.services
    # Checked here rather than at parsing, so a choice pressed on a later day is checked against that day.
    today = services.today()
    if until <= today:
        return pause_date_not_future_message(tr, until, today)

    dedup_key = f"{PAUSED_ACTION}:{customer_id}:{request.request_key}"
    try:
        with transaction(services.sessions) as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                return customer_gone_message(tr)
            rejection = _rejection(request, customer)
            if rejection is not None:
                return rejection
            if not already_recorded(session, dedup_key):
                pause_customer(session, customer, until, actor=request.user_id, dedup_key=dedup_key,
                               now=services.clock.now())
                logger.info("user %s paused reminders for customer %s until %s",
                            request.user_id, customer.id, until)
            name, code, paused_until = customer.name, customer.code, customer.paused_until
    except IntegrityError:
        # A second delivery of the same request committed first; report the customer as it now is.
        logger.info("pause of customer %s by %s already recorded (%s)", customer_id, request.user_id, dedup_key)
        return _current_pause_reply(request, customer_id)
    return paused_message(tr, name, code, paused_until)


def resume(request: SlashRequest) -> dict:
    tr = request.tr
    if not _may_try(request):
        return pause_not_allowed_message(tr, CUSTOMER_MANAGER_ROLES)

    query = plain_text(request.argument).strip()
    if not query:
        return resume_usage_message(tr)

    with request.services.sessions() as session:
        search = search_customer(session, query)
    if search.customer_id is None:
        return unresolved_reply(tr, search, action_id=CHOOSE_CUSTOMER_ACTION, button_label=tr.gettext("Resume"),
                                value_of=lambda customer_id: choice_value(RESUME, customer_id))
    return resume_chosen(request, search.customer_id)


def resume_by_choice(request: SlashRequest, customer_id: int, _argument: str) -> dict:
    return resume_chosen(request, customer_id)


def resume_chosen(request: SlashRequest, customer_id: int) -> dict:
    tr = request.tr
    services = request.services
    dedup_key = f"{RESUMED_ACTION}:{customer_id}:{request.request_key}"
    try:
        with transaction(services.sessions) as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                return customer_gone_message(tr)
            rejection = _rejection(request, customer)
            if rejection is not None:
                return rejection
            name, code = customer.name, customer.code
            if already_recorded(session, dedup_key):
                return resumed_message(tr, name, code)
            if not is_paused(customer.paused_until, services.today()):
                return not_paused_message(tr, name, code)
            resume_customer(session, customer, actor=request.user_id, dedup_key=dedup_key, now=services.clock.now())
            logger.info("user %s resumed reminders for customer %s", request.user_id, customer.id)
    except IntegrityError:
        logger.info("resume of customer %s by %s already recorded (%s)", customer_id, request.user_id, dedup_key)
    return resumed_message(tr, name, code)


def _may_try(request: SlashRequest) -> bool:
    # Without a manager role, only an owner can be the owner of the customer named.
    return may_pause_any_customer(request.roles) or Role.OWNER in request.roles


def _rejection(request: SlashRequest, customer: Customer) -> dict | None:
    owner_user_id = customer.owner.slack_user_id if customer.owner else None
    if may_pause(request.roles, request.user_id, owner_user_id):
        return None
    logger.info("user %s may not pause or resume customer %s (owner %s)", request.user_id, customer.id, owner_user_id)
    return pause_not_allowed_message(request.tr, CUSTOMER_MANAGER_ROLES, (customer.name, customer.code), owner_user_id)


def _current_pause_reply(request: SlashRequest, customer_id: int) -> dict:
    with request.services.sessions() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            return customer_gone_message(request.tr)
        if customer.paused_until is None:
            return not_paused_message(request.tr, customer.name, customer.code)
        return paused_message(request.tr, customer.name, customer.code, customer.paused_until)

"""`/arrears owner <customer> @user`: make a Slack user the owner of a customer (finance and admins only).

The new owner is the owner row linked to that Slack user. Without one, an owner imported
under the user's email is linked, or a new owner is created with the name users.info gives.
The change is logged once as `customer.owner_changed` with the old and the new owner.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from bot.escape import escape_mrkdwn
from bot.messages.customer_changes import (
    customer_gone_message,
    owner_changed_message,
    owner_not_allowed_message,
    owner_unchanged_message,
    owner_unknown_user_message,
    owner_usage_message,
    owner_user_missing_message,
)
from bot.slack.profiles import UnknownSlackUser, fetch_profile
from bot.store.customer_changes import (
    OWNER_CHANGED_ACTION,
    SlackProfile,
    already_recorded,
    change_owner,
    invoices_with_own_owner,
    owner_by_slack_user,
    owner_for_profile,
)
from bot.store.db import transaction
from bot.store.models import Customer, Owner
from bot.subcommands.access import CUSTOMER_MANAGER_ROLES, may_change_owner
from bot.subcommands.arguments import parse_owner_arguments
from bot.subcommands.choices import CHOOSE_CUSTOMER_ACTION, choice_value
from bot.subcommands.customers import search_customer, unresolved_reply
from bot.subcommands.request import SlashRequest

logger = logging.getLogger(__name__)

OWNER = "owner"


def set_owner(request: SlashRequest) -> dict:
    tr = request.tr
    if not may_change_owner(request.roles):
        return owner_not_allowed_message(tr, CUSTOMER_MANAGER_ROLES)

    arguments = parse_owner_arguments(request.argument)
    if not arguments.customer_query:
        return owner_usage_message(tr)
    if arguments.slack_user_id is None:
        return owner_user_missing_message(tr)

    with request.services.sessions() as session:
        search = search_customer(session, arguments.customer_query)
    if search.customer_id is None:
        user_id = arguments.slack_user_id
        return unresolved_reply(tr, search, action_id=CHOOSE_CUSTOMER_ACTION, button_label=tr.gettext("Choose"),
                                value_of=lambda customer_id: choice_value(OWNER, customer_id, user_id))
    return set_owner_chosen(request, search.customer_id, arguments.slack_user_id)


def set_owner_by_choice(request: SlashRequest, customer_id: int, argument: str) -> dict:
    """Change the owner of the customer picked from a list; `argument` is the new owner's Slack user id."""
    return set_owner_chosen(request, customer_id, argument)


def set_owner_chosen(request: SlashRequest, customer_id: int, new_user_id: str) -> dict:
    tr = request.tr
    services = request.services
    if not may_change_owner(request.roles):
        return owner_not_allowed_message(tr, CUSTOMER_MANAGER_ROLES)

    # users.info is called only for a user no owner row is linked to yet, and outside the transaction.
    with services.sessions() as session:
        known = owner_by_slack_user(session, new_user_id) is not None
    profile = None
    if not known:
        try:
            profile = fetch_profile(services, new_user_id)
        except UnknownSlackUser as error:
            logger.info("owner change of customer %s by %s rejected: %s", customer_id, request.user_id, error)
            return owner_unknown_user_message(tr, new_user_id, error.problem)

    dedup_key = f"{OWNER_CHANGED_ACTION}:{customer_id}:{request.request_key}"
    try:
        with transaction(services.sessions) as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                return customer_gone_message(tr)
            name, code = customer.name, customer.code
            if already_recorded(session, dedup_key):
                return owner_unchanged_message(tr, name, code, new_user_id)

            # An owner row seen above may be gone; the fallback profile then names the user by id.
            new_owner = owner_for_profile(session, profile or SlackProfile(new_user_id, new_user_id, None),
                                          services.clock.now())
            if customer.owner_id == new_owner.id:
                return owner_unchanged_message(tr, name, code, new_user_id)
            old_owner = change_owner(session, customer, new_owner, actor=request.user_id, dedup_key=dedup_key,
                                     now=services.clock.now())
            logger.info("user %s made owner %s (Slack user %s) the owner of customer %s, replacing owner %s",
                        request.user_id, new_owner.id, new_user_id, customer.id, old_owner.id if old_owner else None)
            reply = _changed_reply(request, session, customer, new_user_id, old_owner)
    except IntegrityError:
        logger.info("owner change of customer %s by %s already recorded (%s)", customer_id, request.user_id, dedup_key)
        return owner_unchanged_message(tr, name, code, new_user_id)
    return reply


def _changed_reply(request: SlashRequest, session, customer: Customer, new_user_id: str,
                   old_owner: Owner | None) -> dict:
    return owner_changed_message(
        request.tr, customer.name, customer.code, new_user_id, _owner_text(old_owner),
        invoices_with_own_owner(session, customer.id),
    )


def _owner_text(owner: Owner | None) -> str | None:
    if owner is None:
        return None
    if owner.slack_user_id:
        return f"<@{owner.slack_user_id}>"
    return escape_mrkdwn(owner.display_name[:200])

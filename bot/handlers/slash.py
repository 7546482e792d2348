"""The `/arrears` slash command: a table of subcommands, each replying ephemerally after the ack."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from slack_bolt import Ack, App, Respond
from sqlalchemy.orm import Session

from bot.customer_overview import load_customer_overview
from bot.i18n import N_, Translator, get_translator
from bot.messages.customer import (
    OPEN_CUSTOMER_ACTION,
    CustomerChoice,
    customer_choices_message,
    customer_gone_message,
    customer_message,
    customer_not_found_message,
    customer_query_missing_message,
)
from bot.messages.errors import failure_message
from bot.messages.help import SubcommandUsage, help_message
from bot.services import Services
from bot.slack.users import user_locale
from bot.store.balances import customer_matches
from bot.store.models import Customer
from bot.store.search_text import fold_for_search

logger = logging.getLogger(__name__)

COMMAND = "/arrears"

# A list of matches shows at most this many customers, one section with a button each.
MAX_CUSTOMER_CHOICES = 15


@dataclass(frozen=True)
class SlashRequest:
    services: Services
    tr: Translator
    user_id: str
    # The text after the subcommand name, stripped, or empty when there is none.
    argument: str


@dataclass(frozen=True)
class Subcommand:
    run: Callable[[SlashRequest], dict]
    # Untranslated usage placeholder and one-line description, marked with N_.
    argument: str | None
    summary: str


def show_help(request: SlashRequest) -> dict:
    return _usage(request.tr)


def show_customer(request: SlashRequest) -> dict:
    query = request.argument
    if not query:
        return customer_query_missing_message(request.tr)

    services = request.services
    with services.sessions() as session:
        matches = customer_matches(session, query, limit=MAX_CUSTOMER_CHOICES + 1)
        chosen = _single_match(query, matches)
        if chosen is not None:
            return _customer_reply(session, services, request.tr, chosen.id)

    if not matches:
        return customer_not_found_message(request.tr, query)
    choices = [CustomerChoice(customer.id, customer.code, customer.name) for customer in matches]
    more = len(choices) > MAX_CUSTOMER_CHOICES
    return customer_choices_message(request.tr, query, choices[:MAX_CUSTOMER_CHOICES], more)


SUBCOMMANDS: dict[str, Subcommand] = {
    "customer": Subcommand(
        show_customer,
        N_("<name or code>"),
        N_("Show a customer's open and overdue balance, aging and largest open invoices."),
    ),
    "help": Subcommand(show_help, None, N_("Show this list of subcommands.")),
}


def _single_match(query: str, matches: list[Customer]) -> Customer | None:
    """Pick the customer a query names exactly (its code or full name, ignoring case), or the only match."""
    if len(matches) == 1:
        return matches[0]
    folded = fold_for_search(query.strip())
    exact = [
        customer for customer in matches
        if fold_for_search(customer.code) == folded or fold_for_search(customer.name) == folded
    ]
    return exact[0] if len(exact) == 1 else None


def _customer_reply(session: Session, services: Services, tr: Translator, customer_id: int) -> dict:
    overview = load_customer_overview(session, customer_id, services.today(), services.settings.zone)
    if overview is None:
        return customer_gone_message(tr)
    return customer_message(tr, overview)


def _usage(tr: Translator, unknown_subcommand: str | None = None) -> dict:
    usages = [SubcommandUsage(name, subcommand.argument, subcommand.summary) for name, subcommand in SUBCOMMANDS.items()]
    return help_message(tr, COMMAND, usages, unknown_subcommand=unknown_subcommand)


def answer_command(services: Services, user_id: str, text: str) -> dict:
    """Run the subcommand that `text` names and return its reply, or the usage for an empty or unknown one."""
    tr = get_translator(user_locale(services, user_id))
    name, _, argument = text.strip().partition(" ")
    if not name:
        return _usage(tr)

    subcommand = SUBCOMMANDS.get(name.lower())
    if subcommand is None:
        return _usage(tr, unknown_subcommand=name)
    return subcommand.run(SlashRequest(services, tr, user_id, argument.strip()))


def answer_customer_choice(services: Services, user_id: str, value: str) -> dict:
    """Return the overview of the customer whose button was clicked in a list of matches."""
    tr = get_translator(user_locale(services, user_id))
    try:
        customer_id = int(value)
    except ValueError:
        logger.warning("customer choice from user %s has an invalid value %r", user_id, value)
        return customer_gone_message(tr)

    with services.sessions() as session:
        return _customer_reply(session, services, tr, customer_id)


def register(app: App, services: Services) -> None:
    @app.command(COMMAND)
    def handle_arrears_command(ack: Ack, command: dict, respond: Respond) -> None:
        ack()
        user_id = command.get("user_id", "")
        text = command.get("text") or ""
        _respond_safely(services, respond, user_id, lambda: answer_command(services, user_id, text),
                        context=f"{COMMAND} {text[:50]!r}")

    @app.action(OPEN_CUSTOMER_ACTION)
    def handle_customer_choice(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        user_id = (body.get("user") or {}).get("id", "")
        value = action.get("value", "")
        _respond_safely(services, respond, user_id, lambda: answer_customer_choice(services, user_id, value),
                        context=f"customer choice {value!r}", replace_original=True)


def _respond_safely(services: Services, respond: Respond, user_id: str, build: Callable[[], dict],
                    *, context: str, replace_original: bool | None = None) -> None:
    # The request is acked already, so a failure can only be reported through the response URL.
    try:
        reply = build()
    except Exception:
        logger.exception("building the reply to %s for user %s failed", context, user_id)
        reply = failure_message(get_translator(user_locale(services, user_id)))

    try:
        response = respond(response_type="ephemeral", replace_original=replace_original, **reply)
    except OSError as error:
        logger.error("posting the reply to %s for user %s to the response URL failed: %r", context, user_id, error)
        return
    if response.status_code != 200:
        logger.error("response URL rejected the reply to %s for user %s: HTTP %s %s",
                     context, user_id, response.status_code, str(response.body)[:200])

"""The `/arrears` subcommand table, who may run each subcommand, and dispatch of typed text and list buttons."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from typing import Callable

from bot.i18n import N_, Translator, get_translator
from bot.messages.access import balances_not_allowed_message
from bot.messages.customer import customer_gone_message
from bot.messages.help import SubcommandUsage, help_message
from bot.messages.invoice import invoice_gone_message
from bot.permissions import Permissions
from bot.services import Services
from bot.slack.users import user_locale
from bot.subcommands.access import BALANCE_READER_ROLES, may_read_balances
from bot.subcommands.choices import parse_choice_value
from bot.subcommands.customer import show_customer, show_customer_by_id
from bot.subcommands.invoice import show_invoice, show_invoice_by_id
from bot.subcommands.mine import show_my_queue
from bot.subcommands.owner import OWNER, set_owner, set_owner_by_choice
from bot.subcommands.pause import PAUSE, RESUME, pause, pause_by_choice, resume, resume_by_choice
from bot.subcommands.request import SlashRequest

logger = logging.getLogger(__name__)

COMMAND = "/arrears"


class Access(Enum):
    OPEN = "open"
    # Shows balances: only people with a role that can_read_balances accepts.
    READS_BALANCES = "reads_balances"
    # Changes a customer: the subcommand checks the roles it needs itself.
    CHECKED_BY_SUBCOMMAND = "checked_by_subcommand"


@dataclass(frozen=True)
class Subcommand:
    run: Callable[[SlashRequest], dict]
    # Untranslated usage placeholder and one-line description, marked with N_.
    argument: str | None
    summary: str
    access: Access


def show_help(request: SlashRequest) -> dict:
    return _usage(request.tr)


SUBCOMMANDS: dict[str, Subcommand] = {
    "mine": Subcommand(
        show_my_queue, None,
        N_("Show the customers whose overdue invoices you own, largest first, with the reminder card buttons."),
        Access.READS_BALANCES,
    ),
    "customer": Subcommand(
        show_customer, N_("<name or code>"),
        N_("Show a customer's open and overdue balance, aging and largest open invoices."),
        Access.READS_BALANCES,
    ),
    "invoice": Subcommand(
        show_invoice, N_("<number>"),
        N_("Show one invoice: balance, due date, dispute, promises to pay, payments and activity."),
        Access.READS_BALANCES,
    ),
    PAUSE: Subcommand(
        pause, N_("<name or code> [until YYYY-MM-DD]"),
        N_("Stop reminders for a customer until the given day, or until resumed. "
           "Finance, admins and the customer's owner."),
        Access.CHECKED_BY_SUBCOMMAND,
    ),
    RESUME: Subcommand(
        resume, N_("<name or code>"),
        N_("Start reminders for a paused customer again. Finance, admins and the customer's owner."),
        Access.CHECKED_BY_SUBCOMMAND,
    ),
    OWNER: Subcommand(
        set_owner, N_("<name or code> @person"),
        N_("Make someone the owner of a customer. Finance and admins only."),
        Access.CHECKED_BY_SUBCOMMAND,
    ),
    "help": Subcommand(show_help, None, N_("Show this list of subcommands."), Access.OPEN),
}

# Subcommands that a button in a list of matching customers finishes (see bot.subcommands.choices).
CUSTOMER_CHOICE_RUNS: dict[str, Callable[[SlashRequest, int, str], dict]] = {
    PAUSE: pause_by_choice,
    RESUME: resume_by_choice,
    OWNER: set_owner_by_choice,
}


@dataclass(frozen=True)
class Asker:
    """The person behind one slash command or button press."""

    services: Services
    permissions: Permissions
    user_id: str
    # The command's trigger_id, or an id of the button press; unique per request.
    request_key: str

    def request(self, argument: str = "", *, with_roles: bool = True) -> SlashRequest:
        tr = get_translator(user_locale(self.services, self.user_id))
        roles = frozenset()
        if with_roles:
            with self.services.sessions() as session:
                roles = self.permissions.roles_of(session, self.user_id)
        return SlashRequest(self.services, self.permissions, tr, self.user_id, argument, self.request_key, roles)


def answer_command(asker: Asker, text: str) -> dict:
    """Run the subcommand that `text` names and return its reply, or the usage for an empty or unknown one."""
    name, _, argument = text.strip().partition(" ")
    subcommand = SUBCOMMANDS.get(name.lower()) if name else None
    if subcommand is None:
        request = asker.request(with_roles=False)
        return _usage(request.tr, unknown_subcommand=name or None)

    request = asker.request(argument.strip(), with_roles=subcommand.access is not Access.OPEN)
    if subcommand.access is Access.READS_BALANCES and not may_read_balances(request.roles):
        logger.info("user %s without a role asked for %s %s; balances not shown", asker.user_id, COMMAND, name)
        return _not_allowed(request.tr)
    return subcommand.run(request)


def answer_customer_choice(asker: Asker, value: str) -> dict:
    """Return the overview of the customer whose Show button was clicked in a list of matches."""
    request = asker.request()
    if not may_read_balances(request.roles):
        return _not_allowed(request.tr)
    try:
        customer_id = int(value)
    except ValueError:
        logger.warning("customer choice from user %s has an invalid value %r", asker.user_id, value)
        return customer_gone_message(request.tr)
    return show_customer_by_id(request, customer_id)


def answer_invoice_choice(asker: Asker, value: str) -> dict:
    """Return the history of the invoice whose Show button was clicked in a list of possible invoices."""
    request = asker.request()
    if not may_read_balances(request.roles):
        return _not_allowed(request.tr)
    try:
        invoice_id = int(value)
    except ValueError:
        logger.warning("invoice choice from user %s has an invalid value %r", asker.user_id, value)
        return invoice_gone_message(request.tr)
    return show_invoice_by_id(request, invoice_id)


def answer_customer_action_choice(asker: Asker, value: str) -> dict:
    """Finish pause, resume or owner for the customer picked from a list; the subcommand checks roles again."""
    request = asker.request()
    try:
        choice = parse_choice_value(value)
        run = CUSTOMER_CHOICE_RUNS[choice.subcommand]
    except (ValueError, KeyError):
        logger.warning("customer action choice from user %s has an invalid value %r", asker.user_id, value)
        return customer_gone_message(request.tr)
    return run(request, choice.customer_id, choice.argument)


def _not_allowed(tr: Translator) -> dict:
    return balances_not_allowed_message(tr, [role.label for role in BALANCE_READER_ROLES])


def _usage(tr: Translator, unknown_subcommand: str | None = None) -> dict:
    usages = [SubcommandUsage(name, subcommand.argument, subcommand.summary) for name, subcommand in SUBCOMMANDS.items()]
    reader_roles = [tr.gettext(role.label) for role in BALANCE_READER_ROLES]
    return help_message(tr, COMMAND, usages, unknown_subcommand=unknown_subcommand, reader_roles=reader_roles)

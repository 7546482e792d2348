"""Replies of `/arrears pause`, `resume` and `owner`: what changed, or why nothing did."""

from __future__ import annotations

from datetime import date

from bot.escape import escape_mrkdwn
from bot.i18n import Translator
from bot.messages.access import role_list
from bot.messages.blocks import section, truncate
from bot.pauses import is_indefinite
from bot.permissions import Role

MAX_NAME = 300
MAX_ECHO = 100


def _reply(text: str) -> dict:
    return {"text": text, "blocks": [section(text)]}


def _customer(name: str, code: str) -> str:
    return f"*{escape_mrkdwn(truncate(name, MAX_NAME))}* ({escape_mrkdwn(truncate(code, MAX_NAME))})"


def _role_names(tr: Translator, roles: tuple[Role, ...]) -> list[str]:
    return [tr.gettext(role.label) for role in roles]


# Pause and resume ---------------------------------------------------------------------------


def paused_message(tr: Translator, name: str, code: str, until: date) -> dict:
    if is_indefinite(until):
        return _reply(tr.gettext(
            "Reminders for %(customer)s are paused until someone resumes them with `/arrears resume %(code)s`."
        ) % {"customer": _customer(name, code), "code": escape_mrkdwn(truncate(code, MAX_NAME))})
    return _reply(tr.gettext(
        "Reminders for %(customer)s are paused. They start again on %(date)s."
    ) % {"customer": _customer(name, code), "date": tr.date(until)})


def resumed_message(tr: Translator, name: str, code: str) -> dict:
    return _reply(tr.gettext(
        "Reminders for %(customer)s are no longer paused. The next reminder run includes them again."
    ) % {"customer": _customer(name, code)})


def not_paused_message(tr: Translator, name: str, code: str) -> dict:
    return _reply(tr.gettext("Reminders for %(customer)s are not paused, so there is nothing to resume.")
                  % {"customer": _customer(name, code)})


def pause_not_allowed_message(
    tr: Translator, manager_roles: tuple[Role, ...], customer: tuple[str, str] | None = None,
    owner_user_id: str | None = None,
) -> dict:
    """Build the refusal to pause or resume, naming the roles that may and the customer's owner, when known."""
    if customer is None:
        owner = tr.gettext("the customer's owner")
        text = tr.gettext("Only %(roles)s can pause or resume reminders for a customer.")
        return _reply(text % {"roles": role_list(tr, _role_names(tr, manager_roles) + [owner])})

    owner = tr.gettext("its owner %(owner)s") % {"owner": f"<@{owner_user_id}>"} if owner_user_id \
        else tr.gettext("its owner")
    text = tr.gettext("Only %(roles)s can pause or resume reminders for %(customer)s.")
    return _reply(text % {
        "roles": role_list(tr, _role_names(tr, manager_roles) + [owner]),
        "customer": _customer(*customer),
    })


def pause_usage_message(tr: Translator) -> dict:
    return _reply(tr.gettext(
        "Which customer? Type its name or code, and optionally the day reminders start again: "
        "`/arrears pause ACME until 2026-04-30`. Without a date, the pause lasts until `/arrears resume ACME`."
    ))


def resume_usage_message(tr: Translator) -> dict:
    return _reply(tr.gettext("Which customer? Type its name or code: `/arrears resume ACME`."))


def pause_date_invalid_message(tr: Translator, typed: str) -> dict:
    return _reply(tr.gettext(
        "“%(typed)s” is not a date. Write the day reminders start again as YYYY-MM-DD, "
        "for example `/arrears pause ACME until 2026-04-30`."
    ) % {"typed": escape_mrkdwn(truncate(typed, MAX_ECHO))})


def pause_date_not_future_message(tr: Translator, until: date, today: date) -> dict:
    return _reply(tr.gettext(
        "A pause must end after today (%(today)s), but %(date)s is not. "
        "Choose a later date, or leave the date out to pause until someone resumes reminders."
    ) % {"today": tr.date(today), "date": tr.date(until)})


# Owner --------------------------------------------------------------------------------------


def owner_changed_message(
    tr: Translator, name: str, code: str, new_owner_user_id: str, old_owner: str | None,
    invoices_with_own_owner: int,
) -> dict:
    """Confirm a new owner; `old_owner` is message text for the previous owner (a mention or escaped name)."""
    text = tr.gettext("%(customer)s is now owned by %(new)s (before: %(old)s).") % {
        "customer": _customer(name, code),
        "new": f"<@{new_owner_user_id}>",
        "old": old_owner or tr.gettext("no owner"),
    }
    if invoices_with_own_owner:
        text += " " + tr.ngettext(
            "%(count)s open invoice has an owner of its own and keeps it.",
            "%(count)s open invoices have an owner of their own and keep them.",
            invoices_with_own_owner,
        ) % {"count": tr.number(invoices_with_own_owner)}
    return _reply(text)


def owner_unchanged_message(tr: Translator, name: str, code: str, owner_user_id: str) -> dict:
    return _reply(tr.gettext("%(owner)s already owns %(customer)s, so nothing changed.")
                  % {"owner": f"<@{owner_user_id}>", "customer": _customer(name, code)})


def owner_not_allowed_message(tr: Translator, manager_roles: tuple[Role, ...]) -> dict:
    return _reply(tr.gettext("Only %(roles)s can change who owns a customer.")
                  % {"roles": role_list(tr, _role_names(tr, manager_roles))})


def owner_usage_message(tr: Translator) -> dict:
    return _reply(tr.gettext(
        "Type the customer and mention the new owner: `/arrears owner ACME @someone`."
    ))


def owner_user_missing_message(tr: Translator) -> dict:
    return _reply(tr.gettext(
        "Mention the new owner with @ at the end, for example `/arrears owner ACME @someone`. "
        "If you did and still see this, Slack sent the mention as plain text: "
        "an admin must turn on “Escape channels, users, and links” for the /arrears command in the Slack app settings."
    ))


def owner_unknown_user_message(tr: Translator, user_id: str, problem: str) -> dict:
    texts = {
        "not_found": tr.gettext("Slack has no user %(user)s. Mention a person in this workspace."),
        "deactivated": tr.gettext("%(user)s is deactivated in Slack and cannot own customers."),
        "bot": tr.gettext("%(user)s is a bot and cannot own customers. Mention a person."),
    }
    return _reply(texts.get(problem, texts["not_found"]) % {"user": f"<@{user_id}>"})


def customer_gone_message(tr: Translator) -> dict:
    return _reply(tr.gettext("That customer no longer exists. Type the command again with its code."))

"""The usage message of `/arrears`: each subcommand with a one-line description."""

from __future__ import annotations

from dataclasses import dataclass

from bot.escape import escape_mrkdwn
from bot.i18n import Translator
from bot.messages.access import role_list
from bot.messages.blocks import context, header, join_lines_within, section


@dataclass(frozen=True)
class SubcommandUsage:
    """One line of the usage list; `argument` and `summary` are untranslated (marked with N_)."""

    name: str
    argument: str | None
    summary: str


def help_message(
    tr: Translator,
    command: str,
    subcommands: list[SubcommandUsage],
    unknown_subcommand: str | None = None,
    reader_roles: list[str] | None = None,
) -> dict:
    """Build the usage message, opened by a note when the user typed a subcommand that does not exist.

    `reader_roles` are the translated names of the roles that may see balances.
    """
    blocks = [header(tr.gettext("How to use %(command)s") % {"command": command})]

    if unknown_subcommand is not None:
        # A code span cannot show a backtick, so the echo is plain escaped text.
        blocks.append(section(
            tr.gettext("There is no subcommand “%(name)s”. These are the ones you can use:")
            % {"name": escape_mrkdwn(unknown_subcommand[:100])}
        ))

    lines = [_usage_line(tr, command, subcommand) for subcommand in subcommands]
    text, _ = join_lines_within(lines)
    blocks.append(section(text))
    if reader_roles:
        blocks.append(context(
            tr.gettext("Balances are shown only to people with one of these roles: %(roles)s.")
            % {"roles": role_list(tr, reader_roles)}
        ))
    blocks.append(context(tr.gettext("Replies to %(command)s are visible only to you.") % {"command": command}))

    fallback = tr.gettext("How to use %(command)s") % {"command": command}
    return {"text": fallback, "blocks": blocks}


def _usage_line(tr: Translator, command: str, subcommand: SubcommandUsage) -> str:
    usage = f"{command} {subcommand.name}"
    if subcommand.argument:
        usage += " " + tr.gettext(subcommand.argument)
    return f"`{escape_mrkdwn(usage)}`  {tr.gettext(subcommand.summary)}"

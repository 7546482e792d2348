"""`arrears policy`: check a reminder policy file and show the schedule it implies."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import islice
from pathlib import Path

import click

from bot.cli import main
from bot.cli.context import CliContext, pass_cli
from bot.i18n import N_, Translator
from bot.policy import DayCount, DunningLevel, PolicyError, ReminderPolicy, Tone, default_policy_text, load_policy
from bot.policy.model import DEFAULT_MINIMUM_KEY
from bot.workdays import WorkdayCalendar, holidays_language

LISTED_DAYS = 10
# How far ahead `check` looks for make-up working days.
MAKEUP_SEARCH_DAYS = 366

_TONES = {
    Tone.FRIENDLY: N_("friendly"),
    Tone.FIRM: N_("firm"),
    Tone.FINAL: N_("final"),
}


@main.group("policy")
def policy_group() -> None:
    """Check and show reminder policy files."""


@policy_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="First date of the calendar listing, YYYY-MM-DD. Default: today in ARREARS_TIMEZONE.")
@pass_cli
def check_command(cli: CliContext, file: Path, as_of: datetime | None) -> None:
    """Validate a policy FILE and print the reminder schedule it sets."""
    tr = cli.translator
    try:
        policy = load_policy(file)
    except PolicyError as error:
        raise click.ClickException(error.render(tr)) from error

    start = cli.as_of_or_today(as_of.date() if as_of else None)
    calendar = policy.calendar.build(language=holidays_language(tr.locale))
    click.echo(tr.gettext("%(file)s is a valid reminder policy.") % {"file": file})
    for line in describe_policy(policy, calendar, start, tr):
        click.echo(line)


@policy_group.command("show-default")
def show_default_command() -> None:
    """Print the default policy file, to copy and edit."""
    click.echo(default_policy_text(), nl=False)


def describe_policy(policy: ReminderPolicy, calendar: WorkdayCalendar, start: date, tr: Translator) -> list[str]:
    """Return the lines that describe the policy's levels, tiers, limits and calendar."""
    return [
        *_describe_levels(policy, tr),
        *_describe_reminder_rules(policy, tr),
        *_describe_tiers(policy, tr),
        *_describe_calendar(policy, calendar, start, tr),
    ]


def _describe_levels(policy: ReminderPolicy, tr: Translator) -> list[str]:
    lines = ["", tr.gettext("Dunning levels:")]
    for number, level in enumerate(policy.levels, start=1):
        lines.append(tr.gettext("  %(number)s. %(name)s (%(key)s): %(threshold)s, %(tone)s tone") % {
            "number": number,
            "name": level.display_name(tr.locale),
            "key": level.key,
            "threshold": _threshold(level, tr),
            "tone": tr.gettext(_TONES[level.tone]),
        })
        lines.append(tr.gettext("     Reminds: %(recipients)s") % {"recipients": _recipients(level, tr)})
    return lines


def _threshold(level: DunningLevel, tr: Translator) -> str:
    count = level.threshold_days
    if level.counted_in == DayCount.WORKING:
        text = tr.ngettext("%(count)s working day past due", "%(count)s working days past due", count)
    else:
        text = tr.ngettext("%(count)s day past due", "%(count)s days past due", count)
    return text % {"count": count}


def _recipients(level: DunningLevel, tr: Translator) -> str:
    recipients = level.recipients
    names = []
    if recipients.owner:
        names.append(tr.gettext("the invoice owner"))
    names.extend(recipients.users)
    if recipients.usergroup:
        names.append(tr.gettext("user group %(usergroup)s in channel %(channel)s") % {
            "usergroup": recipients.usergroup, "channel": recipients.channel,
        })
    elif recipients.channel:
        names.append(tr.gettext("channel %(channel)s") % {"channel": recipients.channel})
    return tr.gettext(", ").join(names)


def _describe_reminder_rules(policy: ReminderPolicy, tr: Translator) -> list[str]:
    lines = [""]
    if policy.pre_due_days:
        days = tr.gettext(", ").join(tr.number(count) for count in sorted(policy.pre_due_days))
        lines.append(tr.gettext("Pre-due reminders: %(days)s days before the due date") % {"days": days})
    else:
        lines.append(tr.gettext("Pre-due reminders: none"))

    grace = policy.promise_grace_days
    lines.append(tr.ngettext(
        "Promise grace: %(count)s day after the promised date",
        "Promise grace: %(count)s days after the promised date",
        grace,
    ) % {"count": grace})

    lines.append(tr.gettext("Minimum open amount:"))
    for key, amount in sorted(policy.minimum_open_amount.items()):
        if key == DEFAULT_MINIMUM_KEY:
            lines.append(tr.gettext("  other currencies: %(amount)s") % {"amount": tr.number(amount)})
        else:
            lines.append(tr.gettext("  %(currency)s: %(amount)s") % {"currency": key, "amount": tr.money(amount, key)})
    return lines


def _describe_tiers(policy: ReminderPolicy, tr: Translator) -> list[str]:
    lines = ["", tr.gettext("Customer tiers (repeat interval):")]
    for name, tier in policy.tiers.items():
        interval = tr.ngettext(
            "every %(count)s day", "every %(count)s days", tier.repeat_interval_days,
        ) % {"count": tier.repeat_interval_days}
        if name == policy.default_tier:
            line = tr.gettext("  %(tier)s (default): %(interval)s")
        else:
            line = tr.gettext("  %(tier)s: %(interval)s")
        lines.append(line % {"tier": name, "interval": interval})
    return lines


def _describe_calendar(policy: ReminderPolicy, calendar: WorkdayCalendar, start: date, tr: Translator) -> list[str]:
    weekday_names = tr.babel_locale.days["format"]["abbreviated"]
    weekend = tr.gettext(", ").join(weekday_names[day] for day in policy.calendar.weekend)
    if policy.calendar.country:
        holidays_of = policy.calendar.country
        if policy.calendar.subdivision:
            holidays_of += "-" + policy.calendar.subdivision
        summary = tr.gettext("Calendar: public holidays of %(country)s, weekend %(weekend)s")
    else:
        holidays_of = ""
        summary = tr.gettext("Calendar: no public holidays, weekend %(weekend)s")
    lines = ["", summary % {"country": holidays_of, "weekend": weekend}]

    lines.append(tr.gettext("Next %(count)s non-working days from %(date)s:") % {
        "count": LISTED_DAYS, "date": tr.date(start),
    })
    for day in islice(calendar.non_working_days(start), LISTED_DAYS):
        lines.append(_dated_line(day, _closure_reason(policy, calendar, day, tr), tr))

    makeup_days = calendar.makeup_working_days(start, start + timedelta(days=MAKEUP_SEARCH_DAYS - 1))
    lines.append(tr.gettext("Make-up working days in the next %(count)s days:") % {"count": MAKEUP_SEARCH_DAYS})
    if not makeup_days:
        lines.append(tr.gettext("  none"))
    for day in makeup_days[:LISTED_DAYS]:
        lines.append(_dated_line(day, "", tr))
    return lines


def _closure_reason(policy: ReminderPolicy, calendar: WorkdayCalendar, day: date, tr: Translator) -> str:
    if day in policy.calendar.closed_dates:
        return tr.gettext("closed by the policy")
    holiday = calendar.holiday_name(day)
    if holiday:
        return holiday
    return tr.gettext("weekend")


def _dated_line(day: date, note: str, tr: Translator) -> str:
    weekday = tr.babel_locale.days["format"]["abbreviated"][day.weekday()]
    if not note:
        return tr.gettext("  %(date)s %(weekday)s") % {"date": day.isoformat(), "weekday": weekday}
    return tr.gettext("  %(date)s %(weekday)s  %(note)s") % {"date": day.isoformat(), "weekday": weekday, "note": note}

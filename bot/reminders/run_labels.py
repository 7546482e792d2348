"""Translated wording for a reminder run's skip reasons and card decisions, shared by the CLI and the dry run."""

from __future__ import annotations

from collections.abc import Mapping

from bot.dunning import SendKind, SkipReason
from bot.i18n import N_, Translator
from bot.policy import ReminderPolicy, Tone
from bot.reminders.selection import NOT_OPEN

# In the order the CLI lists them: the reasons an owner acts on first.
SKIP_REASON_LABELS = {
    SkipReason.NOT_WORKING_DAY.value: N_("not a working day"),
    SkipReason.NOT_DUE_YET.value: N_("not due yet"),
    SkipReason.WAITING_REPEAT_INTERVAL.value: N_("waiting for the repeat interval"),
    SkipReason.ALREADY_SENT_TODAY.value: N_("already reminded today"),
    SkipReason.SNOOZED.value: N_("snoozed"),
    SkipReason.PROMISED.value: N_("promised to pay"),
    SkipReason.DISPUTED.value: N_("disputed"),
    SkipReason.PAUSED.value: N_("customer paused"),
    SkipReason.BELOW_MINIMUM.value: N_("below the minimum amount"),
    SkipReason.CUSTOMER_IN_NET_CREDIT.value: N_("customer in net credit"),
    SkipReason.NO_DUE_DATE.value: N_("no due date"),
    SkipReason.PAID.value: N_("paid"),
    NOT_OPEN: N_("void or draft"),
}

_TONES = {
    Tone.FRIENDLY: N_("friendly"),
    Tone.FIRM: N_("firm"),
    Tone.FINAL: N_("final"),
}


def describe_skips(skipped: Mapping[str, int], tr: Translator) -> str | None:
    """Return one line with the count of unchased invoices per reason, or None when nothing was skipped."""
    parts = []
    for reason, label in SKIP_REASON_LABELS.items():
        count = skipped.get(reason, 0)
        if count:
            parts.append(tr.gettext("%(count)s %(reason)s") % {"count": tr.number(count), "reason": tr.gettext(label)})
    # A reason this module does not know yet is still counted, under its code.
    for reason, count in sorted(skipped.items()):
        if count and reason not in SKIP_REASON_LABELS:
            parts.append(tr.gettext("%(count)s %(reason)s") % {"count": tr.number(count), "reason": reason})
    if not parts:
        return None
    return tr.gettext("Invoices not chased: %(reasons)s.") % {"reasons": ", ".join(parts)}


def describe_decision(kind: str, level: int, policy: ReminderPolicy, tr: Translator) -> str:
    """Return the decision behind a card, such as "new dunning level 2, Finance follow-up (firm tone)"."""
    if kind == SendKind.PRE_DUE:
        return tr.gettext("pre-due reminder (friendly tone)")
    dunning_level = policy.level(min(level, len(policy.levels)))
    values = {
        "level": tr.number(level),
        "name": dunning_level.display_name(tr.locale),
        "tone": tr.gettext(_TONES[dunning_level.tone]),
    }
    if kind == SendKind.LEVEL:
        return tr.gettext("new dunning level %(level)s, %(name)s (%(tone)s tone)") % values
    return tr.gettext("repeat of dunning level %(level)s, %(name)s (%(tone)s tone)") % values

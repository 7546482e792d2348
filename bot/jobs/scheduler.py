"""The in-process scheduler: the digest and the owner reminders at their local times on working days.

Both jobs are idempotent per local date (digest posts and reminder cards are claimed in the
database before sending), so a second replica running the same schedule sends nothing twice.
"""

from __future__ import annotations

import logging
from typing import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.config import Settings
from bot.policy import load_policy
from bot.services import Services
from bot.workdays import WorkdayCalendar

logger = logging.getLogger(__name__)

DIGEST_JOB_ID = "digest"
REMINDERS_JOB_ID = "reminders"

# A run that starts up to this late, because the process was suspended or busy, still runs.
# A later one is dropped and the next day's run takes over. Coalescing turns several missed runs into one.
MISFIRE_GRACE_SECONDS = 30 * 60


def working_day_calendar(settings: Settings) -> WorkdayCalendar:
    """Build the working-day calendar of the reminder policy (ARREARS_POLICY_FILE, else the default policy).

    Raises PolicyError when the policy file is missing or invalid.
    """
    return load_policy(settings.policy_file).calendar.build()


def run_scheduled_digest(services: Services, calendar: WorkdayCalendar) -> None:
    """Post today's digest unless today is not a working day. Errors are logged, not raised."""

    def post_digest() -> None:
        # Imported when the job runs, so a broken job module fails that job, not the bot's start.
        from bot.jobs.digest import run_digest

        run_digest(services, scheduled=True, calendar=calendar)

    _run_on_working_day(DIGEST_JOB_ID, services, calendar, post_digest)


def run_scheduled_reminders(services: Services, calendar: WorkdayCalendar) -> None:
    """Send today's reminder cards unless today is not a working day. Errors are logged, not raised."""

    def send_reminders() -> None:
        from bot.jobs.reminders import run_reminders

        run_reminders(services, scheduled=True)

    _run_on_working_day(REMINDERS_JOB_ID, services, calendar, send_reminders)


def _run_on_working_day(job_id: str, services: Services, calendar: WorkdayCalendar, run: Callable[[], object]) -> None:
    today = services.today()
    if not calendar.is_working_day(today):
        logger.info("job %s skipped: %s is not a working day", job_id, today)
        return

    logger.info("job %s started for %s", job_id, today)
    try:
        run()
    except Exception:
        # The scheduler thread must survive, so tomorrow's run still happens.
        logger.exception("job %s failed for %s", job_id, today)
        return
    logger.info("job %s finished for %s", job_id, today)


def create_scheduler(services: Services, calendar: WorkdayCalendar | None = None) -> BackgroundScheduler:
    """Schedule the digest at ARREARS_DIGEST_TIME and the reminders at ARREARS_REMINDER_TIME, daily in ARREARS_TIMEZONE.

    The scheduler is returned unstarted. Raises PolicyError when no calendar is given and
    the policy file is invalid.
    """
    settings = services.settings
    calendar = calendar or working_day_calendar(settings)
    scheduler = BackgroundScheduler(timezone=settings.zone)

    schedule = (
        (DIGEST_JOB_ID, run_scheduled_digest, settings.digest_time),
        (REMINDERS_JOB_ID, run_scheduled_reminders, settings.reminder_time),
    )
    for job_id, function, at in schedule:
        scheduler.add_job(
            function,
            CronTrigger(hour=at.hour, minute=at.minute, timezone=settings.zone),
            id=job_id,
            name=job_id,
            kwargs={"services": services, "calendar": calendar},
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            replace_existing=True,
        )
        logger.info("job %s scheduled daily at %s %s on working days", job_id, at.strftime("%H:%M"), settings.timezone)
    return scheduler

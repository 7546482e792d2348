"""`arrears run`: the scheduler's jobs, the long-running bot in a thread, and the command as a process."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.cli.run import BotRunner
from bot.jobs.scheduler import (
    DIGEST_JOB_ID,
    MISFIRE_GRACE_SECONDS,
    REMINDERS_JOB_ID,
    create_scheduler,
    run_scheduled_digest,
    run_scheduled_reminders,
)
from bot.store.db import transaction
from bot.workdays import WorkdayCalendar
from tests.bot_server import BOT_TOKEN, SIGNING_SECRET, slack_settings
from tests.ledger_builder import LedgerBuilder
from tests.slack_requests import SlackSender

DIGEST_CHANNEL = "C0DIGEST"
MONDAY_CALENDAR = WorkdayCalendar()  # weekends only, no public holidays
SATURDAY_MORNING = datetime(2026, 3, 21, 1, 30, tzinfo=timezone.utc)


def _add_overdue_invoice(services) -> None:
    with transaction(services.sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("ACME", "Acme Corp")
        ledger.invoice(customer, "INV-1", "1000.00", date(2026, 2, 1))


def test_scheduler_jobs_at_configured_times(make_services, standin, sqlite_url):
    services = make_services(sqlite_url, ARREARS_TIMEZONE="Asia/Shanghai", ARREARS_DIGEST_TIME="08:15",
                             ARREARS_REMINDER_TIME="10:45", **slack_settings(standin))

    scheduler = create_scheduler(services, MONDAY_CALENDAR)

    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {DIGEST_JOB_ID, REMINDERS_JOB_ID}
    after = datetime(2026, 3, 16, 0, 0, tzinfo=timezone.utc)  # 08:00 in Asia/Shanghai
    digest_next = jobs[DIGEST_JOB_ID].trigger.get_next_fire_time(None, after)
    reminders_next = jobs[REMINDERS_JOB_ID].trigger.get_next_fire_time(None, after)
    assert digest_next.astimezone(timezone.utc) == datetime(2026, 3, 16, 0, 15, tzinfo=timezone.utc)
    assert reminders_next.astimezone(timezone.utc) == datetime(2026, 3, 16, 2, 45, tzinfo=timezone.utc)
    for job in jobs.values():
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS


def test_scheduled_digest_skips_non_working_day(make_services, standin, sqlite_url, clock, caplog):
    clock.set(SATURDAY_MORNING)
    services = make_services(sqlite_url, ARREARS_DIGEST_CHANNELS=DIGEST_CHANNEL, **slack_settings(standin))
    _add_overdue_invoice(services)

    with caplog.at_level(logging.INFO, logger="bot.jobs.scheduler"):
        run_scheduled_digest(services, MONDAY_CALENDAR)

    assert standin.calls_to("chat.postMessage") == []
    assert "job digest skipped: 2026-03-21 is not a working day" in caplog.text


def test_scheduled_reminders_skip_non_working_day(make_services, standin, sqlite_url, clock, caplog):
    clock.set(SATURDAY_MORNING)
    services = make_services(sqlite_url, **slack_settings(standin))

    with caplog.at_level(logging.INFO, logger="bot.jobs.scheduler"):
        run_scheduled_reminders(services, MONDAY_CALENDAR)

    assert "job reminders skipped: 2026-03-21 is not a working day" in caplog.text


def test_scheduled_job_error_is_logged(make_services, standin, tmp_path, caplog):
    # An empty database file has no tables, so the run fails inside the job.
    services = make_services(f"sqlite:///{tmp_path}/empty.db", **slack_settings(standin))

    with caplog.at_level(logging.INFO, logger="bot.jobs.scheduler"):
        run_scheduled_reminders(services, MONDAY_CALENDAR)

    assert "job reminders failed for 2026-03-16" in caplog.text


def test_scheduled_digest_posts_on_working_day(make_services, standin, database_url):
    services = make_services(database_url, ARREARS_DIGEST_CHANNELS=DIGEST_CHANNEL, **slack_settings(standin))
    _add_overdue_invoice(services)

    run_scheduled_digest(services, MONDAY_CALENDAR)

    [message] = standin.messages_in(DIGEST_CHANNEL)
    assert "Acme Corp" in str(message.blocks)


@pytest.fixture
def runner(make_services, standin, database_url):
    """A BotRunner serving on an ephemeral loopback port, run in a thread and stopped at the end."""
    services = make_services(database_url, ARREARS_DIGEST_CHANNELS=DIGEST_CHANNEL, **slack_settings(standin))
    _add_overdue_invoice(services)
    bot = BotRunner(services, host="127.0.0.1", port=0, calendar=MONDAY_CALENDAR)
    thread = threading.Thread(target=bot.run, name="bot-runner", daemon=True)
    thread.start()
    yield bot
    bot.stop()
    thread.join(timeout=15)
    assert not thread.is_alive()
    assert not bot.scheduler.running


def test_run_fires_digest_job(runner, standin):
    job = runner.scheduler.get_job(DIGEST_JOB_ID)

    # Fire the real job now, through the running scheduler's own thread.
    job.modify(next_run_time=datetime.now(timezone.utc))

    [message] = standin.wait_for(lambda: standin.messages_in(DIGEST_CHANNEL), timeout=15)
    assert "Acme Corp" in str(message.blocks)


def test_run_serves_slash_command(runner, standin):
    sender = SlackSender(runner.url + "/slack/events", SIGNING_SECRET)
    response_url = standin.response_url()

    result = sender.slash_command("help", user_id="U0ALICE", response_url=response_url)

    assert result.status == 200
    assert standin.wait_for(lambda: standin.responses)[0]["url"] == response_url[len(standin.base_url):]


def test_run_serves_healthz(runner):
    with urllib.request.urlopen(runner.url + "/healthz", timeout=5) as response:
        assert response.status == 200


def test_run_picks_socket_mode(make_services, standin, sqlite_url):
    services = make_services(sqlite_url, SLACK_APP_TOKEN="xapp-1-test", **slack_settings(standin))

    bot = BotRunner(services, calendar=MONDAY_CALENDAR)

    assert bot.mode == "socket"
    assert bot.url is None


def test_run_command_requires_signing_secret(settings_env, tmp_path):
    settings_env.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    settings_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/arrears.db")

    result = CliRunner().invoke(main, ["run"])

    assert result.exit_code == 1
    assert "missing SLACK_SIGNING_SECRET" in result.output


def test_run_command_rejects_invalid_time(settings_env, tmp_path):
    settings_env.setenv("ARREARS_DIGEST_TIME", "25:00")

    result = CliRunner().invoke(main, ["run"])

    assert result.exit_code == 1
    assert "ARREARS_DIGEST_TIME" in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"arrears run exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {timeout} seconds")


def test_run_command_stops_on_sigterm(standin, tmp_path):
    port = _free_port()
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("SLACK_", "ARREARS_"))},
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/arrears.db",
        "PORT": str(port),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        _wait_until_healthy(f"http://127.0.0.1:{port}/healthz", process)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 0, output
    assert f"serving Slack requests at http://127.0.0.1:{port}/slack/events" in output
    assert "stopped" in output
    assert Path(tmp_path, "arrears.db").exists()

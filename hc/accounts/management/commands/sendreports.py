"""`manage.py sendreports [--loop]`: periodic reports and reminders (monitoring §6.3).

Several processes may run at once: each report or reminder is claimed with a
compare-and-set update before it is sent.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser, OutputWrapper
from django.db import close_old_connections, connection
from django.utils import timezone

from hc.accounts.models import ReportFrequency
from hc.accounts.report_schedule import claim_due_nag, claim_due_report, do_stop_nags
from hc.accounts.reports import send_nag, send_report
from hc.lib.emails import EmailError

logger = logging.getLogger(__name__)

# Seconds to wait after each email (mail providers throttle bursts); tests set 0.
PAUSE_AFTER_EMAIL = 3.0
# Seconds between passes with --loop, waited in 1 s steps to notice signals.
LOOP_SECONDS = 60
# Replaced in tests, so the loop can be driven without waiting.
sleep: Callable[[float], None] = time.sleep


def _pause() -> None:
    if PAUSE_AFTER_EMAIL:
        sleep(PAUSE_AFTER_EMAIL)


def send_due_reports(stdout: OutputWrapper, stop: Callable[[], bool] = lambda: False) -> int:
    """Send every report that is due; the number sent."""
    sent = 0
    while not stop() and (profile := claim_due_report()):
        try:
            if not send_report(profile, timezone.now()):
                continue
        except EmailError as e:
            logger.warning("Report to %s failed: %s", profile.user.email, e)
            continue
        label = ReportFrequency(profile.reports).label.lower()
        stdout.write(f"Sent {label} report to {profile.user.email}")
        sent += 1
        _pause()
    return sent


def send_due_nags(stdout: OutputWrapper, stop: Callable[[], bool] = lambda: False) -> int:
    """Send every reminder that is due; the number sent."""
    sent = 0
    while not stop() and (profile := claim_due_nag()):
        try:
            if not send_nag(profile, timezone.now()):
                # Nothing is down (or nothing was pinged for months): no more
                # reminders until the next flip schedules one.
                do_stop_nags(profile)
                continue
        except EmailError as e:
            logger.warning("Reminder to %s failed: %s", profile.user.email, e)
            continue
        stdout.write(f"Sent nag to {profile.user.email}")
        sent += 1
        _pause()
    return sent


def run_pass(stdout: OutputWrapper, stop: Callable[[], bool] = lambda: False) -> int:
    """One pass over due reports, then due reminders; the number of emails sent."""
    return send_due_reports(stdout, stop) + send_due_nags(stdout, stop)


def _prepare_connection() -> None:
    # Inside a transaction (tests) the connection must stay as it is.
    if not connection.in_atomic_block:
        close_old_connections()
    if connection.vendor == "postgresql":
        # Shows in pg_stat_activity; set per pass as a refresh reconnects.
        with connection.cursor() as cursor:
            cursor.execute("SET application_name = 'sendreports'")


class Command(BaseCommand):
    help = "Send due periodic reports and reminders; with --loop, every 60 seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            action="store_true",
            help="keep running, checking for due emails every 60 seconds",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
        for sig in handlers:
            signal.signal(sig, self._on_signal)
        try:
            self._run(loop=options["loop"])
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # Finish the email in progress, then exit.
        self.stopping = True

    def _stop_requested(self) -> bool:
        return self.stopping

    def _run(self, *, loop: bool) -> None:
        while not self.stopping:
            _prepare_connection()
            run_pass(self.stdout, self._stop_requested)
            if not loop:
                return
            for _ in range(LOOP_SECONDS):
                if self.stopping:
                    break
                sleep(1)
        self.stdout.write("Stopped.")

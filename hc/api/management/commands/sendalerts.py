"""`manage.py sendalerts`: mark overdue checks down and deliver notifications.

Run it under a supervisor. Any number may run at once, on one host or
several: all coordination happens through the database (hc.api.services.alerts).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, InterfaceError, close_old_connections, connection
from django.db.backends.signals import connection_created
from django.utils import timezone

from hc.api.models import Notification
from hc.api.services import alerts

logger = logging.getLogger("hc.sendalerts")

# Without LISTEN/NOTIFY (SQLite, MySQL) new flips are noticed by polling.
POLL_SECONDS = 0.2
# With it, polling only catches deadlines moved earlier by other processes.
POLL_SECONDS_NOTIFY = 1.0
FLIPS_PER_SEAT = 8
GATHER_SECONDS = 0.03
# How often deadlines, retries and expired leases are looked for even when
# nothing is known to be due (another process may have changed them).
SWEEP_SECONDS = 0.5
# Pause after a database error before trying again.
ERROR_PAUSE = 1.0


def _configure_session(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET application_name = 'sendalerts'")
            # Not waiting for each commit's WAL flush is safe here: a commit
            # lost in a database crash only means a flip is claimed, or an
            # alert sent, once more (at least once); nothing is dropped.
            cursor.execute("SET synchronous_commit = off")


class FlipListener(threading.Thread):
    """Sets `wake` whenever PostgreSQL reports a new unprocessed flip."""

    def __init__(self, wake: threading.Event, stopping: threading.Event) -> None:
        super().__init__(name="flip-listener", daemon=True)
        self.wake, self.stopping = wake, stopping

    def run(self) -> None:
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("server_side_binding", None)
        while not self.stopping.is_set():
            try:
                with psycopg.connect(**params, autocommit=True) as conn:
                    conn.execute("LISTEN hc_flips")
                    # Flips may have arrived while we were not listening.
                    self.wake.set()
                    while not self.stopping.is_set():
                        for _ in conn.notifies(timeout=1.0):
                            self.wake.set()
            except psycopg.Error as e:
                logger.warning("LISTEN connection lost (%s); reconnecting", e)
                self.stopping.wait(ERROR_PAUSE)


class Command(BaseCommand):
    help = "Sends notifications when checks go down or come back up."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--num-workers",
            type=int,
            default=1,
            help="Delivery threads; also how many notifications are in flight at once.",
        )
        parser.add_argument("--pool", action="store_true", help="Obsolete; ignored.")

    def handle(self, *args: Any, num_workers: int, pool: bool, **options: Any) -> None:
        if pool:
            self.stdout.write("--pool is not supported any more and will be ignored")
        if num_workers < 1:
            num_workers = 1
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self.seats = threading.Semaphore(num_workers)
        self.num_workers = num_workers
        self.next_sweep = 0.0  # time.monotonic() of the next full pass
        self.next_due: datetime | None = None
        self.projects: set[int] = set()  # whose reminder dates need a refresh
        connection_created.connect(_configure_session)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self.on_signal)

        listening = connection.vendor == "postgresql"
        if listening:
            FlipListener(self.wake, self.stopping).start()
        self.stdout.write("sendalerts is now running")
        with ThreadPoolExecutor(num_workers, thread_name_prefix="deliver") as executor:
            self.executor = executor
            while not self.stopping.is_set():
                try:
                    if not self.iteration():
                        self.sleep(POLL_SECONDS_NOTIFY if listening else POLL_SECONDS)
                except (DatabaseError, InterfaceError) as e:
                    # The database restarted or timed out: keep going.
                    logger.warning("Database error in sendalerts (%s); retrying", e)
                    self.stdout.write(f"Database error: {e}")
                    connection.close()
                    self.stopping.wait(ERROR_PAUSE)
            self.stdout.write("Waiting for deliveries in flight...")
        self.stdout.write("Done.")

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stdout.write(f"{signal.strsignal(signum)}, finishing...")
        self.stopping.set()
        self.wake.set()

    def sleep(self, poll: float) -> None:
        """Sleep until the next due moment, a NOTIFY, a free seat or `poll`."""
        timeout = min(poll, max(self.next_sweep - time.monotonic(), 0.0))
        if self.next_due is not None:
            until_due = (self.next_due - timezone.now()).total_seconds()
            timeout = min(timeout, max(until_due, 0.0) + 0.001)
        if self.wake.wait(timeout) and not self.stopping.is_set():
            # Woken early (a new flip, a free seat): in a burst more flips
            # follow within milliseconds, and one claim for many is cheaper.
            time.sleep(GATHER_SECONDS)
        self.wake.clear()

    def iteration(self) -> bool:
        """Claim new flips and, now and then, do a full pass over the rest.

        New flips arrive all the time (each NOTIFY wakes us), so that part
        is kept to one short transaction. Deadlines, retries, expired leases
        and reminder dates are handled by the full pass, which runs every
        SWEEP_SECONDS or when something known to be due comes due.
        """
        close_old_connections()
        busy = False
        now = time.monotonic()
        due = self.next_due is not None and self.next_due <= timezone.now()
        sweep = now >= self.next_sweep or due
        if sweep:
            self.next_sweep = now + SWEEP_SECONDS
            while not self.stopping.is_set() and alerts.mark_going_down():
                busy = True
        free = self.free_seats()
        if free and not self.stopping.is_set():
            # A few flips per free seat: claiming costs about as much for
            # ten flips as for one, and a short queue waits milliseconds.
            claim = alerts.claim_flips(free * FLIPS_PER_SEAT)
            self.projects |= claim.projects
            self.submit(claim)
            busy = busy or claim.flips > 0
        if sweep:
            alerts.update_nag_dates(self.projects)
            self.projects = set()
            free = self.free_seats()
            if free and not self.stopping.is_set():
                claim = alerts.claim_due(free)
                self.submit(claim)
                busy = busy or bool(claim.notifications)
            self.next_due = alerts.next_wakeup()
        return busy

    def free_seats(self) -> int:
        # Claim only about what the workers can start on now, so leases
        # are not spent waiting in a queue.
        taken = 0
        while taken < self.num_workers and self.seats.acquire(blocking=False):
            taken += 1
        for _ in range(taken):
            self.seats.release()
        return taken

    def submit(self, claim: alerts.Claim) -> None:
        for notification in claim.notifications:
            self.seats.acquire()
            future = self.executor.submit(self.deliver, notification, claim.token)
            future.add_done_callback(self.on_done)

    def deliver(self, notification: Notification, token: uuid.UUID) -> alerts.Outcome | None:
        try:
            close_old_connections()
            return alerts.deliver(notification, token)
        except (DatabaseError, InterfaceError) as e:
            # The lease runs out and the notification is claimed again.
            logger.warning("Database error delivering %s (%s)", notification.code, e)
            connection.close()
            return None

    def on_done(self, future: Future[alerts.Outcome | None]) -> None:
        self.seats.release()
        self.wake.set()
        try:
            outcome = future.result()
        except Exception:
            logger.exception("Unexpected error in a delivery thread")
            return
        if outcome is not None and outcome.sent:
            self.stdout.write(outcome.log_line())

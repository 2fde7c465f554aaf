"""sendalerts as real processes: killed, several at once, database restarts.

These run `manage.py sendalerts` in subprocesses against a scratch database
(hc/test_scratch.py) and count what a loopback webhook receiver gets.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from django.test import SimpleTestCase

from hc.test_receiver import Answer, Receiver, free_port
from hc.test_scratch import ScratchDatabase

SETUP = """
import json
from django.contrib.auth.models import User
from hc.accounts.models import Profile, Project
from hc.api.models import Channel, Check
user = User.objects.create_user("alice", "alice@example.org")
Profile.objects.create(user=user)
project = Project.objects.create(owner=user, name="P")
checks = Check.objects.bulk_create(Check(project=project, name=f"c{{i}}") for i in range({n}))
channel = Channel.objects.create(project=project, kind="webhook", config={{
    "method_down": "POST", "url_down": "{url}/hook/$CODE", "body_down": "", "headers_down": {{}},
    "method_up": "GET", "url_up": "", "body_up": "", "headers_up": {{}},
}})
channel.checks.add(*Check.objects.all())
print(json.dumps([str(c.code) for c in Check.objects.order_by("id")]))
"""

FAIL = """
import uuid
from hc.api.models import PingKind
from hc.api.services.pings import ByCode, Signal, do_record_ping
for code in {codes!r}:
    do_record_ping(ByCode(uuid.UUID(code)), Signal(kind=PingKind.FAIL))
"""

PENDING = """
from hc.api.models import Notification
print(Notification.objects.filter(next_attempt__isnull=False).count(),
      Notification.objects.filter(error="").count(),
      Notification.objects.count())
"""


def wait_for(condition: Callable[[], bool], timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(message)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class SendalertsProcessTestCase(SimpleTestCase):
    databases = set()  # all database work happens in the subprocesses

    def setUp(self) -> None:
        self.receiver = Receiver().__enter__()
        self.addCleanup(self.receiver.__exit__)
        self.db = ScratchDatabase()
        self.db.extra_env = {
            "ALERT_LEASE_SECONDS": "3",
            "INTEGRATIONS_HTTP_TIMEOUT": "2",
            "INTEGRATIONS_HTTP_TRIES": "1",
        }
        self.db.__enter__()
        self.addCleanup(self.db.__exit__)
        self.processes: list[subprocess.Popen[str]] = []

    def tearDown(self) -> None:
        for process in self.processes:
            stop(process)

    def setup_checks(self, n: int) -> list[str]:
        output = self.db.python(SETUP.format(n=n, url=self.receiver.base_url))
        codes: list[str] = json.loads(output.strip().splitlines()[-1])
        return codes

    def start_sendalerts(self, *args: str) -> subprocess.Popen[str]:
        process = self.db.start("sendalerts", *args)
        self.processes.append(process)
        return process

    def received_codes(self) -> Counter[str]:
        return Counter(r.route.removeprefix("/hook/") for r in list(self.receiver.requests))

    def wait_for(self, condition: Callable[[], bool], timeout: float, message: str) -> None:
        try:
            wait_for(condition, timeout, message)
        except AssertionError as e:
            raise AssertionError(f"{message}\n{self.db.output()}") from e

    def pending(self) -> tuple[int, int, int]:
        pending, ok, total = self.db.python(PENDING).split()
        return int(pending), int(ok), int(total)


class KilledWorkerTestCase(SendalertsProcessTestCase):
    def test_notifications_in_flight_are_delivered_after_a_restart(self) -> None:
        codes = self.setup_checks(12)
        # Slow answers keep deliveries in flight when the worker is killed.
        self.receiver.script(*[Answer(200, delay=1.0) for _ in range(8)])
        first = self.start_sendalerts("--num-workers", "4")
        self.db.python(FAIL.format(codes=codes))
        self.wait_for(lambda: self.receiver.incoming >= 4, 20, "no delivery started")
        first.kill()  # SIGKILL: no chance to finish or record anything
        first.wait()
        # The deliveries in flight were in the outbox before anything was sent.
        pending, ok, _ = self.pending()
        self.assertGreater(pending, 0)
        self.assertLess(ok, 12)

        self.start_sendalerts("--num-workers", "4")
        self.wait_for(
            lambda: set(self.received_codes()) == set(codes),
            30,
            f"not all alerts arrived: {sorted(self.received_codes())}",
        )
        self.wait_for(lambda: self.pending()[:2] == (0, 12), 20, "outbox not settled")


class SeveralWorkersTestCase(SendalertsProcessTestCase):
    def test_three_workers_deliver_each_notification_exactly_once(self) -> None:
        codes = self.setup_checks(500)
        for _ in range(3):
            self.start_sendalerts("--num-workers", "2")
        time.sleep(1.0)  # let them start and contend from the first flip
        self.db.python(FAIL.format(codes=codes), timeout=300)
        self.wait_for(lambda: len(self.receiver.requests) >= 500, 120, "not all alerts arrived")
        self.wait_for(lambda: self.pending() == (0, 500, 500), 30, "outbox not settled")
        # Leases are 3 s: a duplicate from an expired lease would show by now.
        time.sleep(4)
        received = self.received_codes()
        self.assertEqual(set(received), set(codes))
        self.assertEqual(max(received.values()), 1)
        self.assertEqual(len(self.receiver.requests), 500)


class PrivatePostgres:
    """A PostgreSQL server of our own, so a test may stop and start it."""

    def __init__(self) -> None:
        bindir = Path("/usr/lib/postgresql")
        versions = sorted(bindir.iterdir()) if bindir.exists() else []
        if not versions:
            raise AssertionError("PostgreSQL server binaries not found in /usr/lib/postgresql")
        self.bin = versions[-1] / "bin"
        self.dir = tempfile.mkdtemp(prefix="hc-pg-")
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")

    def run(self, *args: str) -> None:
        # The server inherits pg_ctl's output: a pipe would never close.
        subprocess.run(
            [*self.as_postgres, str(self.bin / args[0]), *args[1:]],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )

    def init(self) -> None:
        self.run("initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        data, log = f"{self.dir}/data", f"{self.dir}/server.log"
        self.run("pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")

    def cleanup(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class DatabaseRestartTestCase(SimpleTestCase):
    """Runs against a private PostgreSQL whatever database the suite uses."""

    databases = set()

    def test_sendalerts_survives_a_postgresql_restart(self) -> None:
        server = PrivatePostgres()
        self.addCleanup(server.cleanup)
        server.init()
        server.start()
        receiver = Receiver().__enter__()
        self.addCleanup(receiver.__exit__)
        db = ScratchDatabase("postgres", host="127.0.0.1", port=str(server.port))
        db.extra_env = {"INTEGRATIONS_HTTP_TIMEOUT": "2"}
        db.__enter__()
        self.addCleanup(db.__exit__)
        output = db.python(SETUP.format(n=2, url=receiver.base_url))
        codes = json.loads(output.strip().splitlines()[-1])
        process = db.start("sendalerts")
        self.addCleanup(stop, process)

        db.python(FAIL.format(codes=codes[:1]))
        receiver.wait(1, timeout=20)

        server.stop()
        time.sleep(3)  # sendalerts meets a dead database for a while
        self.assertIsNone(process.poll(), db.output())
        server.start()

        db.python(FAIL.format(codes=codes[1:]))
        try:
            requests = receiver.wait(2, timeout=30)
        except AssertionError as e:
            raise AssertionError(db.output()) from e
        self.assertEqual(
            [r.route for r in requests], [f"/hook/{code}" for code in codes], db.output()
        )
        self.assertIsNone(process.poll(), db.output())

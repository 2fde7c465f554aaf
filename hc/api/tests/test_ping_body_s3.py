"""Ping bodies in object storage, end to end (monitoring spec §8.2-§8.4, §13 items 62-64).

Pings go through the ping endpoint, bodies come back through the management
API, and the storage is a real SeaweedFS S3 server (hc/test_s3.py).
"""

from __future__ import annotations

import random
import threading
import uuid
from datetime import timedelta
from io import StringIO

import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from hc.accounts.models import Profile, Project
from hc.api.models import Check, CheckStatus, Ping, PingKind
from hc.api.services.pings import Signal, apply_signal, prune_check
from hc.api.services.statements import lock_check
from hc.api.tests.api_misc_helpers import ApiTestCase
from hc.lib.s3 import object_key
from hc.test import PING_KEY, stored_body
from hc.test_s3 import S3Server, free_ports


def dead_endpoint() -> str:
    """A loopback address where nothing listens: storage that is down."""
    return f"127.0.0.1:{free_ports(1)[0]}"


# One server for the whole module: it takes seconds to start.
def setUpModule() -> None:
    ObjectStorageTestCase.server = S3Server().__enter__()


def tearDownModule() -> None:
    ObjectStorageTestCase.server.stop()


class ObjectStorageTestCase(ApiTestCase):
    server: S3Server

    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(**self.server.settings()))
        self.check = Check.objects.create(project=self.project, name="Backup")

    def ping(self, body: bytes, check: Check | None = None) -> None:
        # Uploads run on commit; inside a TestCase that needs a nudge.
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(
                f"/ping/{(check or self.check).code}",
                body,
                content_type="application/octet-stream",
            )
        self.assertEqual(r.status_code, 200)

    def body_url(self, n: int = 1) -> str:
        return f"checks/{self.check.code}/pings/{n}/body"

    def keys(self, check: Check | None = None) -> list[str]:
        return self.server.keys(f"{(check or self.check).code}/")

    def numbers(self, check: Check | None = None) -> list[int]:
        return sorted(int(key.rsplit("-", 1)[1]) for key in self.keys(check))

    def store(self, check: Check, *numbers: int) -> None:
        for n in numbers:
            self.server.write(object_key(check.code, n), b"stored body %d" % n)

    def join_pruning(self, check: Check) -> None:
        for thread in threading.enumerate():
            if thread.name == f"prune-objects-{check.code}":
                thread.join(10)


class RoutingTestCase(ObjectStorageTestCase):
    def test_a_100_byte_body_stays_in_the_database(self) -> None:
        self.ping(b"x" * 100)
        ping = Ping.objects.get(owner=self.check)
        self.assertEqual(stored_body(ping), b"x" * 100)
        self.assertIsNone(ping.object_size)
        self.assertEqual(self.keys(), [])

    def test_a_101_byte_body_goes_to_object_storage(self) -> None:
        self.ping(b"y" * 101)
        ping = Ping.objects.get(owner=self.check)
        self.assertIsNone(ping.body_raw)
        self.assertEqual(ping.object_size, 101)
        self.assertEqual(self.keys(), [f"{self.check.code}/zi-1"])
        self.assertEqual(self.server.read(f"{self.check.code}/zi-1"), b"y" * 101)

    def test_an_empty_body_stays_empty(self) -> None:
        self.ping(b"")
        ping = Ping.objects.get(owner=self.check)
        self.assertIsNone(ping.object_size)
        self.assertEqual(self.keys(), [])

    @override_settings(S3_BUCKET=None)
    def test_without_a_bucket_every_body_stays_in_the_database(self) -> None:
        self.ping(b"z" * 5000)
        ping = Ping.objects.get(owner=self.check)
        self.assertEqual(stored_body(ping), b"z" * 5000)
        self.assertIsNone(ping.object_size)
        self.assertEqual(self.keys(), [])

    def test_bodies_are_numbered_by_ping(self) -> None:
        for i in range(1, 12):
            self.ping(b"%03d" % i * 40)
        self.assertEqual(self.numbers(), list(range(1, 12)))
        self.assertEqual(self.server.read(f"{self.check.code}/yii-11"), b"011" * 40)

    def test_every_caller_of_apply_signal_gets_the_routing(self) -> None:
        # Email pings (smtpd) apply their signal this way, without the HTTP view.
        message = b"Subject: backup done\r\n\r\n" + b"log line\r\n" * 20
        signal = Signal(kind=PingKind.SUCCESS, method="", scheme="email", body=message)
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            check = lock_check(self.check.code)
            assert check is not None
            apply_signal(check, PingKind.SUCCESS, signal, timezone.now())
        ping = Ping.objects.get(owner=self.check)
        self.assertEqual(ping.object_size, len(message))
        self.assertEqual(self.server.read(f"{self.check.code}/zi-1"), message)

    def test_a_failed_upload_keeps_the_ping(self) -> None:
        with (
            override_settings(S3_ENDPOINT=dead_endpoint()),
            self.assertLogs("hc.api.services.pings", "ERROR") as logs,
        ):
            self.ping(b"w" * 101)
        self.assertIn(f"ping #1 of {self.check.code}", logs.output[0])
        ping = Ping.objects.get(owner=self.check)
        self.assertEqual(ping.object_size, 101)
        self.check.refresh_from_db()
        self.assertEqual(self.check.n_pings, 1)
        # The body never arrived: there is none to serve.
        self.assert_empty(self.api_get(self.body_url()), 404)


class CommittedPingTestCase(TransactionTestCase):
    """Outside a test transaction: the upload runs on the ping's real commit."""

    def setUp(self) -> None:
        self.server = ObjectStorageTestCase.server
        self.enterContext(override_settings(**self.server.settings()))
        alice = User.objects.create_user("alice", "alice@example.org", "password")
        Profile.objects.create(user=alice)
        project = Project.objects.create(owner=alice, badge_key="alice", ping_key=PING_KEY)
        self.check = Check.objects.create(project=project, name="Backup", status=CheckStatus.UP)

    def test_the_upload_follows_the_commit_and_costs_no_statement(self) -> None:
        body = b"h" * 300
        # BEGIN, SELECT ... FOR UPDATE, UPDATE check, INSERT ping, COMMIT.
        with self.assertNumQueries(5):
            r = self.client.post(
                f"/ping/{self.check.code}", body, content_type="application/octet-stream"
            )
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.server.read(f"{self.check.code}/zi-1"), body)
        self.assertEqual(Ping.objects.get(owner=self.check).object_size, 300)


class ReadingTestCase(ObjectStorageTestCase):
    @override_settings(PING_BODY_LIMIT=None)
    def test_a_50_kb_body_is_served_back_byte_for_byte(self) -> None:
        body = random.Random(62).randbytes(50 * 1024)
        self.ping(body)
        ping = Ping.objects.get(owner=self.check)
        self.assertEqual(ping.object_size, 50 * 1024)
        r = self.api_get(self.body_url())
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "text/plain")
        self.assertEqual(r.content, body)

    def test_the_listing_links_a_stored_body(self) -> None:
        self.ping(b"a" * 101)
        self.ping(b"short")
        self.ping(b"")
        r = self.api_get(f"checks/{self.check.code}/pings/")
        urls = [item["body_url"] for item in self.json(r)["pings"]]
        self.assertIsNone(urls[0])
        self.assertIsNotNone(urls[1])
        path = urls[2].split("/api/v3/", 1)[1]
        self.assertEqual(self.api_get(path).content, b"a" * 101)

    def test_a_body_not_uploaded_yet_is_404(self) -> None:
        Ping.objects.create(owner=self.check, n=1, created=timezone.now(), object_size=500)
        Check.objects.filter(id=self.check.id).update(n_pings=1)
        self.assert_empty(self.api_get(self.body_url()), 404)

    def test_bodies_in_the_database_stay_readable(self) -> None:
        Ping.objects.create(owner=self.check, n=1, created=timezone.now(), body_raw=b"b" * 500)
        Check.objects.filter(id=self.check.id).update(n_pings=1)
        self.assertEqual(self.api_get(self.body_url()).content, b"b" * 500)

    @override_settings(S3_BUCKET=None)
    def test_with_storage_switched_off_its_bodies_are_gone(self) -> None:
        Ping.objects.create(owner=self.check, n=1, created=timezone.now(), object_size=500)
        Check.objects.filter(id=self.check.id).update(n_pings=1)
        self.store(self.check, 1)
        self.assert_empty(self.api_get(self.body_url()), 404)

    def test_wrong_credentials_are_503(self) -> None:
        self.ping(b"c" * 101)
        with (
            override_settings(S3_SECRET_KEY="not-the-secret"),
            self.assertLogs("hc.lib.s3", "WARNING"),
        ):
            r = self.api_get(self.body_url())
        self.assert_empty(r, 503)

    def test_an_outage_is_503_then_the_breaker_skips_storage(self) -> None:
        self.ping(b"d" * 101)
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            with (
                override_settings(S3_ENDPOINT=dead_endpoint()),
                self.assertLogs("hc.lib.s3", "WARNING") as logs,
            ):
                for _ in range(3):
                    self.assert_empty(self.api_get(self.body_url()), 503)
            self.assertEqual(len(logs.output), 3)
            # Storage is back, but the breaker does not ask it for a while.
            with self.assertNoLogs("hc.lib.s3"):
                self.assert_empty(self.api_get(self.body_url()), 503)
        with time_machine.travel(start + timedelta(seconds=19), tick=False):
            self.assert_empty(self.api_get(self.body_url()), 503)
        with time_machine.travel(start + timedelta(seconds=21), tick=False):
            self.assertEqual(self.api_get(self.body_url()).content, b"d" * 101)


class PruningTestCase(ObjectStorageTestCase):
    def test_the_100th_ping_removes_bodies_beyond_the_limit(self) -> None:
        Profile.objects.filter(user=self.alice).update(ping_log_limit=2)
        Check.objects.filter(id=self.check.id).update(n_pings=95)
        self.check.refresh_from_db()
        other = Check.objects.create(project=self.project, name="Other")
        self.store(self.check, 5, 50)
        self.store(other, 5)
        for _ in range(5):
            self.ping(b"e" * 200)  # pings 96..100
        self.join_pruning(self.check)
        self.assertEqual(self.numbers(), [99, 100])
        self.assertEqual(self.numbers(other), [5])
        kept = Ping.objects.filter(owner=self.check).values_list("n", flat=True)
        self.assertEqual(sorted(kept), [99, 100])

    def test_no_pruning_before_the_100th_ping(self) -> None:
        Profile.objects.filter(user=self.alice).update(ping_log_limit=2)
        Check.objects.filter(id=self.check.id).update(n_pings=96)
        self.check.refresh_from_db()
        self.store(self.check, 5)
        self.ping(b"f" * 200)  # ping 97
        self.join_pruning(self.check)
        self.assertEqual(self.numbers(), [5, 97])

    def test_waiting_pruning_removes_before_returning(self) -> None:
        Profile.objects.filter(user=self.alice).update(ping_log_limit=100)
        self.store(self.check, 1, 9, 10, 11, 120)
        prune_check(self.check.id, 110, wait=True)
        self.assertEqual(self.numbers(), [11, 120])

    def test_a_deleted_checks_bodies_stay_until_pruneobjects(self) -> None:
        self.ping(b"g" * 101)
        code = self.check.code
        self.check.delete()
        self.assertEqual(self.server.keys(f"{code}/"), [f"{code}/zi-1"])
        call_command("pruneobjects", stdout=StringIO())
        self.assertEqual(self.server.keys(f"{code}/"), [])


class PruneObjectsTestCase(ObjectStorageTestCase):
    def setUp(self) -> None:
        super().setUp()
        # A bucket of its own, so that other tests' leftovers do not count.
        self.addCleanup(setattr, self.server, "bucket", self.server.bucket)
        bucket = self.server.switch_to_new_bucket()
        self.enterContext(override_settings(S3_BUCKET=bucket))

    def run_command(self) -> list[str]:
        out = StringIO()
        call_command("pruneobjects", stdout=out)
        return out.getvalue().splitlines()

    def test_it_removes_prefixes_of_deleted_checks_only(self) -> None:
        gone = Check.objects.create(project=self.project, name="Gone")
        self.store(self.check, 1, 2)
        self.store(gone, 1, 2, 3)
        gone_code = gone.code
        gone.delete()
        self.server.write("backups/db.tar", b"not ours")
        self.server.write("not-a-uuid/zi-1", b"not ours")
        self.server.write(f"{uuid.uuid4().hex}/zi-1", b"not ours")

        lines = self.run_command()

        self.assertEqual(
            lines, ["1 prefixes staged for deletion", f"Removing {gone_code}/", "Done!"]
        )
        self.assertEqual(self.server.keys(f"{gone_code}/"), [])
        self.assertEqual(self.numbers(), [1, 2])
        remaining = self.server.keys()
        self.assertIn("backups/db.tar", remaining)
        self.assertIn("not-a-uuid/zi-1", remaining)
        self.assertEqual(len(remaining), 5)

    def test_checks_of_every_project_count_as_existing(self) -> None:
        charlies = Check.objects.create(project=self.charlies_project, name="Charlie's")
        self.store(charlies, 1)
        self.assertEqual(self.run_command(), ["0 prefixes staged for deletion", "Done!"])
        self.assertEqual(self.numbers(charlies), [1])

    def test_an_empty_bucket_is_fine(self) -> None:
        self.assertEqual(self.run_command(), ["0 prefixes staged for deletion", "Done!"])

    @override_settings(S3_BUCKET=None)
    def test_it_says_when_storage_is_not_configured(self) -> None:
        self.assertEqual(self.run_command(), ["Object storage is not configured"])


class PrunePingsSlowTestCase(ObjectStorageTestCase):
    def add_pings(self, check: Check, count: int) -> None:
        now = timezone.now()
        Ping.objects.bulk_create(
            Ping(owner=check, n=n, created=now - timedelta(minutes=count - n), object_size=200)
            for n in range(1, count + 1)
        )
        Check.objects.filter(id=check.id).update(n_pings=count)

    def run_command(self) -> list[str]:
        out = StringIO()
        call_command("prunepingsslow", stdout=out)
        return out.getvalue().splitlines()

    def test_it_prunes_checks_over_100_pings_in_code_order(self) -> None:
        second = Check.objects.create(project=self.project, name="Second")
        quiet = Check.objects.create(project=self.project, name="Quiet")
        self.add_pings(self.check, 150)
        self.add_pings(second, 120)
        self.add_pings(quiet, 100)
        self.store(self.check, 1, 50, 51, 150)
        self.store(quiet, 1)

        lines = self.run_command()

        expected = [f"Pruning: {code}" for code in sorted([self.check.code, second.code])]
        self.assertEqual(lines, [*expected, "Done!"])
        self.assertEqual(Ping.objects.filter(owner=self.check).count(), 100)
        self.assertEqual(Ping.objects.filter(owner=second).count(), 100)
        self.assertEqual(Ping.objects.filter(owner=quiet).count(), 100)
        self.assertEqual(self.numbers(), [51, 150])
        self.assertEqual(self.numbers(quiet), [1])

    def test_a_lowered_limit_is_enforced(self) -> None:
        Profile.objects.filter(user=self.alice).update(ping_log_limit=20)
        self.add_pings(self.check, 101)
        self.store(self.check, 81, 82)
        self.run_command()
        self.assertEqual(Ping.objects.filter(owner=self.check).count(), 20)
        self.assertEqual(self.numbers(), [82])

    def test_without_busy_checks_it_only_says_done(self) -> None:
        self.add_pings(self.check, 100)
        self.assertEqual(self.run_command(), ["Done!"])

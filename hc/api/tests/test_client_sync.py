"""The real `healthchecks-io` 0.4.4 sync `Client` against a live server.

Covers every call the client offers (management-api §11, ping-api §18):
get_checks, get_check, create_check, update_check, pause_check, delete_check,
get_check_pings, get_check_flips, get_integrations, get_badges, the four
pings by UUID and by ping key + slug, and CheckTrap. Management calls run
with api_version 1, 2 and 3 and, where allowed, read-write and read-only
keys; every call's result is compared with the database.

get_check_flips is the one call that cannot succeed: see
`test_get_check_flips_hits_the_known_client_bug`.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from django.utils import timezone
from healthchecks_io import (
    BadAPIRequestError,
    CheckNotFoundError,
    CheckTrap,
    Client,
    HCAPIAuthError,
    NonUniqueSlugError,
)

from hc.accounts.models import Profile
from hc.api.models import Check, CheckKind, CheckStatus, Flip, Ping, PingKind
from hc.api.tests.client_helpers import (
    FLIPS_BUG_MESSAGE,
    VERSIONS,
    ClientTestCase,
    check_create,
    check_update,
    seconds_ago,
    unknown_uuid,
)
from hc.test import PING_KEY, stored_body

# The client calls pydantic's deprecated .dict(); not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:The `dict` method is deprecated:DeprecationWarning")


class SyncClientTestCase(ClientTestCase):
    def hc(self, version: int = 3, *, key: str | None = None, ping_key: str = "") -> Client:
        """A client as a self-hosted user configures it; closed after the test."""
        client = Client(
            api_key=self.write_key if key is None else key,
            ping_key=ping_key,
            api_url=self.api_url,
            ping_url=self.ping_url,
            api_version=version,
        )
        return self.enterContext(client)

    def clients(self) -> list[tuple[int, bool, Client]]:
        """(version, readonly, client) for every version and both key kinds."""
        return [
            (version, readonly, self.hc(version, key=self.read_key if readonly else None))
            for version in VERSIONS
            for readonly in (False, True)
        ]

    # get_checks ----------------------------------------------------------------

    def test_get_checks(self) -> None:
        backup = self.make_check(
            name="Backup", slug="backup", tags="prod db", grace=timedelta(minutes=5)
        )
        web = self.make_check(
            name="Web",
            tags="prod web",
            kind=CheckKind.CRON,
            schedule="0 3 * * *",
            tz="Europe/Riga",
            status=CheckStatus.UP,
            last_ping=seconds_ago(60),
            n_pings=3,
        )
        self.make_channel("Ops", "email").checks.add(backup)
        self.make_check(self.charlies_project, name="Charlie's", tags="prod")

        for version, readonly, client in self.clients():
            with self.subTest(version=version, readonly=readonly):
                got = client.get_checks()
                self.assertEqual([c.name for c in got], ["Backup", "Web"])
                self.assert_same_check(got[0], backup, version=version, readonly=readonly)
                self.assert_same_check(got[1], web, version=version, readonly=readonly)

                # tags: repeated `tag=` parameters, every tag must match (§6.1).
                def names(tags: list[str], client: Client = client) -> list[str]:
                    return [c.name for c in client.get_checks(tags=tags)]

                self.assertEqual(names(["prod"]), ["Backup", "Web"])
                self.assertEqual(names(["prod", "db"]), ["Backup"])
                self.assertEqual(names(["web"]), ["Web"])
                self.assertEqual(names(["pro"]), [])
                self.assertEqual(names(["db", "web"]), [])

    def test_get_checks_of_an_empty_project(self) -> None:
        client = self.hc(key=self.charlies_key)
        self.assertEqual(client.get_checks(), [])

    def test_get_checks_with_a_bad_key(self) -> None:
        for key in ("", "x" * 32, "hcw_" + "a" * 28):
            with self.subTest(key=key), self.assertRaises(HCAPIAuthError):
                self.hc(key=key).get_checks()

    # get_check -----------------------------------------------------------------

    def test_get_check_by_uuid_and_unique_key(self) -> None:
        check = self.make_check(
            name="Backup",
            slug="backup",
            tags="prod",
            desc="nightly",
            timeout=timedelta(hours=1),
            grace=timedelta(minutes=10),
            status=CheckStatus.UP,
            last_ping=seconds_ago(30),
            n_pings=4,
            manual_resume=True,
            methods="POST",
        )
        self.make_channel("Ops", "email").checks.add(check)

        for version, readonly, client in self.clients():
            with self.subTest(version=version, readonly=readonly):
                # The read-only view is served by UUID too (§2.4).
                by_uuid = client.get_check(str(check.code))
                self.assert_same_check(by_uuid, check, version=version, readonly=readonly)
                by_key = client.get_check(check.unique_key)
                self.assert_same_check(by_key, check, version=version, readonly=readonly)

    def test_get_check_reports_a_running_job_per_version(self) -> None:
        # §1.1: only v1 replaces the status with "started"; next_ping is the
        # start time while a run is in progress (§5.4).
        check = self.make_check(
            name="Job",
            status=CheckStatus.UP,
            last_ping=seconds_ago(120),
            last_start=seconds_ago(10),
            n_pings=2,
        )
        expected = {1: "started", 2: "up", 3: "up"}
        for version, readonly, client in self.clients():
            with self.subTest(version=version, readonly=readonly):
                got = client.get_check(check.unique_key if readonly else str(check.code))
                self.assertEqual(got.status, expected[version])
                self.assert_same_check(got, check, version=version, readonly=readonly)

    def test_get_check_errors(self) -> None:
        charlies = self.make_check(self.charlies_project, name="Charlie's")
        for version, readonly, client in self.clients():
            with self.subTest(version=version, readonly=readonly):
                with self.assertRaises(CheckNotFoundError):
                    client.get_check(unknown_uuid())
                with self.assertRaises(CheckNotFoundError):
                    client.get_check("0" * 40)
                # Another project's check: 403 by UUID, 404 by unique key (§2.3).
                with self.assertRaises(HCAPIAuthError):
                    client.get_check(str(charlies.code))
                with self.assertRaises(CheckNotFoundError):
                    client.get_check(charlies.unique_key)

    # create_check --------------------------------------------------------------

    def test_create_check(self) -> None:
        email = self.make_channel("Ops email", "email")
        slack = self.make_channel("", "slack")
        for version in VERSIONS:
            with self.subTest(version=version):
                got = self.hc(version).create_check(
                    check_create(
                        name=f"Nightly DB Dump v{version}",
                        tags="db prod",
                        desc="pg_dump",
                        timeout=3600,
                        grace=300,
                        channels="*",
                    )
                )
                check = self.stored(got)
                self.assertEqual(check.project, self.project)
                self.assertEqual(check.name, f"Nightly DB Dump v{version}")
                # §1.1: v1 and v2 derive the slug from the name, v3 does not.
                slug = "" if version == 3 else f"nightly-db-dump-v{version}"
                self.assertEqual(check.slug, slug)
                self.assertEqual(check.tags, "db prod")
                self.assertEqual(check.desc, "pg_dump")
                self.assertEqual(check.kind, CheckKind.SIMPLE)
                self.assertEqual(check.timeout, timedelta(hours=1))
                self.assertEqual(check.grace, timedelta(minutes=5))
                self.assertEqual(check.tz, "UTC")
                self.assertFalse(check.manual_resume)
                self.assertEqual(check.methods, "")
                self.assertEqual(check.status, CheckStatus.NEW)
                self.assertEqual(set(check.channel_set.all()), {email, slack})
                self.assert_same_check(got, check, version=version)
                self.assertEqual(got.status, "new")
                self.assertIsNone(got.last_ping)

    def test_create_check_with_defaults(self) -> None:
        # The client always sends name, tags, desc, timeout, grace, tz,
        # manual_resume, methods and unique (§11).
        got = self.hc().create_check(check_create())
        check = self.stored(got)
        self.assertEqual(check.name, "")
        self.assertEqual(check.kind, CheckKind.SIMPLE)
        self.assertEqual(check.timeout, timedelta(days=1))
        self.assertEqual(check.grace, timedelta(hours=1))
        self.assertEqual(check.channel_set.count(), 0)
        self.assert_same_check(got, check, version=3)

    def test_create_check_with_a_schedule(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                # The client also sends its default timeout: schedule wins (§6.3.1).
                got = self.hc(version).create_check(
                    check_create(name=f"Cron v{version}", schedule="*/15 * * * *", tz="Europe/Kiev")
                )
                check = self.stored(got)
                self.assertEqual(check.kind, CheckKind.CRON)
                self.assertEqual(check.schedule, "*/15 * * * *")
                self.assertEqual(check.tz, "Europe/Kyiv")
                self.assertIsNone(got.timeout)
                self.assert_same_check(got, check, version=version)

    def test_create_check_upserts_with_unique(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                client = self.hc(version)
                name = f"Upsert v{version}"
                first = client.create_check(
                    check_create(name=name, tags="a", timeout=600, unique=["name"])
                )
                again = client.create_check(
                    check_create(name=name, tags="b", grace=120, unique=["name"])
                )
                self.assertEqual(again.uuid, first.uuid)
                check = Check.objects.get(name=name)
                self.assertEqual(str(check.code), first.uuid)
                self.assertEqual(check.tags, "b")
                self.assertEqual(check.grace, timedelta(minutes=2))
                # The client sends its default timeout with every create.
                self.assertEqual(check.timeout, timedelta(days=1))
                self.assert_same_check(again, check, version=version)

                # Not every unique field matches: a new check.
                other = client.create_check(
                    check_create(name=name, tags="c", unique=["name", "tags"])
                )
                self.assertNotEqual(other.uuid, first.uuid)
                self.assertEqual(Check.objects.filter(name=name).count(), 2)

    def test_create_check_errors(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                with self.assertRaises(HCAPIAuthError):
                    self.hc(version, key=self.read_key).create_check(check_create(name="ro"))
                # The client does not enforce its documented 60 s minimum.
                with self.assertRaisesRegex(BadAPIRequestError, "timeout is too small"):
                    self.hc(version).create_check(check_create(name="short", timeout=30))
                with self.assertRaisesRegex(BadAPIRequestError, "invalid channel identifier"):
                    self.hc(version).create_check(check_create(name="ch", channels="nope"))
        self.assertEqual(Check.objects.count(), 0)

        # The owner's check limit: 403, mapped to an auth error.
        Profile.objects.filter(user=self.alice).update(check_limit=0)
        with self.assertRaises(HCAPIAuthError):
            self.hc().create_check(check_create(name="over the limit"))
        self.assertEqual(Check.objects.count(), 0)

    # update_check --------------------------------------------------------------

    def test_update_check(self) -> None:
        check = self.make_check(name="Old", slug="old", tags="a", timeout=timedelta(hours=1))
        for version in VERSIONS:
            with self.subTest(version=version):
                Check.objects.filter(id=check.id).update(slug="old")
                got = self.hc(version).update_check(
                    str(check.code), check_update(name=f"Renamed v{version}", desc="new")
                )
                fresh = self.fresh(check)
                self.assertEqual(fresh.name, f"Renamed v{version}")
                # §1.1: only v1 and v2 derive the slug from a new name.
                self.assertEqual(fresh.slug, "old" if version == 3 else f"renamed-v{version}")
                self.assertEqual(fresh.desc, "new")
                # Only the fields the caller set are sent and changed.
                self.assertEqual(fresh.tags, "a")
                self.assertEqual(fresh.timeout, timedelta(hours=1))
                self.assert_same_check(got, check, version=version)

    def test_update_check_fields_and_kind(self) -> None:
        check = self.make_check(name="Job", slug="job", timeout=timedelta(hours=1))
        channel = self.make_channel("Ops", "email")
        client = self.hc()

        got = client.update_check(
            str(check.code),
            check_update(
                tags="x y",
                grace=600,
                manual_resume=True,
                methods="POST",
                channels=str(channel.code),
            ),
        )
        fresh = self.fresh(check)
        self.assertEqual(fresh.tags, "x y")
        self.assertEqual(fresh.grace, timedelta(minutes=10))
        self.assertTrue(fresh.manual_resume)
        self.assertEqual(fresh.methods, "POST")
        self.assertEqual(list(fresh.channel_set.all()), [channel])
        self.assertEqual(got.channels, str(channel.code))
        self.assert_same_check(got, check, version=3)

        got = client.update_check(
            str(check.code), check_update(schedule="0 4 * * *", tz="America/New_York")
        )
        fresh = self.fresh(check)
        self.assertEqual((fresh.kind, fresh.schedule), (CheckKind.CRON, "0 4 * * *"))
        self.assertEqual(fresh.tz, "America/New_York")
        self.assertIsNone(got.timeout)
        self.assert_same_check(got, check, version=3)

        got = client.update_check(str(check.code), check_update(timeout=120, channels=""))
        fresh = self.fresh(check)
        self.assertEqual((fresh.kind, fresh.timeout), (CheckKind.SIMPLE, timedelta(minutes=2)))
        self.assertEqual(fresh.channel_set.count(), 0)
        self.assertEqual(got.timeout, 120)
        self.assertEqual(got.channels, "")
        self.assert_same_check(got, check, version=3)

    def test_update_check_errors(self) -> None:
        check = self.make_check(name="Job", slug="job")
        charlies = self.make_check(self.charlies_project, name="Charlie's")
        for version in VERSIONS:
            with self.subTest(version=version):
                with self.assertRaises(HCAPIAuthError):
                    self.hc(version, key=self.read_key).update_check(
                        str(check.code), check_update(name="ro")
                    )
                with self.assertRaises(HCAPIAuthError):
                    self.hc(version).update_check(str(charlies.code), check_update(name="x"))
                with self.assertRaises(CheckNotFoundError):
                    self.hc(version).update_check(unknown_uuid(), check_update(name="x"))
                with self.assertRaisesRegex(BadAPIRequestError, "grace is too small"):
                    self.hc(version).update_check(str(check.code), check_update(grace=1))
        self.assertEqual(self.fresh(check).name, "Job")
        self.assertEqual(self.fresh(charlies).name, "Charlie's")

    # pause_check ---------------------------------------------------------------

    def test_pause_check(self) -> None:
        check = self.make_check(name="Job")
        for version in VERSIONS:
            with self.subTest(version=version):
                last_ping = seconds_ago(100)
                Check.objects.filter(id=check.id).update(
                    status=CheckStatus.UP, last_ping=last_ping, last_start=seconds_ago(5)
                )
                # An empty body with a JSON content type (§6.5, §11).
                got = self.hc(version).pause_check(str(check.code))
                self.assertEqual(got.status, "paused")
                self.assertIsNone(got.next_ping)
                fresh = self.fresh(check)
                self.assertEqual(fresh.status, CheckStatus.PAUSED)
                self.assertIsNone(fresh.last_start)
                self.assertEqual(fresh.last_ping, last_ping)
                flip = self.flips_of(check)[-1]
                self.assertEqual((flip.old_status, flip.new_status), ("up", "paused"))
                self.assertIsNotNone(flip.processed)
                self.assert_same_check(got, check, version=version)

                # Pausing a paused check changes nothing.
                again = self.hc(version).pause_check(str(check.code))
                self.assertEqual(again.status, "paused")
                self.assertEqual(len(self.flips_of(check)), version)

        # A ping resumes it (manual_resume is off).
        client = self.hc()
        self.assertEqual(client.success_ping(uuid=str(check.code)), (True, "OK"))
        self.assertEqual(self.fresh(check).status, CheckStatus.UP)
        self.assertEqual(client.get_check(str(check.code)).status, "up")

    def test_pause_check_errors(self) -> None:
        check = self.make_check(name="Job", status=CheckStatus.UP, last_ping=seconds_ago(5))
        charlies = self.make_check(self.charlies_project, name="Charlie's")
        for version in VERSIONS:
            with self.subTest(version=version):
                with self.assertRaises(HCAPIAuthError):
                    self.hc(version, key=self.read_key).pause_check(str(check.code))
                with self.assertRaises(HCAPIAuthError):
                    self.hc(version).pause_check(str(charlies.code))
                with self.assertRaises(CheckNotFoundError):
                    self.hc(version).pause_check(unknown_uuid())
        self.assertEqual(self.fresh(check).status, CheckStatus.UP)
        self.assertEqual(self.fresh(charlies).status, CheckStatus.NEW)
        self.assertFalse(Flip.objects.exists())

    # delete_check --------------------------------------------------------------

    def test_delete_check(self) -> None:
        channel = self.make_channel("Ops", "email")
        for version in VERSIONS:
            with self.subTest(version=version):
                check = self.make_check(name=f"Doomed v{version}", slug="doomed", tags="t")
                channel.checks.add(check)
                client = self.hc(version)
                self.assertEqual(client.success_ping(uuid=str(check.code)), (True, "OK"))

                got = client.delete_check(str(check.code))
                # The check as it was, with its original UUID (§6.7).
                self.assertEqual(got.uuid, str(check.code))
                self.assertEqual(got.name, f"Doomed v{version}")
                self.assertEqual(got.slug, "doomed")
                self.assertEqual(got.tags, "t")
                self.assertEqual(got.n_pings, 1)
                self.assertEqual(got.status, "up")
                self.assertEqual(
                    got.update_url, f"{self.live_server_url}/api/v{version}/checks/{check.code}"
                )
                self.assertFalse(Check.objects.filter(id=check.id).exists())
                self.assertFalse(Ping.objects.filter(owner_id=check.id).exists())
                self.assertFalse(Flip.objects.filter(owner_id=check.id).exists())

                with self.assertRaises(CheckNotFoundError):
                    client.delete_check(str(check.code))
                with self.assertRaises(CheckNotFoundError):
                    client.get_check(str(check.code))
        self.assertEqual(channel.checks.count(), 0)

    def test_delete_check_errors(self) -> None:
        check = self.make_check(name="Job")
        charlies = self.make_check(self.charlies_project, name="Charlie's")
        for version in VERSIONS:
            with self.subTest(version=version):
                with self.assertRaises(HCAPIAuthError):
                    self.hc(version, key=self.read_key).delete_check(str(check.code))
                with self.assertRaises(HCAPIAuthError):
                    self.hc(version).delete_check(str(charlies.code))
                with self.assertRaises(CheckNotFoundError):
                    self.hc(version).delete_check(unknown_uuid())
        self.assertEqual(Check.objects.count(), 2)

    # get_check_pings -----------------------------------------------------------

    def test_get_check_pings(self) -> None:
        check = self.make_check(name="Job")
        code = str(check.code)
        client = self.hc()
        self.assertEqual(client.get_check_pings(code), [])

        self.assertEqual(client.start_ping(uuid=code), (True, "OK"))
        self.assertEqual(client.success_ping(uuid=code, data="done"), (True, "OK"))
        self.assertEqual(client.fail_ping(uuid=code, data="oops"), (True, "OK"))
        self.assertEqual(client.exit_code_ping(0, uuid=code), (True, "OK"))
        self.assertEqual(client.exit_code_ping(3, uuid=code), (True, "OK"))

        for version in VERSIONS:
            with self.subTest(version=version):
                got = self.hc(version).get_check_pings(code)
                self.assertEqual(
                    [(p.type, p.number_of_pings) for p in got],
                    [("fail", 5), ("success", 4), ("fail", 3), ("success", 2), ("start", 1)],
                )
                self.assert_check_pings(got, check)
                # Only the success that completed the run has a duration (§6.8).
                durations = [p.duration for p in got]
                self.assertEqual(durations[:3] + durations[4:], [None] * 4)
                self.assertIsNotNone(durations[3])
                assert durations[3] is not None
                self.assertGreaterEqual(durations[3], 0)
                self.assertLess(durations[3], 60)

    def test_get_check_pings_of_other_origins(self) -> None:
        # An email ping and a stored ping without an address (the client
        # requires remote_addr to be a string, §11).
        check = self.make_check(name="Mail", n_pings=2)
        now = timezone.now()
        Ping.objects.create(
            owner=check,
            n=1,
            created=now - timedelta(minutes=1),
            kind=PingKind.SUCCESS,
            scheme="email",
            remote_addr="203.0.113.20",
            method="",
            ua="Email from backup@example.org",
        )
        Ping.objects.create(owner=check, n=2, created=now, kind=PingKind.LOG, remote_addr=None)
        got = self.hc().get_check_pings(str(check.code))
        self.assertEqual(
            [
                (p.type, p.number_of_pings, p.scheme, p.remote_addr, p.method, p.user_agent)
                for p in got
            ],
            [
                ("log", 2, "http", "", "", ""),
                ("success", 1, "email", "203.0.113.20", "", "Email from backup@example.org"),
            ],
        )
        self.assertEqual([p.date for p in got], [now, now - timedelta(minutes=1)])

    def test_get_check_pings_errors(self) -> None:
        check = self.make_check(name="Job")
        charlies = self.make_check(self.charlies_project, name="Charlie's")
        for version in VERSIONS:
            with self.subTest(version=version):
                # Read-write key only (§2.4).
                with self.assertRaises(HCAPIAuthError):
                    self.hc(version, key=self.read_key).get_check_pings(str(check.code))
                with self.assertRaises(HCAPIAuthError):
                    self.hc(version).get_check_pings(str(charlies.code))
                with self.assertRaises(CheckNotFoundError):
                    self.hc(version).get_check_pings(unknown_uuid())

    # get_check_flips -----------------------------------------------------------

    def test_get_check_flips_hits_the_known_client_bug(self) -> None:
        """The one allowed failure: management-api §11, "Known incompatibility".

        healthchecks-io 0.4.4 iterates the flips response as a bare JSON array
        (following upstream's docs), but the server answers
        {"flips": [...]}, like upstream does (§6.10, which says to keep the
        object form). The client therefore raises TypeError on every
        successful response. This test pins that exact failure, so it fails
        if either side changes: if the client or the response shape is
        changed, revisit §11 and replace this with real assertions.
        """
        check = self.make_check(name="Job", status=CheckStatus.UP, last_ping=seconds_ago(60))
        now = timezone.now()
        for minutes, old, new in ((90, "new", "up"), (60, "up", "down"), (30, "down", "up")):
            Flip.objects.create(
                owner=check,
                created=now - timedelta(minutes=minutes),
                processed=now,
                old_status=old,
                new_status=new,
            )
        # What the server sends is right: the failure is the client's.
        self.assert_flips_on_the_wire(check, self.write_key, str(check.code))
        self.assert_flips_on_the_wire(check, self.read_key, check.unique_key)

        now_ts = int(now.timestamp())
        queries: list[dict[str, int]] = [
            {},
            {"seconds": 3600},
            {"start": now_ts - 3600, "end": now_ts + 60},
            {"seconds": -1},  # the client leaves negative values out
        ]
        targets = [
            ("uuid", self.write_key, str(check.code)),
            ("unique key, read-only", self.read_key, check.unique_key),
            ("unique key, read-write", self.write_key, check.unique_key),
        ]
        for version in VERSIONS:
            for label, key, ident in targets:
                client = self.hc(version, key=key)
                for query in queries:
                    with self.subTest(version=version, target=label, query=query):
                        with self.assertRaisesRegex(TypeError, FLIPS_BUG_MESSAGE) as caught:
                            client.get_check_flips(ident, **query)
                        self.assertIs(type(caught.exception), TypeError)

    def test_get_check_flips_errors(self) -> None:
        # Error statuses are mapped before the body is parsed, so these work.
        check = self.make_check(name="Job")
        charlies = self.make_check(self.charlies_project, name="Charlie's")
        for version in VERSIONS:
            with self.subTest(version=version):
                client = self.hc(version)
                with self.assertRaises(CheckNotFoundError):
                    client.get_check_flips(unknown_uuid())
                with self.assertRaises(CheckNotFoundError):
                    client.get_check_flips(charlies.unique_key)
                with self.assertRaises(HCAPIAuthError):
                    client.get_check_flips(str(charlies.code))
                with self.assertRaises(HCAPIAuthError):
                    self.hc(version, key="x" * 32).get_check_flips(str(check.code))
                # Out of range (§6.10): 400 with an empty body.
                with self.assertRaises(BadAPIRequestError):
                    client.get_check_flips(str(check.code), seconds=31536001)

    # get_integrations ----------------------------------------------------------

    def test_get_integrations(self) -> None:
        email = self.make_channel("Ops email", "email")
        slack = self.make_channel("", "slack")
        self.make_channel("Charlie's", "webhook", self.charlies_project)
        expected = sorted([(str(email.code), "Ops email", "email"), (str(slack.code), "", "slack")])
        for version in VERSIONS:
            with self.subTest(version=version):
                got = self.hc(version).get_integrations()
                self.assertEqual(
                    sorted((i.id, i.name, i.kind) for i in got if i is not None), expected
                )
                self.assertEqual(len(got), 2)
                # Read-write key only (§2.4).
                with self.assertRaises(HCAPIAuthError):
                    self.hc(version, key=self.read_key).get_integrations()

    def test_get_integrations_of_a_project_without_any(self) -> None:
        self.assertEqual(self.hc(key=self.charlies_key).get_integrations(), [])

    # get_badges ----------------------------------------------------------------

    def test_get_badges(self) -> None:
        self.make_check(name="DB", tags="prod db", status=CheckStatus.DOWN)
        self.make_check(name="Web", tags="web", status=CheckStatus.UP, last_ping=seconds_ago(5))
        self.make_check(self.charlies_project, name="Charlie's", tags="charlie")
        prefix = f"{self.live_server_url}/badge/alice/"
        for version, readonly, client in self.clients():
            with self.subTest(version=version, readonly=readonly):
                badges = client.get_badges()
                self.assertEqual(set(badges), {"prod", "db", "web", "*"})
                for tag, badge in badges.items():
                    suffix = "" if tag == "*" else f"/{tag}"
                    for url, fmt in (
                        (badge.svg, "svg"),
                        (badge.json_url, "json"),
                        (badge.shields, "shields"),
                    ):
                        self.assertTrue(url.startswith(prefix), url)
                        self.assertTrue(url.endswith(f"-2{suffix}.{fmt}"), url)
                    for url, fmt in (
                        (badge.svg3, "svg"),
                        (badge.json3_url, "json"),
                        (badge.shields3, "shields"),
                    ):
                        self.assertTrue(url.startswith(prefix), url)
                        self.assertTrue(url.endswith(f"{suffix}.{fmt}"), url)
                        self.assertFalse(url.endswith(f"-2{suffix}.{fmt}"), url)

        # The URLs work and report the tags' states (§8).
        badges = self.hc().get_badges()
        prod = httpx.get(badges["prod"].json_url)
        self.assertEqual(prod.json(), {"status": "down", "total": 1, "grace": 0, "down": 1})
        web = httpx.get(badges["web"].json3_url)
        self.assertEqual(web.json(), {"status": "up", "total": 1, "grace": 0, "down": 0})
        everything = httpx.get(badges["*"].shields3)
        self.assertEqual(everything.json()["message"], "down")
        svg = httpx.get(badges["web"].svg)
        self.assertEqual(svg.status_code, 200)
        self.assertEqual(svg.headers["Content-Type"], "image/svg+xml")

    def test_get_badges_of_a_project_without_checks(self) -> None:
        badges = self.hc(key=self.charlies_key).get_badges()
        self.assertEqual(list(badges), ["*"])

    def test_get_badges_with_a_bad_key(self) -> None:
        with self.assertRaises(HCAPIAuthError):
            self.hc(key="x" * 32).get_badges()

    # Pings -----------------------------------------------------------------------

    def test_pings_by_uuid(self) -> None:
        check = self.make_check(name="Job", slug="job")
        code = str(check.code)
        # The client's X-Api-Key header is ignored on pings (ping-api §18).
        client = self.hc(key="not a key")

        self.assertEqual(client.success_ping(uuid=code, data="all good"), (True, "OK"))
        fresh = self.fresh(check)
        self.assertEqual((fresh.status, fresh.n_pings), (CheckStatus.UP, 1))
        self.assertIsNotNone(fresh.last_ping)
        self.assert_ping(self.pings_of(check)[-1], PingKind.SUCCESS, body=b"all good")

        self.assertEqual(client.start_ping(uuid=code), (True, "OK"))
        fresh = self.fresh(check)
        self.assertIsNotNone(fresh.last_start)
        self.assertEqual(fresh.status, CheckStatus.UP)
        self.assert_ping(self.pings_of(check)[-1], PingKind.START)

        self.assertEqual(client.fail_ping(uuid=code, data="boom"), (True, "OK"))
        fresh = self.fresh(check)
        self.assertEqual(fresh.status, CheckStatus.DOWN)
        self.assertIsNone(fresh.last_start)
        self.assertIsNotNone(fresh.last_duration)
        self.assert_ping(self.pings_of(check)[-1], PingKind.FAIL, body=b"boom")

        self.assertEqual(client.exit_code_ping(0, uuid=code, data="ok"), (True, "OK"))
        self.assertEqual(self.fresh(check).status, CheckStatus.UP)
        self.assert_ping(self.pings_of(check)[-1], PingKind.SUCCESS, body=b"ok", exitstatus=0)

        self.assertEqual(client.exit_code_ping(7, uuid=code), (True, "OK"))
        self.assertEqual(self.fresh(check).status, CheckStatus.DOWN)
        self.assert_ping(self.pings_of(check)[-1], PingKind.FAIL, exitstatus=7)

        self.assertEqual(self.fresh(check).n_pings, 5)
        self.assertEqual([p.n for p in self.pings_of(check)], [1, 2, 3, 4, 5])
        self.assertEqual(Flip.objects.filter(owner=check).count(), 4)

    def test_pings_by_slug(self) -> None:
        check = self.make_check(name="Nightly", slug="nightly")
        client = self.hc(ping_key=PING_KEY)

        self.assertEqual(client.success_ping(slug="nightly", data="x"), (True, "OK"))
        self.assertEqual(self.fresh(check).status, CheckStatus.UP)
        self.assert_ping(self.pings_of(check)[-1], PingKind.SUCCESS, body=b"x")

        self.assertEqual(client.start_ping(slug="nightly"), (True, "OK"))
        self.assertIsNotNone(self.fresh(check).last_start)
        self.assert_ping(self.pings_of(check)[-1], PingKind.START)

        self.assertEqual(client.fail_ping(slug="nightly", data="y"), (True, "OK"))
        self.assertEqual(self.fresh(check).status, CheckStatus.DOWN)
        self.assert_ping(self.pings_of(check)[-1], PingKind.FAIL, body=b"y")

        self.assertEqual(client.exit_code_ping(0, slug="nightly"), (True, "OK"))
        self.assertEqual(self.fresh(check).status, CheckStatus.UP)
        self.assert_ping(self.pings_of(check)[-1], PingKind.SUCCESS, exitstatus=0)

        self.assertEqual(client.exit_code_ping(255, slug="nightly"), (True, "OK"))
        self.assertEqual(self.fresh(check).status, CheckStatus.DOWN)
        self.assert_ping(self.pings_of(check)[-1], PingKind.FAIL, exitstatus=255)

        self.assertEqual(self.fresh(check).n_pings, 5)

    def test_ping_errors(self) -> None:
        check = self.make_check(name="Job", slug="job")
        self.make_check(name="Twin 1", slug="twin")
        self.make_check(name="Twin 2", slug="twin")
        self.make_check(self.charlies_project, name="Charlie's", slug="charlies")
        client = self.hc(ping_key=PING_KEY)
        charlies_client = self.hc(ping_key="charlies-ping-key")
        wrong_key_client = self.hc(ping_key="wrong-ping-key")

        with self.assertRaises(CheckNotFoundError):
            client.success_ping(uuid=unknown_uuid())
        with self.assertRaises(CheckNotFoundError):
            client.start_ping(slug="nope")
        with self.assertRaises(CheckNotFoundError):
            client.fail_ping(slug="charlies")
        with self.assertRaises(CheckNotFoundError):
            charlies_client.success_ping(slug="job")
        with self.assertRaises(CheckNotFoundError):
            wrong_key_client.success_ping(slug="job")
        # 409: more than one check has this slug (ping-api §6.2).
        with self.assertRaises(NonUniqueSlugError):
            client.success_ping(slug="twin")
        # 400 invalid url format: exit status over 255, slug with capitals.
        with self.assertRaisesRegex(BadAPIRequestError, "invalid url format"):
            client.exit_code_ping(256, uuid=str(check.code))
        with self.assertRaisesRegex(BadAPIRequestError, "invalid url format"):
            client.exit_code_ping(256, slug="job")
        with self.assertRaisesRegex(BadAPIRequestError, "invalid url format"):
            client.success_ping(slug="Job")
        self.assertFalse(Ping.objects.exists())
        self.assertFalse(Check.objects.exclude(n_pings=0).exists())

    def test_ping_to_a_check_paused_for_good(self) -> None:
        check = self.make_check(name="Job", status=CheckStatus.PAUSED, manual_resume=True)
        client = self.hc()
        self.assertEqual(client.success_ping(uuid=str(check.code)), (True, "OK"))
        self.assertEqual(self.fresh(check).status, CheckStatus.PAUSED)
        self.assert_ping(self.pings_of(check)[-1], PingKind.IGNORED)

    # CheckTrap -------------------------------------------------------------------

    def test_check_trap(self) -> None:
        check = self.make_check(name="Trap", slug="trap")
        client = self.hc()

        with CheckTrap(client, uuid=str(check.code)) as trap:
            # The start ping went out on entry.
            self.assertIsNotNone(self.fresh(check).last_start)
            self.assert_ping(self.pings_of(check)[-1], PingKind.START)
            trap.add_log("step 1")
            trap.add_log("step 2")
        fresh = self.fresh(check)
        self.assertEqual(fresh.status, CheckStatus.UP)
        self.assertIsNone(fresh.last_start)
        self.assertIsNotNone(fresh.last_duration)
        self.assert_ping(self.pings_of(check)[-1], PingKind.SUCCESS, body=b"step 1\nstep 2")
        self.assertEqual(client.get_check_pings(str(check.code))[0].type, "success")

    def test_check_trap_on_failure(self) -> None:
        check = self.make_check(name="Trap", slug="trap")
        client = self.hc()

        with (
            self.assertRaisesRegex(RuntimeError, "disk full"),
            CheckTrap(client, uuid=str(check.code)) as trap,
        ):
            trap.add_log("copying")
            raise RuntimeError("disk full")
        self.assertEqual(self.fresh(check).status, CheckStatus.DOWN)
        ping = self.pings_of(check)[-1]
        self.assertEqual(ping.kind, PingKind.FAIL)
        body = stored_body(ping) or b""
        self.assertTrue(body.startswith(b"copying\ndisk full\n<traceback object at "), body)
        self.assertEqual([p.kind for p in self.pings_of(check)], ["start", "fail"])

        # suppress_exceptions swallows the error; the failure is still reported.
        with CheckTrap(client, uuid=str(check.code), suppress_exceptions=True):
            raise ValueError("ignored")
        self.assertEqual([p.kind for p in self.pings_of(check)], ["start", "fail"] * 2)
        self.assertIn(b"ignored", stored_body(self.pings_of(check)[-1]) or b"")

    def test_check_trap_by_slug(self) -> None:
        check = self.make_check(name="Trap", slug="trap")
        with CheckTrap(self.hc(ping_key=PING_KEY), slug="trap") as trap:
            trap.add_log("by slug")
        self.assertEqual([p.kind for p in self.pings_of(check)], ["start", "success"])
        self.assert_ping(self.pings_of(check)[-1], PingKind.SUCCESS, body=b"by slug")
        self.assertEqual(self.fresh(check).status, CheckStatus.UP)

    def test_check_trap_for_an_unknown_check(self) -> None:
        ran = False
        with self.assertRaises(CheckNotFoundError), CheckTrap(self.hc(), uuid=unknown_uuid()):
            ran = True
        self.assertFalse(ran)
        self.assertFalse(Ping.objects.exists())

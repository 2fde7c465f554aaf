"""The real `healthchecks-io` 0.4.4 `AsyncClient` against a live server.

The async twin of test_client_sync.py: the same calls (management-api §11,
ping-api §18), each coroutine run with asyncio.run inside the test method.
The database is read between asyncio.run calls, never inside a running event
loop (Django's ORM is synchronous). The client sends identical requests,
only its User-Agent differs.

get_check_flips is the one call that cannot succeed: see
`test_get_check_flips_hits_the_known_client_bug`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import healthchecks_io
import pytest
from django.utils import timezone
from healthchecks_io import (
    AsyncClient,
    BadAPIRequestError,
    CheckCreate,
    CheckNotFoundError,
    CheckStatuses,
    CheckTrap,
    HCAPIAuthError,
    NonUniqueSlugError,
    WrongClientError,
)

from hc.accounts.models import Profile
from hc.api.models import Check, CheckKind, CheckStatus, Flip, Ping, PingKind
from hc.api.tests.client_helpers import (
    ASYNC_USER_AGENT,
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

T = TypeVar("T")
Action = Callable[[AsyncClient], Awaitable[T]]


class AsyncClientTestCase(ClientTestCase):
    def hc(self, version: int = 3, *, key: str | None = None, ping_key: str = "") -> AsyncClient:
        """A client as a self-hosted user configures it."""
        return AsyncClient(
            api_key=self.write_key if key is None else key,
            ping_key=ping_key,
            api_url=self.api_url,
            ping_url=self.ping_url,
            api_version=version,
        )

    def call(
        self, action: Action[T], version: int = 3, *, key: str | None = None, ping_key: str = ""
    ) -> T:
        """Run `action` with a fresh client in its own event loop."""

        async def main() -> T:
            async with self.hc(version, key=key, ping_key=ping_key) as client:
                return await action(client)

        return asyncio.run(main())

    # Single calls, typed (lambdas with default arguments are not).

    def get_check(self, ident: str, version: int, *, key: str) -> healthchecks_io.Check:
        return self.call(lambda c: c.get_check(ident), version, key=key)

    def create(self, new: CheckCreate, version: int) -> healthchecks_io.Check:
        return self.call(lambda c: c.create_check(new), version)

    def update(self, code: str, update: CheckCreate, version: int) -> healthchecks_io.Check:
        return self.call(lambda c: c.update_check(code, update), version)

    def get_check_flips(
        self, ident: str, query: dict[str, int], version: int, *, key: str
    ) -> list[CheckStatuses]:
        return self.call(lambda c: c.get_check_flips(ident, **query), version, key=key)

    def assert_ping(
        self,
        ping: Ping,
        kind: str,
        *,
        body: bytes | None = None,
        exitstatus: int | None = None,
        user_agent: str = ASYNC_USER_AGENT,
    ) -> None:
        super().assert_ping(ping, kind, body=body, exitstatus=exitstatus, user_agent=user_agent)

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

        async def list_them(client: AsyncClient) -> list[list[str]]:
            # One client, one event loop, several requests.
            return [
                [c.name for c in await client.get_checks(tags=tags)]
                for tags in (["prod"], ["prod", "db"], ["web"], ["pro"], ["db", "web"])
            ]

        for version in VERSIONS:
            for readonly in (False, True):
                key = self.read_key if readonly else self.write_key
                with self.subTest(version=version, readonly=readonly):
                    got = self.call(lambda c: c.get_checks(), version, key=key)
                    self.assertEqual([c.name for c in got], ["Backup", "Web"])
                    self.assert_same_check(got[0], backup, version=version, readonly=readonly)
                    self.assert_same_check(got[1], web, version=version, readonly=readonly)
                    self.assertEqual(
                        self.call(list_them, version, key=key),
                        [["Backup", "Web"], ["Backup"], ["Web"], [], []],
                    )

        self.assertEqual(
            self.call(lambda c: c.get_checks(), key=self.charlies_key)[0].name, "Charlie's"
        )
        with self.assertRaises(HCAPIAuthError):
            self.call(lambda c: c.get_checks(), key="x" * 32)

    # get_check -----------------------------------------------------------------

    def test_get_check(self) -> None:
        check = self.make_check(
            name="Backup",
            slug="backup",
            tags="prod",
            desc="nightly",
            timeout=timedelta(hours=1),
            status=CheckStatus.UP,
            last_ping=seconds_ago(30),
            n_pings=4,
            manual_resume=True,
        )
        self.make_channel("Ops", "email").checks.add(check)
        for version in VERSIONS:
            for readonly in (False, True):
                key = self.read_key if readonly else self.write_key
                with self.subTest(version=version, readonly=readonly):
                    for ident in (str(check.code), check.unique_key):
                        got = self.get_check(ident, version, key=key)
                        self.assert_same_check(got, check, version=version, readonly=readonly)

    def test_get_check_reports_a_running_job_per_version(self) -> None:
        # §1.1: only v1 replaces the status with "started".
        check = self.make_check(
            name="Job", status=CheckStatus.UP, last_ping=seconds_ago(120), last_start=seconds_ago(9)
        )
        for version, expected in ((1, "started"), (2, "up"), (3, "up")):
            with self.subTest(version=version):
                got = self.call(lambda c: c.get_check(str(check.code)), version)
                self.assertEqual(got.status, expected)
                self.assert_same_check(got, check, version=version)

    def test_get_check_errors(self) -> None:
        charlies = self.make_check(self.charlies_project, name="Charlie's")
        for version in VERSIONS:
            for key in (self.write_key, self.read_key):
                with self.subTest(version=version, key=key[:4]):
                    with self.assertRaises(CheckNotFoundError):
                        self.call(lambda c: c.get_check(unknown_uuid()), version, key=key)
                    with self.assertRaises(CheckNotFoundError):
                        self.call(lambda c: c.get_check(charlies.unique_key), version, key=key)
                    with self.assertRaises(HCAPIAuthError):
                        self.call(lambda c: c.get_check(str(charlies.code)), version, key=key)

    # create_check --------------------------------------------------------------

    def test_create_check(self) -> None:
        email = self.make_channel("Ops email", "email")
        for version in VERSIONS:
            with self.subTest(version=version):
                new = check_create(
                    name=f"Nightly DB Dump v{version}",
                    tags="db prod",
                    desc="pg_dump",
                    timeout=3600,
                    grace=300,
                    channels="*",
                )
                got = self.create(new, version)
                check = self.stored(got)
                self.assertEqual(check.project, self.project)
                # §1.1: v1 and v2 derive the slug from the name, v3 does not.
                slug = "" if version == 3 else f"nightly-db-dump-v{version}"
                self.assertEqual(check.slug, slug)
                self.assertEqual((check.tags, check.desc), ("db prod", "pg_dump"))
                self.assertEqual(check.kind, CheckKind.SIMPLE)
                self.assertEqual(check.timeout, timedelta(hours=1))
                self.assertEqual(check.grace, timedelta(minutes=5))
                self.assertEqual(check.status, CheckStatus.NEW)
                self.assertEqual(list(check.channel_set.all()), [email])
                self.assert_same_check(got, check, version=version)

    def test_create_check_with_a_schedule(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                new = check_create(name=f"Cron v{version}", schedule="5 4 * * sun", tz="US/Eastern")
                got = self.create(new, version)
                check = self.stored(got)
                self.assertEqual((check.kind, check.schedule), (CheckKind.CRON, "5 4 * * sun"))
                self.assertEqual(check.tz, "America/New_York")
                self.assertIsNone(got.timeout)
                self.assert_same_check(got, check, version=version)

    def test_create_check_upserts_with_unique(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                name = f"Upsert v{version}"

                async def twice(client: AsyncClient, name: str = name) -> tuple[str, str]:
                    first = await client.create_check(
                        check_create(name=name, grace=600, unique=["name"])
                    )
                    again = await client.create_check(
                        check_create(name=name, desc="again", unique=["name"])
                    )
                    assert first.uuid is not None and again.uuid is not None
                    return first.uuid, again.uuid

                first, again = self.call(twice, version)
                self.assertEqual(first, again)
                check = Check.objects.get(name=name)
                self.assertEqual(str(check.code), first)
                self.assertEqual(check.desc, "again")
                # The client sends its default grace with every create.
                self.assertEqual(check.grace, timedelta(hours=1))

    def test_create_check_errors(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                with self.assertRaises(HCAPIAuthError):
                    self.call(
                        lambda c: c.create_check(check_create(name="ro")),
                        version,
                        key=self.read_key,
                    )
                with self.assertRaisesRegex(BadAPIRequestError, "grace is too small"):
                    self.call(lambda c: c.create_check(check_create(name="g", grace=59)), version)
        Profile.objects.filter(user=self.alice).update(check_limit=0)
        with self.assertRaises(HCAPIAuthError):
            self.call(lambda c: c.create_check(check_create(name="over the limit")))
        self.assertEqual(Check.objects.count(), 0)

    # update_check --------------------------------------------------------------

    def test_update_check(self) -> None:
        check = self.make_check(name="Old", slug="old", tags="a", timeout=timedelta(hours=1))
        channel = self.make_channel("Ops", "email")
        for version in VERSIONS:
            with self.subTest(version=version):
                Check.objects.filter(id=check.id).update(slug="old")
                update = check_update(name=f"Renamed v{version}", channels="Ops")
                got = self.update(str(check.code), update, version)
                fresh = self.fresh(check)
                self.assertEqual(fresh.name, f"Renamed v{version}")
                # §1.1: only v1 and v2 derive the slug from a new name.
                self.assertEqual(fresh.slug, "old" if version == 3 else f"renamed-v{version}")
                self.assertEqual(fresh.tags, "a")
                self.assertEqual(list(fresh.channel_set.all()), [channel])
                self.assert_same_check(got, check, version=version)

        got = self.call(
            lambda c: c.update_check(str(check.code), check_update(schedule="0 1 * * *"))
        )
        self.assertEqual(self.fresh(check).kind, CheckKind.CRON)
        self.assertIsNone(got.timeout)
        got = self.call(lambda c: c.update_check(str(check.code), check_update(timeout=300)))
        self.assertEqual(self.fresh(check).kind, CheckKind.SIMPLE)
        self.assertEqual(got.timeout, 300)
        self.assert_same_check(got, check, version=3)

    def test_update_check_errors(self) -> None:
        check = self.make_check(name="Job")
        charlies = self.make_check(self.charlies_project, name="Charlie's")
        update = check_update(name="changed")
        for version in VERSIONS:
            with self.subTest(version=version):
                with self.assertRaises(HCAPIAuthError):
                    self.call(
                        lambda c: c.update_check(str(check.code), update),
                        version,
                        key=self.read_key,
                    )
                with self.assertRaises(HCAPIAuthError):
                    self.call(lambda c: c.update_check(str(charlies.code), update), version)
                with self.assertRaises(CheckNotFoundError):
                    self.call(lambda c: c.update_check(unknown_uuid(), update), version)
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
                got = self.call(lambda c: c.pause_check(str(check.code)), version)
                self.assertEqual(got.status, "paused")
                fresh = self.fresh(check)
                self.assertEqual(fresh.status, CheckStatus.PAUSED)
                self.assertIsNone(fresh.last_start)
                self.assertEqual(fresh.last_ping, last_ping)
                flip = self.flips_of(check)[-1]
                self.assertEqual((flip.old_status, flip.new_status), ("up", "paused"))
                self.assert_same_check(got, check, version=version)

        for version in VERSIONS:
            with self.subTest(version=version, errors=True):
                with self.assertRaises(HCAPIAuthError):
                    self.call(lambda c: c.pause_check(str(check.code)), version, key=self.read_key)
                with self.assertRaises(CheckNotFoundError):
                    self.call(lambda c: c.pause_check(unknown_uuid()), version)

        # A ping resumes it (manual_resume is off).
        self.assertEqual(self.call(lambda c: c.success_ping(uuid=str(check.code))), (True, "OK"))
        self.assertEqual(self.fresh(check).status, CheckStatus.UP)

    # delete_check --------------------------------------------------------------

    def test_delete_check(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                check = self.make_check(name=f"Doomed v{version}", slug="doomed")
                code = str(check.code)

                async def ping_and_delete(
                    client: AsyncClient, code: str = code, version: int = version
                ) -> str:
                    await client.success_ping(uuid=code)
                    deleted = await client.delete_check(code)
                    assert deleted.uuid is not None
                    self.assertEqual(deleted.n_pings, 1)
                    self.assertEqual(deleted.name, f"Doomed v{version}")
                    # Gone: both calls now answer 404.
                    with self.assertRaises(CheckNotFoundError):
                        await client.get_check(code)
                    with self.assertRaises(CheckNotFoundError):
                        await client.delete_check(code)
                    return deleted.uuid

                self.assertEqual(self.call(ping_and_delete, version), code)
                self.assertFalse(Check.objects.filter(id=check.id).exists())
                self.assertFalse(Ping.objects.filter(owner_id=check.id).exists())

    def test_delete_check_errors(self) -> None:
        check = self.make_check(name="Job")
        charlies = self.make_check(self.charlies_project, name="Charlie's")
        for version in VERSIONS:
            with self.subTest(version=version):
                with self.assertRaises(HCAPIAuthError):
                    self.call(lambda c: c.delete_check(str(check.code)), version, key=self.read_key)
                with self.assertRaises(HCAPIAuthError):
                    self.call(lambda c: c.delete_check(str(charlies.code)), version)
        self.assertEqual(Check.objects.count(), 2)

    # get_check_pings -----------------------------------------------------------

    def test_get_check_pings(self) -> None:
        check = self.make_check(name="Job")
        code = str(check.code)

        async def run_job(client: AsyncClient) -> None:
            self.assertEqual(await client.get_check_pings(code), [])
            self.assertEqual(await client.start_ping(uuid=code), (True, "OK"))
            self.assertEqual(await client.success_ping(uuid=code, data="done"), (True, "OK"))
            self.assertEqual(await client.exit_code_ping(4, uuid=code), (True, "OK"))

        self.call(run_job)
        for version in VERSIONS:
            with self.subTest(version=version):
                got = self.call(lambda c: c.get_check_pings(code), version)
                self.assertEqual(
                    [(p.type, p.number_of_pings) for p in got],
                    [("fail", 3), ("success", 2), ("start", 1)],
                )
                self.assert_check_pings(got, check, user_agent=ASYNC_USER_AGENT)
                self.assertIsNone(got[0].duration)
                self.assertIsNotNone(got[1].duration)
                self.assertIsNone(got[2].duration)

                with self.assertRaises(HCAPIAuthError):
                    self.call(lambda c: c.get_check_pings(code), version, key=self.read_key)
                with self.assertRaises(CheckNotFoundError):
                    self.call(lambda c: c.get_check_pings(unknown_uuid()), version)

    # get_check_flips -----------------------------------------------------------

    def test_get_check_flips_hits_the_known_client_bug(self) -> None:
        """The one allowed failure: management-api §11, "Known incompatibility".

        AsyncClient.get_check_flips, like the sync one, iterates the response
        as a bare JSON array; the server answers {"flips": [...]} as upstream
        does (§6.10 keeps the object form). It raises TypeError on every
        successful response. Pinned exactly, so this test fails if the client
        or the response shape changes: then revisit §11.
        """
        check = self.make_check(name="Job", status=CheckStatus.UP, last_ping=seconds_ago(60))
        now = timezone.now()
        Flip.objects.create(
            owner=check,
            created=now - timedelta(minutes=50),
            processed=now,
            old_status="new",
            new_status="up",
        )
        Flip.objects.create(
            owner=check,
            created=now - timedelta(minutes=20),
            processed=now,
            old_status="up",
            new_status="down",
        )
        self.assert_flips_on_the_wire(check, self.write_key, str(check.code))
        self.assert_flips_on_the_wire(check, self.read_key, check.unique_key)

        now_ts = int(now.timestamp())
        targets = [
            ("uuid", self.write_key, str(check.code)),
            ("unique key, read-only", self.read_key, check.unique_key),
        ]
        for version in VERSIONS:
            for label, key, ident in targets:
                for query in ({}, {"seconds": 7200}, {"start": now_ts - 7200, "end": now_ts + 60}):
                    with self.subTest(version=version, target=label, query=query):
                        with self.assertRaisesRegex(TypeError, FLIPS_BUG_MESSAGE) as caught:
                            self.get_check_flips(ident, query, version, key=key)
                        self.assertIs(type(caught.exception), TypeError)

    def test_get_check_flips_errors(self) -> None:
        # Error statuses are mapped before the body is parsed, so these work.
        check = self.make_check(name="Job")
        charlies = self.make_check(self.charlies_project, name="Charlie's")
        for version in VERSIONS:
            with self.subTest(version=version):
                with self.assertRaises(CheckNotFoundError):
                    self.call(lambda c: c.get_check_flips(unknown_uuid()), version)
                with self.assertRaises(HCAPIAuthError):
                    self.call(lambda c: c.get_check_flips(str(charlies.code)), version)
                with self.assertRaises(BadAPIRequestError):
                    self.call(lambda c: c.get_check_flips(str(check.code), start=10**11), version)

    # get_integrations ----------------------------------------------------------

    def test_get_integrations(self) -> None:
        email = self.make_channel("Ops email", "email")
        ntfy = self.make_channel("", "ntfy")
        self.make_channel("Charlie's", "webhook", self.charlies_project)
        expected = sorted([(str(email.code), "Ops email", "email"), (str(ntfy.code), "", "ntfy")])
        for version in VERSIONS:
            with self.subTest(version=version):
                got = self.call(lambda c: c.get_integrations(), version)
                self.assertEqual(len(got), 2)
                self.assertEqual(
                    sorted((i.id, i.name, i.kind) for i in got if i is not None), expected
                )
                with self.assertRaises(HCAPIAuthError):
                    self.call(lambda c: c.get_integrations(), version, key=self.read_key)

    # get_badges ----------------------------------------------------------------

    def test_get_badges(self) -> None:
        self.make_check(name="DB", tags="prod db", status=CheckStatus.DOWN)
        self.make_check(name="Web", tags="web")
        prefix = f"{self.live_server_url}/badge/alice/"
        for version in VERSIONS:
            for key in (self.write_key, self.read_key):
                with self.subTest(version=version, key=key[:4]):
                    badges = self.call(lambda c: c.get_badges(), version, key=key)
                    self.assertEqual(set(badges), {"prod", "db", "web", "*"})
                    for tag, badge in badges.items():
                        suffix = "" if tag == "*" else f"/{tag}"
                        urls = [badge.svg, badge.json_url, badge.shields]
                        urls3 = [badge.svg3, badge.json3_url, badge.shields3]
                        for url, fmt in zip(urls, ("svg", "json", "shields"), strict=True):
                            self.assertTrue(url.startswith(prefix), url)
                            self.assertTrue(url.endswith(f"-2{suffix}.{fmt}"), url)
                        for url, fmt in zip(urls3, ("svg", "json", "shields"), strict=True):
                            self.assertTrue(url.startswith(prefix), url)
                            self.assertTrue(url.endswith(f"{suffix}.{fmt}"), url)
                            self.assertFalse(url.endswith(f"-2{suffix}.{fmt}"), url)
        with self.assertRaises(HCAPIAuthError):
            self.call(lambda c: c.get_badges(), key="x" * 32)

    # Pings -----------------------------------------------------------------------

    def test_pings_by_uuid(self) -> None:
        check = self.make_check(name="Job", slug="job")
        code = str(check.code)
        steps: list[tuple[Action[tuple[bool, str]], str, bytes | None, int | None, str]] = [
            (lambda c: c.success_ping(uuid=code, data="a"), "success", b"a", None, "up"),
            (lambda c: c.start_ping(uuid=code), "start", None, None, "up"),
            (lambda c: c.fail_ping(uuid=code, data="b"), "fail", b"b", None, "down"),
            (lambda c: c.exit_code_ping(0, uuid=code), "success", None, 0, "up"),
            (lambda c: c.exit_code_ping(9, uuid=code, data="c"), "fail", b"c", 9, "down"),
        ]
        for n, (action, kind, body, exitstatus, status) in enumerate(steps, start=1):
            with self.subTest(n=n, kind=kind):
                # The client's X-Api-Key header is ignored on pings (ping-api §18).
                self.assertEqual(self.call(action, key="not a key"), (True, "OK"))
                fresh = self.fresh(check)
                self.assertEqual((fresh.n_pings, fresh.status), (n, status))
                self.assertEqual(fresh.last_start is not None, kind == "start")
                ping = self.pings_of(check)[-1]
                self.assertEqual(ping.n, n)
                self.assert_ping(ping, kind, body=body, exitstatus=exitstatus)

    def test_pings_by_slug(self) -> None:
        check = self.make_check(name="Nightly", slug="nightly")

        async def run(client: AsyncClient) -> list[tuple[bool, str]]:
            return [
                await client.start_ping(slug="nightly"),
                await client.success_ping(slug="nightly", data="x"),
                await client.fail_ping(slug="nightly"),
                await client.exit_code_ping(0, slug="nightly", data="y"),
                await client.exit_code_ping(1, slug="nightly"),
            ]

        self.assertEqual(self.call(run, ping_key=PING_KEY), [(True, "OK")] * 5)
        pings = self.pings_of(check)
        self.assertEqual(
            [(p.kind, p.exitstatus) for p in pings],
            [("start", None), ("success", None), ("fail", None), ("success", 0), ("fail", 1)],
        )
        self.assert_ping(pings[1], PingKind.SUCCESS, body=b"x")
        self.assert_ping(pings[3], PingKind.SUCCESS, body=b"y", exitstatus=0)
        fresh = self.fresh(check)
        self.assertEqual((fresh.n_pings, fresh.status), (5, CheckStatus.DOWN))
        # The last completion had no run start before it (ping-api §9).
        self.assertIsNone(fresh.last_duration)

    def test_ping_errors(self) -> None:
        check = self.make_check(name="Job", slug="job")
        self.make_check(name="Twin 1", slug="twin")
        self.make_check(name="Twin 2", slug="twin")
        code = str(check.code)
        with self.assertRaises(CheckNotFoundError):
            self.call(lambda c: c.success_ping(uuid=unknown_uuid()))
        with self.assertRaises(CheckNotFoundError):
            self.call(lambda c: c.start_ping(slug="nope"), ping_key=PING_KEY)
        with self.assertRaises(CheckNotFoundError):
            self.call(lambda c: c.fail_ping(slug="job"), ping_key="wrong-ping-key")
        with self.assertRaises(NonUniqueSlugError):
            self.call(lambda c: c.success_ping(slug="twin"), ping_key=PING_KEY)
        with self.assertRaisesRegex(BadAPIRequestError, "invalid url format"):
            self.call(lambda c: c.exit_code_ping(300, uuid=code))
        with self.assertRaisesRegex(BadAPIRequestError, "invalid url format"):
            self.call(lambda c: c.success_ping(slug="JOB"), ping_key=PING_KEY)
        self.assertFalse(Ping.objects.exists())

    # CheckTrap -------------------------------------------------------------------

    def test_check_trap(self) -> None:
        check = self.make_check(name="Trap", slug="trap")
        code = str(check.code)

        async def job(client: AsyncClient) -> str:
            async with CheckTrap(client, uuid=code) as trap:
                # The start ping went out on entry: v1 reports a running job.
                running = await client.get_check(code)
                trap.add_log("step 1")
                trap.add_log("step 2")
            return running.status

        self.assertEqual(self.call(job, 1), "started")
        self.assertEqual([p.kind for p in self.pings_of(check)], ["start", "success"])
        self.assert_ping(self.pings_of(check)[-1], PingKind.SUCCESS, body=b"step 1\nstep 2")
        fresh = self.fresh(check)
        self.assertEqual(fresh.status, CheckStatus.UP)
        self.assertIsNone(fresh.last_start)
        self.assertIsNotNone(fresh.last_duration)

    def test_check_trap_on_failure(self) -> None:
        check = self.make_check(name="Trap", slug="trap")

        async def failing_job(client: AsyncClient) -> None:
            async with CheckTrap(client, slug="trap") as trap:
                trap.add_log("copying")
                raise RuntimeError("disk full")

        with self.assertRaisesRegex(RuntimeError, "disk full"):
            self.call(failing_job, ping_key=PING_KEY)
        self.assertEqual(self.fresh(check).status, CheckStatus.DOWN)
        ping = self.pings_of(check)[-1]
        self.assertEqual(ping.kind, PingKind.FAIL)
        body = stored_body(ping) or b""
        self.assertTrue(body.startswith(b"copying\ndisk full\n<traceback object at "), body)

        async def suppressed(client: AsyncClient) -> None:
            async with CheckTrap(client, uuid=str(check.code), suppress_exceptions=True):
                raise ValueError("ignored")

        self.call(suppressed)
        self.assertEqual([p.kind for p in self.pings_of(check)], ["start", "fail"] * 2)
        self.assertIn(b"ignored", stored_body(self.pings_of(check)[-1]) or b"")

    def test_check_trap_errors(self) -> None:
        check = self.make_check(name="Trap")

        async def unknown(client: AsyncClient) -> None:
            async with CheckTrap(client, uuid=unknown_uuid()):
                self.fail("the body must not run")

        with self.assertRaises(CheckNotFoundError):
            self.call(unknown)

        # An AsyncClient in a plain `with`: refused before any request.
        async def wrong_kind(client: AsyncClient) -> None:
            with CheckTrap(client, uuid=str(check.code)):
                self.fail("the body must not run")

        with self.assertRaises(WrongClientError):
            self.call(wrong_kind)
        self.assertFalse(Ping.objects.exists())

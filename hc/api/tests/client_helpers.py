"""Shared pieces of the healthchecks-io client compatibility tests.

`test_client_sync.py` and `test_client_async.py` drive the real third-party
client (`healthchecks-io` 0.4.4, management-api §11, ping-api §18) against a
live server. This module holds what both need: the live-server base class
with Alice's project, its keys and ping key, and assertions that compare
what the client returned with the database.

The server runs in a thread of the test process (LiveServerTestCase), so
`override_settings` reaches it: SITE_ROOT and PING_ENDPOINT point at the live
server, which makes every URL in a response (ping_url, update_url, badge
URLs) usable as is.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import healthchecks_io
import httpx
from django.contrib.auth.models import User
from django.test import LiveServerTestCase, override_settings

from hc.accounts.models import Project
from hc.accounts.services import do_issue_api_key
from hc.api.models import Channel, Check, CheckKind, Flip, Ping
from hc.test import PING_KEY, BaseTestCase, stored_body

VERSIONS = (1, 2, 3)
# What the client sends as User-Agent (both clients send X-Api-Key and a JSON
# content type on every request, pings included).
SYNC_USER_AGENT = f"py-healthchecks.io/{healthchecks_io.__version__}"
ASYNC_USER_AGENT = f"py-healthchecks.io-async/{healthchecks_io.__version__}"
# The healthchecks-io client's known parsing bug (management-api §11, "Known
# incompatibility"): get_check_flips iterates the decoded body as a list of
# flip objects, but the server returns {"flips": [...]} (§6.10, like
# upstream). Iterating the dict yields its key "flips", and
# `CheckStatuses(**"flips")` raises exactly this TypeError.
FLIPS_BUG_MESSAGE = (
    r"^healthchecks_io\.schemas\.checks\.CheckStatuses\(\) "
    r"argument after \*\* must be a mapping, not str$"
)


class ClientTestCase(LiveServerTestCase):
    """Alice's project with read-write and read-only keys, and Charlie's."""

    alice: User
    charlie: User
    project: Project
    charlies_project: Project
    write_key: str
    read_key: str
    charlies_key: str

    def setUp(self) -> None:
        super().setUp()
        self.enterContext(
            override_settings(
                SITE_ROOT=self.live_server_url,
                PING_ENDPOINT=f"{self.live_server_url}/ping/",
            )
        )
        self.alice = BaseTestCase.make_user("alice")
        self.project = Project.objects.create(
            owner=self.alice, name="Alice's Project", badge_key="alice", ping_key=PING_KEY
        )
        self.charlie = BaseTestCase.make_user("charlie")
        self.charlies_project = Project.objects.create(
            owner=self.charlie, badge_key="charlie", ping_key="charlies-ping-key"
        )
        self.write_key = do_issue_api_key(self.project, readonly=False)
        self.read_key = do_issue_api_key(self.project, readonly=True)
        self.charlies_key = do_issue_api_key(self.charlies_project, readonly=False)

    # Client configuration (management-api §11: self-hosted users pass these).

    @property
    def api_url(self) -> str:
        return f"{self.live_server_url}/api/"

    @property
    def ping_url(self) -> str:
        return f"{self.live_server_url}/ping/"

    # Fixtures -----------------------------------------------------------------

    def make_check(self, project: Project | None = None, **fields: Any) -> Check:
        return Check.objects.create(project=project or self.project, **fields)

    def make_channel(self, name: str, kind: str, project: Project | None = None) -> Channel:
        return Channel.objects.create(
            project=project or self.project, name=name, kind=kind, config={}
        )

    def raw_get(self, path: str, key: str) -> httpx.Response:
        """A plain GET of the live server, to see what the client was given."""
        return httpx.get(f"{self.live_server_url}{path}", headers={"X-Api-Key": key})

    # Database views -----------------------------------------------------------

    @staticmethod
    def fresh(check: Check) -> Check:
        return Check.objects.get(id=check.id)

    def stored(self, got: healthchecks_io.Check) -> Check:
        """The check the client's result names by UUID."""
        self.assertIsNotNone(got.uuid)
        return Check.objects.get(code=got.uuid or "")

    @staticmethod
    def pings_of(check: Check) -> list[Ping]:
        return list(Ping.objects.filter(owner=check).order_by("n"))

    @staticmethod
    def flips_of(check: Check) -> list[Flip]:
        return list(Flip.objects.filter(owner=check).order_by("created", "id"))

    # Assertions ---------------------------------------------------------------

    def assert_same_check(
        self,
        got: healthchecks_io.Check,
        check: Check,
        *,
        version: int,
        readonly: bool = False,
    ) -> None:
        """`got` (as parsed by the client) describes `check` as stored now."""
        check = self.fresh(check)
        self.assertEqual(got.name, check.name)
        self.assertEqual(got.slug, check.slug)
        self.assertEqual(got.tags, check.tags)
        self.assertEqual(got.desc, check.desc)
        self.assertEqual(got.grace, int(check.grace.total_seconds()))
        self.assertEqual(got.n_pings, check.n_pings)
        self.assertEqual(got.status, check.get_status(with_started=version == 1).value)
        self.assertEqual(got.manual_resume, check.manual_resume)
        self.assertEqual(got.methods, check.methods)
        self.assertEqual(got.last_ping, whole_seconds(check.last_ping))
        self.assertEqual(got.next_ping, whole_seconds(check.grace_start()))
        if check.kind == CheckKind.SIMPLE:
            self.assertEqual(got.timeout, int(check.timeout.total_seconds()))
        else:
            self.assertIsNone(got.timeout)
        if readonly:
            # management-api §5.2: no UUID anywhere, unique_key instead.
            self.assertEqual(got.unique_key, check.unique_key)
            self.assertIsNone(got.uuid)
            self.assertIsNone(got.ping_url)
            self.assertIsNone(got.update_url)
            self.assertIsNone(got.pause_url)
            self.assertIsNone(got.channels)
        else:
            update_url = f"{self.live_server_url}/api/v{version}/checks/{check.code}"
            self.assertIsNone(got.unique_key)
            self.assertEqual(got.uuid, str(check.code))
            self.assertEqual(got.ping_url, f"{self.live_server_url}/ping/{check.code}")
            self.assertEqual(got.update_url, update_url)
            self.assertEqual(got.pause_url, f"{update_url}/pause")
            codes = sorted(str(c) for c in check.channel_set.values_list("code", flat=True))
            self.assertEqual(got.channels, ",".join(codes))

    def assert_ping(
        self,
        ping: Ping,
        kind: str,
        *,
        body: bytes | None = None,
        exitstatus: int | None = None,
        user_agent: str = SYNC_USER_AGENT,
    ) -> None:
        """A ping the client sent: POST over http from this host."""
        self.assertEqual(ping.kind, kind)
        self.assertEqual(ping.method, "POST")
        self.assertEqual(ping.scheme, "http")
        self.assertEqual(ping.remote_addr, "127.0.0.1")
        self.assertEqual(ping.ua, user_agent)
        self.assertEqual(ping.exitstatus, exitstatus)
        self.assertIsNone(ping.rid)
        # The client always sends a body; an empty one may be stored as NULL.
        self.assertEqual(stored_body(ping) or None, body)

    def assert_check_pings(
        self,
        got: list[healthchecks_io.CheckPings],
        check: Check,
        *,
        user_agent: str = SYNC_USER_AGENT,
    ) -> None:
        """The client's ping list is the check's stored pings, newest first."""
        stored = list(reversed(self.pings_of(check)))
        self.assertEqual(len(got), len(stored))
        for item, ping in zip(got, stored, strict=True):
            self.assertEqual(item.type, ping.kind)
            self.assertEqual(item.number_of_pings, ping.n)
            self.assertEqual(item.date, ping.created)
            self.assertEqual(item.scheme, "http")
            self.assertEqual(item.remote_addr, "127.0.0.1")
            self.assertEqual(item.method, "POST")
            self.assertEqual(item.user_agent, user_agent)

    def assert_flips_on_the_wire(self, check: Check, key: str, ident: str) -> None:
        """The flips endpoint itself answers per §6.10, so the client is at fault."""
        for version in VERSIONS:
            r = self.raw_get(f"/api/v{version}/checks/{ident}/flips/", key)
            self.assertEqual(r.status_code, 200)
            expected = [
                {"timestamp": iso_seconds(f.created), "up": int(f.new_status == "up")}
                for f in reversed(self.flips_of(check))
            ]
            self.assertEqual(r.json(), {"flips": expected})


def whole_seconds(moment: datetime | None) -> datetime | None:
    """A stored datetime as the check object reports it (§3.2)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0)


def iso_seconds(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def seconds_ago(seconds: int) -> datetime:
    return datetime.now(UTC) - timedelta(seconds=seconds)


def unknown_uuid() -> str:
    return str(uuid.uuid4())


# The client's request models, built with their real constructors. mypy
# cannot see these models' defaults (given to Field positionally), so it would
# demand every argument; keyword arguments via **fields avoid that.


def check_create(**fields: Any) -> healthchecks_io.CheckCreate:
    return healthchecks_io.CheckCreate(**fields)


def check_update(**fields: Any) -> healthchecks_io.CheckUpdate:
    return healthchecks_io.CheckUpdate(**fields)

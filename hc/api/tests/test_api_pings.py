"""GET /api/v{1,2,3}/checks/<uuid>/pings/ (management-api §6.8, monitoring §8.1).

Pings are recorded through the real ping endpoint under a frozen clock, so the
durations below are computed from what the ping pipeline actually stores.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from hc.accounts.models import Profile
from hc.api.models import Check, Methods, Ping
from hc.api.tests.api_misc_helpers import ApiTestCase, EndpointContract

T0 = datetime(2026, 5, 2, 0, 58, 57, 170554, tzinfo=UTC)
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)
MAX = timedelta(hours=72)
RID_A = "5d2c7f0a-1b3e-4c9d-8a76-0e4f2b1c3d5a"
RID_B = "0e5a7c2d-9f41-4b8e-8d3a-6c1f0b2e4a97"
# Per request: the key's project, the check, the owner's limit, the listing.
BASE_QUERIES = 4


class PingsTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="Backup")
        self.path_ = f"checks/{self.check.code}/pings/"

    def path(self) -> str:
        return self.path_

    def send(self, at: datetime, suffix: str = "", rid: str | None = None, body: str = "") -> None:
        """Record a ping at `at`: suffix "/start", "/fail", "/log", "" (success)."""
        query = f"?rid={rid}" if rid else ""
        with time_machine.travel(at, tick=False):
            r = self.client.post(
                f"/ping/{self.check.code}{suffix}{query}",
                body,
                content_type="text/plain",
                HTTP_USER_AGENT="runitor/v1.3.0",
            )
        self.assertEqual(r.status_code, 200)

    def send_ignored(self, at: datetime) -> None:
        """Record an ignored ping: a GET to a check that wants POST."""
        Check.objects.filter(id=self.check.id).update(methods=Methods.POST)
        with time_machine.travel(at, tick=False):
            self.client.get(f"/ping/{self.check.code}")
        Check.objects.filter(id=self.check.id).update(methods=Methods.ANY)

    def set_limit(self, limit: int) -> None:
        Profile.objects.filter(user=self.alice).update(ping_log_limit=limit)

    def listing(self, version: int = 3) -> list[dict[str, Any]]:
        r = self.api_get(self.path_, version=version)
        self.assertEqual(r.status_code, 200)
        result: list[dict[str, Any]] = self.json(r)["pings"]
        return result

    def durations(self) -> dict[int, float | None]:
        """Ping n -> duration (None when absent) for the current listing."""
        return {item["n"]: item.get("duration") for item in self.listing()}


class PingsContractTestCase(EndpointContract, PingsTestCase):
    access = "write"


class PingsAccessTestCase(PingsTestCase):
    def test_an_unknown_check_is_404_with_an_empty_body(self) -> None:
        r = self.api_get(f"checks/{uuid.uuid4()}/pings/")
        self.assert_empty(r, 404)

    def test_a_check_of_another_project_is_403_with_an_empty_body(self) -> None:
        other = Check.objects.create(project=self.charlies_project)
        r = self.api_get(f"checks/{other.code}/pings/")
        self.assert_empty(r, 403)

    def test_the_read_only_key_cannot_see_another_projects_check_either(self) -> None:
        other = Check.objects.create(project=self.charlies_project)
        r = self.api_get(f"checks/{other.code}/pings/", key=self.read_key)
        self.assert_error(r, 401, "wrong api key")

    def test_an_uppercase_uuid_is_not_routed(self) -> None:
        r = self.api_get(f"checks/{str(self.check.code).upper()}/pings/")
        self.assertEqual(r.status_code, 404)

    def test_a_missing_trailing_slash_redirects(self) -> None:
        r = self.api_get(f"checks/{self.check.code}/pings")
        self.assertEqual(r.status_code, 301)
        self.assertEqual(r["Location"], f"/api/v3/checks/{self.check.code}/pings/")


class PingsListingTestCase(PingsTestCase):
    def test_it_lists_nothing_for_a_check_without_pings(self) -> None:
        r = self.api_get(self.path_)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.json(r), {"pings": []})

    @override_settings(SITE_ROOT="https://hc.example.org")
    def test_it_describes_each_ping(self) -> None:
        self.send(T0, "/start", rid=RID_A)
        self.send(T0 + timedelta(seconds=74, microseconds=311446), rid=RID_A, body="dumped")
        body_url = f"https://hc.example.org/api/v3/checks/{self.check.code}/pings/2/body"
        self.assertEqual(
            self.listing(),
            [
                {
                    "type": "success",
                    "date": "2026-05-02T01:00:11.482000+00:00",
                    "n": 2,
                    "scheme": "http",
                    "remote_addr": "127.0.0.1",
                    "method": "POST",
                    "ua": "runitor/v1.3.0",
                    "rid": RID_A,
                    "body_url": body_url,
                    "duration": 74.31,
                },
                {
                    "type": "start",
                    "date": "2026-05-02T00:58:57.170554+00:00",
                    "n": 1,
                    "scheme": "http",
                    "remote_addr": "127.0.0.1",
                    "method": "POST",
                    "ua": "runitor/v1.3.0",
                    "rid": RID_A,
                    "body_url": None,
                },
            ],
        )

    def test_it_lists_newest_first(self) -> None:
        for i in range(5):
            self.send(T0 + i * HOUR)
        self.assertEqual([item["n"] for item in self.listing()], [5, 4, 3, 2, 1])

    def test_the_date_omits_a_zero_fraction(self) -> None:
        self.send(datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))
        self.assertEqual(self.listing()[0]["date"], "2026-03-04T05:06:07+00:00")

    def test_it_reports_every_ping_type(self) -> None:
        self.send(T0, "/start")
        self.send(T0 + SECOND, "/log")
        self.send(T0 + 2 * SECOND, "/fail")
        self.send(T0 + 3 * SECOND)
        self.send_ignored(T0 + 4 * SECOND)
        types = [item["type"] for item in self.listing()]
        self.assertEqual(types, ["ign", "success", "fail", "log", "start"])

    def test_a_null_rid_is_null(self) -> None:
        self.send(T0)
        self.assertIsNone(self.listing()[0]["rid"])

    def test_body_urls_use_the_requested_api_version(self) -> None:
        self.send(T0, body="hello")
        for version in (1, 2, 3):
            with self.subTest(version=version):
                url = self.listing(version=version)[0]["body_url"]
                path = f"/api/v{version}/checks/{self.check.code}/pings/1/body"
                self.assertTrue(url.endswith(path))

    def test_a_ping_without_a_body_has_a_null_body_url(self) -> None:
        self.send(T0)
        Ping.objects.create(owner=self.check, n=2, created=T0 + SECOND, body_raw=None)
        self.assertEqual([item["body_url"] for item in self.listing()], [None, None])

    def test_a_body_in_object_storage_has_a_body_url(self) -> None:
        Ping.objects.create(owner=self.check, n=1, created=T0, object_size=500)
        url = self.listing()[0]["body_url"]
        self.assertTrue(url.endswith(f"/checks/{self.check.code}/pings/1/body"))

    def test_an_email_ping_has_an_empty_method(self) -> None:
        Ping.objects.create(
            owner=self.check,
            n=1,
            created=T0,
            scheme="email",
            remote_addr="203.0.113.20",
            method="",
            ua="Email from backup@srv1.example.net",
            body_raw=b"Subject: done",
        )
        item = self.listing()[0]
        self.assertEqual(item["scheme"], "email")
        self.assertEqual(item["method"], "")
        self.assertEqual(item["ua"], "Email from backup@srv1.example.net")
        self.assertEqual(item["remote_addr"], "203.0.113.20")

    def test_a_missing_address_is_an_empty_string(self) -> None:
        Ping.objects.create(owner=self.check, n=1, created=T0, remote_addr=None)
        self.assertEqual(self.listing()[0]["remote_addr"], "")

    def test_it_lists_only_this_checks_pings(self) -> None:
        other = Check.objects.create(project=self.project)
        Ping.objects.create(owner=other, n=1, created=T0)
        self.send(T0)
        self.assertEqual(len(self.listing()), 1)


class PingsLimitTestCase(PingsTestCase):
    def add_pings(self, count: int) -> None:
        Ping.objects.bulk_create(
            Ping(owner=self.check, n=n, created=T0 + n * SECOND) for n in range(1, count + 1)
        )
        Check.objects.filter(id=self.check.id).update(n_pings=count)

    def test_the_default_limit_is_100(self) -> None:
        self.add_pings(105)
        numbers = [item["n"] for item in self.listing()]
        self.assertEqual(numbers, list(range(105, 5, -1)))

    def test_it_lists_at_most_the_owners_ping_log_limit(self) -> None:
        self.set_limit(5)
        self.add_pings(8)
        self.assertEqual([item["n"] for item in self.listing()], [8, 7, 6, 5, 4])

    def test_it_hides_pings_outside_the_visible_window(self) -> None:
        # n_pings counts pings whose rows are gone (or never were kept).
        self.set_limit(5)
        self.add_pings(3)
        Check.objects.filter(id=self.check.id).update(n_pings=6)
        self.assertEqual([item["n"] for item in self.listing()], [3, 2])

    def test_the_limit_of_a_teammate_does_not_matter(self) -> None:
        Profile.objects.filter(user=self.bob).update(ping_log_limit=2)
        self.add_pings(4)
        self.assertEqual(len(self.listing()), 4)

    def test_it_caps_the_listing_at_1000(self) -> None:
        self.set_limit(5000)
        self.add_pings(1003)
        numbers = [item["n"] for item in self.listing()]
        self.assertEqual(numbers, list(range(1003, 3, -1)))


class DurationsInListingTestCase(PingsTestCase):
    def test_a_success_after_a_start_has_a_duration(self) -> None:
        self.send(T0, "/start")
        self.send(T0 + timedelta(seconds=3, milliseconds=750))
        self.assertEqual(self.durations(), {2: 3.75, 1: None})

    def test_a_failure_after_a_start_has_a_duration(self) -> None:
        self.send(T0, "/start")
        self.send(T0 + 90 * SECOND, "/fail")
        self.assertEqual(self.durations(), {2: 90.0, 1: None})

    def test_durations_are_rounded_to_two_decimals(self) -> None:
        self.send(T0, "/start")
        self.send(T0 + timedelta(seconds=1, microseconds=234567))
        self.send(T0 + HOUR, "/start")
        self.send(T0 + HOUR + timedelta(seconds=2, microseconds=996000))
        durations = self.durations()
        self.assertEqual(durations[2], 1.23)
        self.assertEqual(durations[4], 3.0)

    def test_a_start_pairs_with_a_completion_of_the_same_rid(self) -> None:
        self.send(T0, "/start", rid=RID_A)
        self.send(T0 + SECOND, "/start", rid=RID_B)
        self.send(T0 + 10 * SECOND, rid=RID_A)
        self.send(T0 + 20 * SECOND, "/fail", rid=RID_B)
        self.assertEqual(self.durations(), {4: 19.0, 3: 10.0, 2: None, 1: None})

    def test_a_null_rid_is_a_rid_of_its_own(self) -> None:
        self.send(T0, "/start")
        self.send(T0 + SECOND, "/start", rid=RID_A)
        self.send(T0 + 5 * SECOND)
        self.assertEqual(self.durations()[3], 5.0)

    def test_a_completion_consumes_the_start(self) -> None:
        self.send(T0, "/start")
        self.send(T0 + SECOND)
        self.send(T0 + 2 * SECOND)
        self.assertEqual(self.durations(), {3: None, 2: 1.0, 1: None})

    def test_the_latest_start_counts(self) -> None:
        self.send(T0, "/start")
        self.send(T0 + 10 * SECOND, "/start")
        self.send(T0 + 12 * SECOND)
        self.assertEqual(self.durations()[3], 2.0)

    def test_log_and_ignored_pings_do_not_affect_durations(self) -> None:
        self.send(T0, "/start")
        self.send(T0 + SECOND, "/log")
        self.send_ignored(T0 + 2 * SECOND)
        self.send(T0 + 3 * SECOND)
        self.assertEqual(self.durations(), {4: 3.0, 3: None, 2: None, 1: None})

    def test_start_log_and_ignored_pings_never_have_a_duration(self) -> None:
        self.send(T0, "/start")
        self.send(T0 + SECOND, "/start")
        self.send(T0 + 2 * SECOND, "/log")
        self.send_ignored(T0 + 3 * SECOND)
        for item in self.listing():
            self.assertNotIn("duration", item)

    def test_a_gap_just_under_72_hours_is_a_duration(self) -> None:
        self.send(T0, "/start")
        self.send(T0 + MAX - SECOND)
        self.assertEqual(self.durations()[2], (MAX - SECOND).total_seconds())

    def test_a_gap_of_72_hours_is_no_duration(self) -> None:
        self.send(T0, "/start")
        self.send(T0 + MAX)
        self.assertEqual(self.durations(), {2: None, 1: None})

    def test_a_zero_duration_is_reported(self) -> None:
        self.send(T0, "/start")
        self.send(T0)
        self.assertEqual(self.durations()[2], 0.0)


class DurationsLookBackTestCase(PingsTestCase):
    """Completions whose rid is not in the listing look further back in storage."""

    def test_it_finds_a_start_outside_the_listing(self) -> None:
        self.set_limit(1)
        self.send(T0, "/start")
        self.send(T0 + 5 * SECOND)
        self.assertEqual(self.durations(), {2: 5.0})

    def test_it_finds_a_start_behind_log_and_ignored_pings(self) -> None:
        self.set_limit(1)
        self.send(T0, "/start")
        self.send(T0 + SECOND, "/log")
        self.send_ignored(T0 + 2 * SECOND)
        self.send(T0 + 7 * SECOND)
        self.assertEqual(self.durations(), {4: 7.0})

    def test_an_earlier_completion_means_no_duration(self) -> None:
        self.set_limit(1)
        self.send(T0, "/start")
        self.send(T0 + SECOND)
        self.send(T0 + 2 * SECOND, "/fail")
        self.assertEqual(self.durations(), {3: None})

    def test_it_only_considers_the_same_rid(self) -> None:
        self.set_limit(1)
        self.send(T0, "/start", rid=RID_A)
        self.send(T0 + SECOND, rid=RID_B)
        self.assertEqual(self.durations(), {2: None})

    def test_a_null_rid_only_matches_a_null_rid(self) -> None:
        self.set_limit(2)
        self.send(T0, "/start")
        self.send(T0 + SECOND, "/start", rid=RID_A)
        self.send(T0 + 2 * SECOND, "/log")
        self.send(T0 + 4 * SECOND)
        self.assertEqual(self.durations(), {4: 4.0, 3: None})

    def test_it_looks_back_at_most_72_hours(self) -> None:
        self.set_limit(1)
        self.send(T0, "/start")
        self.send(T0 + MAX)
        self.assertEqual(self.durations(), {2: MAX.total_seconds()})

    def test_a_start_more_than_72_hours_back_is_not_found(self) -> None:
        self.set_limit(1)
        self.send(T0, "/start")
        self.send(T0 + MAX + SECOND)
        self.assertEqual(self.durations(), {2: None})

    def test_the_very_first_ping_has_no_duration(self) -> None:
        self.send(T0)
        self.assertEqual(self.durations(), {1: None})

    def test_it_does_not_look_back_72_hours_after_the_oldest_listed_ping(self) -> None:
        self.set_limit(2)
        self.send(T0 - HOUR, "/start")
        self.send(T0, "/log")
        self.send(T0 + MAX)
        # The listing covers the 72 hours before the success: nothing to look up.
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.durations(), {3: None, 2: None})
        self.assertEqual(len(queries), BASE_QUERIES)

    def test_a_look_back_costs_one_query(self) -> None:
        self.set_limit(1)
        self.send(T0, "/start")
        self.send(T0 + 5 * SECOND)
        with CaptureQueriesContext(connection) as queries:
            self.listing()
        self.assertEqual(len(queries), BASE_QUERIES + 1)

    def test_a_rid_seen_in_the_listing_is_not_looked_up(self) -> None:
        self.set_limit(3)
        self.send(T0 - HOUR, "/start")
        self.send(T0, "/log")
        self.send(T0 + SECOND)
        self.send(T0 + 2 * SECOND)
        with CaptureQueriesContext(connection) as queries:
            durations = self.durations()
        # #3 looks back (finds the start); #4 sees #3 in the listing.
        self.assertEqual(durations, {4: None, 3: HOUR.total_seconds() + 1, 2: None})
        self.assertEqual(len(queries), BASE_QUERIES + 1)


class DurationsGuardTestCase(PingsTestCase):
    """More than 10 look-backs: no durations anywhere in the response."""

    def setUp(self) -> None:
        super().setUp()
        self.rids = [str(uuid.uuid4()) for _ in range(11)]

    def record(self, lookbacks: int) -> None:
        """`lookbacks` hidden starts and their completions, then an in-listing pair."""
        for i, rid in enumerate(self.rids[:lookbacks]):
            self.send(T0 + i * SECOND, "/start", rid=rid)
        for i, rid in enumerate(self.rids[:lookbacks]):
            self.send(T0 + HOUR + i * SECOND, rid=rid)
        self.send(T0 + 2 * HOUR, "/start")
        self.send(T0 + 2 * HOUR + 3 * SECOND)
        self.set_limit(lookbacks + 2)

    def test_ten_look_backs_are_allowed(self) -> None:
        self.record(10)
        with CaptureQueriesContext(connection) as queries:
            listing = self.listing()
        self.assertEqual(len(queries), BASE_QUERIES + 10)
        durations = [item.get("duration") for item in listing]
        self.assertEqual(durations[0], 3.0)
        self.assertEqual(durations[1], None)
        for i, duration in enumerate(reversed(durations[2:])):
            self.assertEqual(duration, HOUR.total_seconds())
            self.assertEqual(listing[-1 - i]["rid"], self.rids[i])

    def test_eleven_look_backs_drop_every_duration(self) -> None:
        self.record(11)
        with CaptureQueriesContext(connection) as queries:
            listing = self.listing()
        self.assertEqual(len(queries), BASE_QUERIES)
        self.assertEqual(len(listing), 13)
        for item in listing:
            self.assertNotIn("duration", item)

    def test_completions_needing_no_look_back_do_not_count(self) -> None:
        # Eleven completions with fresh rids, each 72 h or more after the
        # oldest listed ping: none of them is looked up.
        self.send(T0, "/log")
        for i, rid in enumerate(self.rids):
            self.send(T0 + MAX + i * SECOND, rid=rid)
        self.send(T0 + MAX + HOUR, "/start")
        self.send(T0 + MAX + HOUR + 2 * SECOND)
        with CaptureQueriesContext(connection) as queries:
            listing = self.listing()
        self.assertEqual(len(queries), BASE_QUERIES)
        self.assertEqual(listing[0]["duration"], 2.0)

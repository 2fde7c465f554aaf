"""GET /api/v{1,2,3}/checks/<uuid or unique_key>/flips/ (management-api §6.10)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine

from hc.api.models import Check, CheckStatus, Flip
from hc.api.tests.api_misc_helpers import ApiTestCase, EndpointContract

NOW = datetime(2026, 5, 2, 12, 0, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
MICROSECOND = timedelta(microseconds=1)
DAY = timedelta(days=1)


def ts(moment: datetime) -> int:
    return int(moment.timestamp())


@time_machine.travel(NOW, tick=False)
class FlipsTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="Backup")

    def path(self) -> str:
        return f"checks/{self.check.code}/flips/"

    def flip(
        self, created: datetime, new: CheckStatus = CheckStatus.UP, check: Check | None = None
    ) -> Flip:
        old = CheckStatus.DOWN if new == CheckStatus.UP else CheckStatus.UP
        return Flip.objects.create(
            owner=check or self.check, created=created, old_status=old, new_status=new
        )

    def flips(self, query: str = "", key: str | None = None) -> list[dict[str, Any]]:
        r = self.api_get(f"{self.path()}{query}", key=key)
        self.assertEqual(r.status_code, 200)
        body = self.json(r)
        self.assertEqual(list(body), ["flips"])
        result: list[dict[str, Any]] = body["flips"]
        return result

    def timestamps(self, query: str = "") -> list[str]:
        return [item["timestamp"] for item in self.flips(query)]


class FlipsByCodeContractTestCase(EndpointContract, FlipsTestCase):
    access = "read"


class FlipsByUniqueKeyContractTestCase(EndpointContract, FlipsTestCase):
    access = "read"

    def path(self) -> str:
        return f"checks/{self.check.unique_key}/flips/"


class FlipsListingTestCase(FlipsTestCase):
    def test_it_lists_nothing_for_a_check_without_flips(self) -> None:
        self.assertEqual(self.flips(), [])

    def test_it_lists_flips_newest_first_with_whole_second_timestamps(self) -> None:
        self.flip(datetime(2026, 5, 2, 1, 11, 9, 987654, tzinfo=UTC), CheckStatus.DOWN)
        self.flip(datetime(2026, 5, 2, 3, 2, 40, 123, tzinfo=UTC), CheckStatus.UP)
        self.assertEqual(
            self.flips(),
            [
                {"timestamp": "2026-05-02T03:02:40+00:00", "up": 1},
                {"timestamp": "2026-05-02T01:11:09+00:00", "up": 0},
            ],
        )

    def test_only_a_flip_to_up_counts_as_up(self) -> None:
        statuses = [CheckStatus.NEW, CheckStatus.UP, CheckStatus.PAUSED, CheckStatus.DOWN]
        for i, status in enumerate(statuses):
            self.flip(NOW - DAY + i * SECOND, status)
        self.assertEqual([item["up"] for item in self.flips()], [0, 0, 1, 0])

    def test_both_key_kinds_see_the_same_flips(self) -> None:
        self.flip(NOW - SECOND)
        self.assertEqual(self.flips(key=self.read_key), self.flips(key=self.write_key))

    def test_it_lists_only_this_checks_flips(self) -> None:
        other = Check.objects.create(project=self.project)
        self.flip(NOW - SECOND, check=other)
        self.flip(NOW - 2 * SECOND)
        self.assertEqual(len(self.flips()), 1)

    def test_it_lists_every_flip_without_filters(self) -> None:
        for days in (1, 100, 400, 3000):
            self.flip(NOW - days * DAY)
        self.assertEqual(len(self.flips()), 4)

    def test_it_answers_in_every_api_version(self) -> None:
        self.flip(NOW - SECOND)
        for version in (1, 2, 3):
            with self.subTest(version=version):
                r = self.api_get(self.path(), version=version)
                self.assertEqual(len(self.json(r)["flips"]), 1)


class FlipsAddressingTestCase(FlipsTestCase):
    def test_an_unknown_uuid_is_404(self) -> None:
        self.assert_empty(self.api_get(f"checks/{uuid.uuid4()}/flips/"), 404)

    def test_a_check_of_another_project_is_403_for_both_key_kinds(self) -> None:
        other = Check.objects.create(project=self.charlies_project)
        for key in (self.write_key, self.read_key):
            with self.subTest(readonly=key == self.read_key):
                self.assert_empty(self.api_get(f"checks/{other.code}/flips/", key=key), 403)

    def test_the_unique_key_finds_the_check_with_both_key_kinds(self) -> None:
        Check.objects.create(project=self.project, name="Another")
        self.flip(NOW - SECOND)
        path = f"checks/{self.check.unique_key}/flips/"
        for key in (self.write_key, self.read_key):
            with self.subTest(readonly=key == self.read_key):
                r = self.api_get(path, key=key)
                self.assertEqual(len(self.json(r)["flips"]), 1)

    def test_the_unique_key_form_filters_too(self) -> None:
        self.flip(NOW - DAY)
        self.flip(NOW - SECOND)
        r = self.api_get(f"checks/{self.check.unique_key}/flips/?seconds=60")
        self.assertEqual(len(self.json(r)["flips"]), 1)
        r = self.api_get(f"checks/{self.check.unique_key}/flips/?seconds=x")
        self.assert_empty(r, 400)

    def test_a_unique_key_of_another_project_is_404(self) -> None:
        other = Check.objects.create(project=self.charlies_project)
        for key in (self.write_key, self.read_key):
            with self.subTest(readonly=key == self.read_key):
                r = self.api_get(f"checks/{other.unique_key}/flips/", key=key)
                self.assert_empty(r, 404)

    def test_an_unknown_unique_key_is_404(self) -> None:
        self.assert_empty(self.api_get(f"checks/{'0' * 40}/flips/"), 404)

    def test_an_uppercase_unique_key_is_404(self) -> None:
        r = self.api_get(f"checks/{self.check.unique_key.upper()}/flips/")
        self.assert_empty(r, 404)

    def test_a_missing_trailing_slash_redirects(self) -> None:
        for ident in (str(self.check.code), self.check.unique_key):
            with self.subTest(ident=ident):
                r = self.api_get(f"checks/{ident}/flips")
                self.assertEqual(r.status_code, 301)
                self.assertEqual(r["Location"], f"/api/v3/checks/{ident}/flips/")

    def test_the_check_is_looked_up_before_the_parameters(self) -> None:
        other = Check.objects.create(project=self.charlies_project)
        self.assert_empty(self.api_get(f"checks/{uuid.uuid4()}/flips/?seconds=-1"), 404)
        self.assert_empty(self.api_get(f"checks/{other.code}/flips/?seconds=-1"), 403)
        self.assert_empty(self.api_get(f"checks/{other.unique_key}/flips/?seconds=-1"), 404)


class FlipsFilterTestCase(FlipsTestCase):
    def test_seconds_keeps_flips_of_the_last_seconds_inclusive(self) -> None:
        self.flip(NOW - 60 * SECOND - MICROSECOND)
        self.flip(NOW - 60 * SECOND)
        self.flip(NOW - SECOND)
        self.assertEqual(len(self.flips("?seconds=60")), 2)

    def test_seconds_zero_means_no_filter(self) -> None:
        self.flip(NOW - 1000 * DAY)
        self.assertEqual(len(self.flips("?seconds=0")), 1)

    def test_seconds_may_be_a_whole_year(self) -> None:
        self.flip(NOW - 365 * DAY)
        self.flip(NOW - 366 * DAY)
        self.assertEqual(len(self.flips("?seconds=31536000")), 1)

    def test_start_keeps_flips_at_or_after_it(self) -> None:
        start = NOW - DAY
        self.flip(start - SECOND)
        self.flip(start)
        self.flip(start + SECOND)
        self.assertEqual(len(self.flips(f"?start={ts(start)}")), 2)

    def test_start_zero_keeps_everything(self) -> None:
        self.flip(NOW - 1000 * DAY)
        self.assertEqual(len(self.flips("?start=0")), 1)

    def test_end_keeps_flips_strictly_before_it(self) -> None:
        end = NOW - DAY
        self.flip(end - SECOND)
        self.flip(end - MICROSECOND)
        self.flip(end)
        self.assertEqual(len(self.flips(f"?end={ts(end)}")), 2)

    def test_end_zero_gives_an_empty_list(self) -> None:
        self.flip(NOW - SECOND)
        self.assertEqual(self.flips("?end=0"), [])

    def test_the_largest_start_and_end_are_accepted(self) -> None:
        self.flip(NOW - SECOND)
        self.assertEqual(self.flips("?start=10000000000"), [])
        self.assertEqual(len(self.flips("?end=10000000000")), 1)

    def test_filters_combine(self) -> None:
        for hours in range(1, 11):
            self.flip(NOW - hours * timedelta(hours=1))
        start = ts(NOW - timedelta(hours=8))
        end = ts(NOW - timedelta(hours=3))
        # Hours 8 to 4 are in [start, end); seconds cuts it to hours 6 to 4.
        expected = [(NOW - h * timedelta(hours=1)).isoformat() for h in (4, 5, 6)]
        self.assertEqual(self.timestamps(f"?start={start}&end={end}&seconds=21600"), expected)

    def test_an_empty_value_means_not_given(self) -> None:
        self.flip(NOW - DAY)
        self.assertEqual(len(self.flips("?seconds=&start=&end=")), 1)

    def test_leading_zeros_are_allowed(self) -> None:
        self.flip(NOW - DAY)
        self.flip(NOW - SECOND)
        self.assertEqual(len(self.flips("?seconds=00060")), 1)

    def test_other_parameters_are_ignored(self) -> None:
        self.flip(NOW - DAY)
        self.assertEqual(len(self.flips("?limit=-1&foo=bar")), 1)

    def test_the_last_of_repeated_values_counts(self) -> None:
        self.flip(NOW - DAY)
        self.assertEqual(len(self.flips("?seconds=60&seconds=0")), 1)
        self.assertEqual(self.flips("?seconds=0&seconds=60"), [])

    def test_invalid_values_are_400_with_an_empty_body(self) -> None:
        bad = [
            "-5",
            "-0",
            "+5",
            "1.5",
            "5.0",
            "1e3",
            "0x10",
            "abc",
            "%205",
            "5%20",
            "\u0663",
            "9" * 5000,
        ]
        for param in ("seconds", "start", "end"):
            for value in bad:
                with self.subTest(param=param, value=value):
                    r = self.api_get(f"{self.path()}?{param}={value}")
                    self.assert_empty(r, 400)
                    self.assertEqual(r["Access-Control-Allow-Origin"], "*")

    def test_out_of_range_values_are_400(self) -> None:
        for query in ("seconds=31536001", "start=10000000001", "end=10000000001"):
            with self.subTest(query=query):
                self.assert_empty(self.api_get(f"{self.path()}?{query}"), 400)

    def test_one_invalid_value_fails_the_whole_query(self) -> None:
        self.assert_empty(self.api_get(f"{self.path()}?seconds=60&start=-1"), 400)

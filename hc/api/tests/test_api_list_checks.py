"""GET /api/vN/checks/ (management-api §6.1, the check object §5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import time_machine
from django.test import override_settings

from hc.api.models import Channel, ChannelKind, Check, CheckKind, CheckStatus
from hc.api.tests.api_checks_helpers import (
    FULL_FIELDS,
    RW_ONLY_FIELDS,
    VERSIONS,
    ChecksApiTestCase,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

NOW = datetime(2026, 5, 2, 12, 0, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class ListChecksTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.a1 = Check.objects.create(
            project=self.project,
            name="Alice 1",
            slug="alice-1",
            tags="prod db",
            timeout=timedelta(seconds=3600),
            grace=timedelta(seconds=900),
            created=NOW - timedelta(days=2),
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(minutes=30, microseconds=123456),
            n_pings=7,
        )
        self.a2 = Check.objects.create(
            project=self.project,
            name="Alice 2",
            slug="alice-2",
            tags="prod",
            kind=CheckKind.CRON,
            schedule="0 3 * * *",
            tz="Europe/Berlin",
            created=NOW - timedelta(days=1),
        )
        self.c1 = Check.objects.create(project=self.charlies_project, name="Charlie 1", tags="prod")

    def names(self, response: TestResponse) -> list[str]:
        return [c["name"] for c in self.json(response)["checks"]]

    def test_it_lists_the_projects_checks_in_creation_order(self) -> None:
        r = self.get("checks/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.names(r), ["Alice 1", "Alice 2"])

    def test_it_orders_by_creation_time_not_by_id(self) -> None:
        Check.objects.create(project=self.project, name="Oldest", created=NOW - timedelta(days=9))
        self.assertEqual(self.names(self.get("checks/")), ["Oldest", "Alice 1", "Alice 2"])

    def test_it_answers_in_every_version(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                r = self.get("checks/", version=version)
                self.assertEqual(self.names(r), ["Alice 1", "Alice 2"])
                first = self.json(r)["checks"][0]
                self.assertIn(f"/api/v{version}/checks/{self.a1.code}", first["update_url"])

    def test_a_simple_check_has_exactly_the_upstream_members_in_order(self) -> None:
        first = self.json(self.get("checks/"))["checks"][0]
        self.assertEqual(list(first), FULL_FIELDS)

    def test_it_serialises_every_member(self) -> None:
        first = self.json(self.get("checks/"))["checks"][0]
        url = f"http://localhost:8000/api/v3/checks/{self.a1.code}"
        self.assertEqual(
            first,
            {
                "name": "Alice 1",
                "slug": "alice-1",
                "tags": "prod db",
                "desc": "",
                "grace": 900,
                "n_pings": 7,
                "status": "up",
                "started": False,
                "last_ping": "2026-05-02T11:29:59+00:00",
                "next_ping": "2026-05-02T12:29:59+00:00",
                "manual_resume": False,
                "methods": "",
                "subject": "",
                "subject_fail": "",
                "start_kw": "",
                "success_kw": "",
                "failure_kw": "",
                "filter_subject": False,
                "filter_body": False,
                "filter_http_body": False,
                "filter_default_fail": False,
                "badge_url": f"http://localhost:8000/b/2/{self.a1.badge_key}.svg",
                "uuid": str(self.a1.code),
                "ping_url": f"http://localhost:8000/ping/{self.a1.code}",
                "update_url": url,
                "pause_url": url + "/pause",
                "resume_url": url + "/resume",
                "channels": "",
                "timeout": 3600,
            },
        )

    def test_a_cron_check_shows_schedule_and_tz_instead_of_timeout(self) -> None:
        second = self.json(self.get("checks/"))["checks"][1]
        self.assertNotIn("timeout", second)
        self.assertEqual(list(second)[-2:], ["schedule", "tz"])
        self.assertEqual(second["schedule"], "0 3 * * *")
        self.assertEqual(second["tz"], "Europe/Berlin")

    def test_the_read_only_view_hides_the_uuid(self) -> None:
        r = self.get("checks/", key=self.read_key)
        self.assertEqual(r.status_code, 200)
        self.assertNotIn(str(self.a1.code), r.content.decode())
        self.assertNotIn(str(self.a2.code), r.content.decode())
        first = self.json(r)["checks"][0]
        expected = [f for f in FULL_FIELDS if f not in RW_ONLY_FIELDS]
        expected.insert(expected.index("timeout"), "unique_key")
        self.assertEqual(list(first), expected)
        self.assertEqual(first["unique_key"], self.a1.unique_key)

    def test_the_read_only_view_is_the_same_in_every_version(self) -> None:
        bodies = [self.json(self.get("checks/", self.read_key, v)) for v in VERSIONS]
        self.assertEqual(bodies[0], bodies[1])
        self.assertEqual(bodies[1], bodies[2])

    def test_it_lists_channels_sorted_as_strings(self) -> None:
        codes = sorted(
            str(Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL, name=n).code)
            for n in ("b", "a", "c")
        )
        for channel in Channel.objects.all():
            channel.checks.add(self.a1)
        first = self.json(self.get("checks/"))["checks"][0]
        self.assertEqual(first["channels"], ",".join(codes))

    def test_it_needs_a_constant_number_of_queries(self) -> None:
        channel = Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL)
        for i in range(5):
            check = Check.objects.create(project=self.project, name=f"More {i}")
            channel.checks.add(check)
        # Key lookup, the checks, their channels.
        with self.assertNumQueries(3):
            r = self.get("checks/")
        self.assertEqual(len(self.json(r)["checks"]), 7)

    def test_it_filters_by_one_tag(self) -> None:
        self.assertEqual(self.names(self.get("checks/?tag=db")), ["Alice 1"])
        self.assertEqual(self.names(self.get("checks/?tag=prod")), ["Alice 1", "Alice 2"])

    def test_every_given_tag_must_match(self) -> None:
        self.assertEqual(self.names(self.get("checks/?tag=prod&tag=db")), ["Alice 1"])
        self.assertEqual(self.names(self.get("checks/?tag=db&tag=other")), [])

    def test_duplicate_tags_are_ignored(self) -> None:
        self.assertEqual(self.names(self.get("checks/?tag=db&tag=db")), ["Alice 1"])

    def test_tags_match_whole_tokens_only(self) -> None:
        self.assertEqual(self.names(self.get("checks/?tag=pro")), [])
        self.assertEqual(self.names(self.get("checks/?tag=Prod")), [])

    def test_an_empty_tag_matches_nothing(self) -> None:
        self.assertEqual(self.names(self.get("checks/?tag=")), [])

    def test_tags_survive_extra_spaces(self) -> None:
        Check.objects.create(project=self.project, name="Spaced", tags="  x   y ")
        self.assertEqual(self.names(self.get("checks/?tag=y")), ["Spaced"])

    def test_it_filters_by_slug(self) -> None:
        self.assertEqual(self.names(self.get("checks/?slug=alice-2")), ["Alice 2"])

    def test_several_checks_may_match_a_slug(self) -> None:
        Check.objects.create(project=self.project, name="Twin", slug="alice-2")
        self.assertEqual(self.names(self.get("checks/?slug=alice-2")), ["Alice 2", "Twin"])

    def test_the_slug_filter_is_case_sensitive(self) -> None:
        Check.objects.create(project=self.project, name="Upper", slug="ALICE-2")
        self.assertEqual(self.names(self.get("checks/?slug=ALICE-2")), ["Upper"])

    def test_an_empty_slug_is_no_filter(self) -> None:
        self.assertEqual(self.names(self.get("checks/?slug=")), ["Alice 1", "Alice 2"])

    def test_a_slug_with_a_nul_character_matches_nothing(self) -> None:
        self.assertEqual(self.names(self.get("checks/?slug=a%00b")), [])

    def test_tag_and_slug_filters_combine(self) -> None:
        self.assertEqual(self.names(self.get("checks/?slug=alice-2&tag=db")), [])
        self.assertEqual(self.names(self.get("checks/?slug=alice-2&tag=prod")), ["Alice 2"])

    def test_unknown_parameters_are_ignored(self) -> None:
        self.assertEqual(self.names(self.get("checks/?foo=bar")), ["Alice 1", "Alice 2"])

    def test_no_match_gives_an_empty_list(self) -> None:
        r = self.get("checks/?slug=nothing")
        self.assertEqual(self.json(r), {"checks": []})

    def test_it_lists_only_the_keys_project(self) -> None:
        self.assertEqual(self.names(self.get("checks/", key=self.charlies_key)), ["Charlie 1"])

    def test_a_project_without_checks_gets_an_empty_list(self) -> None:
        Check.objects.filter(project=self.charlies_project).delete()
        self.assertEqual(self.json(self.get("checks/", key=self.charlies_key)), {"checks": []})

    @override_settings(
        SITE_ROOT="https://hc.example.org", PING_ENDPOINT="https://ping.example.org/"
    )
    def test_urls_follow_the_site_settings(self) -> None:
        first = self.json(self.get("checks/", version=1))["checks"][0]
        self.assertEqual(first["ping_url"], f"https://ping.example.org/{self.a1.code}")
        self.assertEqual(
            first["update_url"], f"https://hc.example.org/api/v1/checks/{self.a1.code}"
        )
        self.assertEqual(first["badge_url"], f"https://hc.example.org/b/2/{self.a1.badge_key}.svg")

    def test_it_reports_running_checks_per_version(self) -> None:
        Check.objects.filter(id=self.a1.id).update(last_start=NOW - timedelta(minutes=1))
        expected = {1: "started", 2: "up", 3: "up"}
        for version in VERSIONS:
            with self.subTest(version=version):
                first = self.json(self.get("checks/", version=version))["checks"][0]
                self.assertEqual(first["status"], expected[version])
                self.assertTrue(first["started"])
                self.assertEqual(first["next_ping"], "2026-05-02T11:59:00+00:00")

    def test_the_read_only_view_reports_v1_started_too(self) -> None:
        Check.objects.filter(id=self.a1.id).update(last_start=NOW - timedelta(minutes=1))
        first = self.json(self.get("checks/", key=self.read_key, version=1))["checks"][0]
        self.assertEqual(first["status"], "started")

    def test_post_with_a_read_only_key_is_rejected(self) -> None:
        self.assert_error(self.post("checks/", {}, key=self.read_key), 401, "wrong api key")

"""GET /api/vN/checks/<uuid> and checks/<unique_key> (management-api §5, §6.2)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine

from hc.api.models import Channel, ChannelKind, Check, CheckKind, CheckStatus
from hc.api.tests.api_checks_helpers import (
    FULL_FIELDS,
    RW_ONLY_FIELDS,
    VERSIONS,
    ChecksApiTestCase,
)

NOW = datetime(2026, 5, 2, 12, 0, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class GetCheckTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(
            project=self.project,
            name="Postgres dump",
            slug="pg-dump",
            timeout=timedelta(hours=1),
            grace=timedelta(minutes=15),
        )
        self.path = f"checks/{self.check.code}"

    def data(
        self, path: str | None = None, key: str | None = None, version: int = 3
    ) -> dict[str, Any]:
        r = self.get(path or self.path, key=key, version=version)
        self.assertEqual(r.status_code, 200)
        data: dict[str, Any] = self.json(r)
        return data

    def set(self, **fields: object) -> None:
        Check.objects.filter(id=self.check.id).update(**fields)

    def test_it_returns_the_check(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                data = self.data(version=version)
                self.assertEqual(list(data), FULL_FIELDS)
                self.assertEqual(data["name"], "Postgres dump")
                self.assertEqual(data["uuid"], str(self.check.code))
                self.assertTrue(data["update_url"].endswith(f"/api/v{version}/{self.path}"))

    def test_a_new_check_is_new_with_no_dates(self) -> None:
        data = self.data()
        self.assertEqual(data["status"], "new")
        self.assertFalse(data["started"])
        self.assertIsNone(data["last_ping"])
        self.assertIsNone(data["next_ping"])

    def test_the_read_only_key_gets_the_read_only_view(self) -> None:
        r = self.get(self.path, key=self.read_key)
        self.assertNotIn(str(self.check.code), r.content.decode())
        data = self.json(r)
        self.assertFalse(RW_ONLY_FIELDS & set(data))
        self.assertEqual(data["unique_key"], self.check.unique_key)

    def test_an_unknown_uuid_is_404(self) -> None:
        self.assert_empty(self.get(f"checks/{uuid.uuid4()}"), 404)
        self.assert_empty(self.get(f"checks/{uuid.uuid4()}", key=self.read_key), 404)

    def test_another_projects_check_is_403(self) -> None:
        other = Check.objects.create(project=self.charlies_project)
        for key in (self.write_key, self.read_key):
            with self.subTest(readonly=key == self.read_key):
                self.assert_empty(self.get(f"checks/{other.code}", key=key), 403)

    def test_an_uppercase_uuid_does_not_match(self) -> None:
        self.assertEqual(self.get(f"checks/{str(self.check.code).upper()}").status_code, 404)

    def test_a_trailing_slash_does_not_match(self) -> None:
        self.assertEqual(self.get(self.path + "/").status_code, 404)

    def test_it_needs_a_key(self) -> None:
        r = self.client.get(f"/api/v3/{self.path}")
        self.assert_error(r, 401, "missing api key")
        self.assert_cors(r, ("GET", "POST", "DELETE"))

    def test_it_finds_the_check_by_unique_key(self) -> None:
        for key in (self.write_key, self.read_key):
            with self.subTest(readonly=key == self.read_key):
                data = self.data(f"checks/{self.check.unique_key}", key=key)
                self.assertEqual(data["name"], "Postgres dump")
                self.assertEqual("uuid" in data, key == self.write_key)
                self.assertEqual("unique_key" in data, key == self.read_key)

    def test_the_unique_key_is_the_sha1_of_half_the_uuid(self) -> None:
        code = uuid.UUID("5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278")
        Check.objects.create(project=self.project, code=code, name="Example")
        data = self.data("checks/a386880ceaf12bb4ae2ccdfe62cc8ceb0ff07343", key=self.read_key)
        self.assertEqual(data["name"], "Example")
        self.assertEqual(data["unique_key"], "a386880ceaf12bb4ae2ccdfe62cc8ceb0ff07343")

    def test_an_unknown_unique_key_is_404(self) -> None:
        self.assert_empty(self.get("checks/" + "0" * 40), 404)

    def test_an_uppercase_unique_key_is_404(self) -> None:
        self.assert_empty(self.get(f"checks/{self.check.unique_key.upper()}"), 404)

    def test_another_projects_unique_key_is_404(self) -> None:
        other = Check.objects.create(project=self.charlies_project)
        self.assert_empty(self.get(f"checks/{other.unique_key}"), 404)
        self.assert_empty(self.get(f"checks/{other.unique_key}", key=self.read_key), 404)

    def test_a_unique_key_url_allows_only_get(self) -> None:
        path = f"checks/{self.check.unique_key}"
        r = self.post(path, {"name": "x"})
        self.assert_empty(r, 405)
        self.assert_cors(r, ("GET",))
        self.assert_empty(self.delete(path), 405)
        self.assertEqual(self.reload(self.check).name, "Postgres dump")

    def test_it_shows_channels_of_the_check(self) -> None:
        channel = Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL)
        channel.checks.add(self.check)
        Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL)
        self.assertEqual(self.data()["channels"], str(channel.code))

    def test_legacy_subject_members_mirror_keywords_when_filtering_subjects(self) -> None:
        self.set(success_kw="OK", failure_kw="FAIL", filter_subject=True)
        data = self.data()
        self.assertEqual((data["subject"], data["subject_fail"]), ("OK", "FAIL"))
        self.set(filter_subject=False)
        data = self.data()
        self.assertEqual((data["subject"], data["subject_fail"]), ("", ""))
        self.assertEqual((data["success_kw"], data["failure_kw"]), ("OK", "FAIL"))

    def test_the_ping_url_is_always_the_uuid_form(self) -> None:
        self.project.show_slugs = True
        self.project.save()
        self.assertEqual(self.data()["ping_url"], f"http://localhost:8000/ping/{self.check.code}")

    def test_last_duration_is_shown_in_whole_seconds(self) -> None:
        self.set(last_duration=timedelta(seconds=74, microseconds=900000))
        data = self.data()
        self.assertEqual(data["last_duration"], 74)
        self.assertEqual(list(data).index("last_duration"), FULL_FIELDS.index("badge_url") + 1)

    def test_a_zero_or_missing_duration_is_not_shown(self) -> None:
        self.assertNotIn("last_duration", self.data())
        self.set(last_duration=timedelta())
        self.assertNotIn("last_duration", self.data())

    def test_a_duration_of_72_hours_or_more_is_not_shown(self) -> None:
        self.set(last_duration=timedelta(hours=72))
        self.assertNotIn("last_duration", self.data())

    def test_a_cron_check_has_schedule_and_tz(self) -> None:
        self.set(kind=CheckKind.ONCALENDAR, schedule="Mon..Fri 09:00", tz="Europe/Riga")
        data = self.data()
        self.assertNotIn("timeout", data)
        self.assertEqual((data["schedule"], data["tz"]), ("Mon..Fri 09:00", "Europe/Riga"))


@time_machine.travel(NOW, tick=False)
class StatusTestCase(ChecksApiTestCase):
    """The reported status and next_ping (§5.3, §5.4)."""

    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(
            project=self.project, timeout=timedelta(hours=1), grace=timedelta(minutes=10)
        )

    def report(self, version: int = 3, **fields: Any) -> tuple[str, str | None]:
        Check.objects.filter(id=self.check.id).update(**fields)
        data = self.json(self.get(f"checks/{self.check.code}", version=version))
        return data["status"], data["next_ping"]

    def test_an_up_check_expects_the_next_ping_a_period_later(self) -> None:
        last_ping = NOW - timedelta(minutes=59, seconds=59)
        self.assertEqual(
            self.report(status=CheckStatus.UP, last_ping=last_ping),
            ("up", "2026-05-02T12:00:01+00:00"),
        )

    def test_a_check_past_its_period_is_in_grace(self) -> None:
        status, _ = self.report(status=CheckStatus.UP, last_ping=NOW - timedelta(hours=1))
        self.assertEqual(status, "grace")

    def test_a_check_past_period_and_grace_is_down_before_it_is_flipped(self) -> None:
        last_ping = NOW - timedelta(hours=1, minutes=10)
        self.assertEqual(
            self.report(status=CheckStatus.UP, last_ping=last_ping),
            ("down", "2026-05-02T11:50:00+00:00"),
        )

    def test_a_stored_down_check_has_no_next_ping(self) -> None:
        self.assertEqual(
            self.report(status=CheckStatus.DOWN, last_ping=NOW - timedelta(days=1)),
            ("down", None),
        )

    def test_a_paused_check_has_no_next_ping(self) -> None:
        last_ping = NOW - timedelta(days=1)
        self.assertEqual(
            self.report(status=CheckStatus.PAUSED, last_ping=last_ping), ("paused", None)
        )

    def test_a_running_job_is_started_in_v1_only(self) -> None:
        start = NOW - timedelta(minutes=5)
        for version, status in ((1, "started"), (2, "new"), (3, "new")):
            with self.subTest(version=version):
                self.assertEqual(
                    self.report(version, last_start=start),
                    (status, "2026-05-02T11:55:00+00:00"),
                )

    def test_a_running_paused_check_reports_the_start_as_next_ping(self) -> None:
        start = NOW - timedelta(minutes=5)
        self.assertEqual(
            self.report(status=CheckStatus.PAUSED, last_start=start),
            ("paused", "2026-05-02T11:55:00+00:00"),
        )

    def test_next_ping_is_the_earlier_of_deadline_and_start(self) -> None:
        # The period ends in 5 minutes, the run started 1 minute ago.
        fields: dict[str, Any] = {
            "status": CheckStatus.UP,
            "last_ping": NOW - timedelta(minutes=55),
            "last_start": NOW - timedelta(minutes=1),
        }
        self.assertEqual(self.report(**fields), ("up", "2026-05-02T11:59:00+00:00"))
        fields["last_start"] = NOW - timedelta(seconds=10)
        fields["last_ping"] = NOW - timedelta(minutes=59, seconds=50)
        self.assertEqual(self.report(**fields), ("up", "2026-05-02T11:59:50+00:00"))

    def test_a_run_longer_than_grace_is_down_in_every_version(self) -> None:
        start = NOW - timedelta(minutes=10)
        for version in VERSIONS:
            with self.subTest(version=version):
                status, _ = self.report(version, status=CheckStatus.UP, last_start=start)
                self.assertEqual(status, "down")

    def test_a_down_check_that_is_running_shows_started_in_v1(self) -> None:
        start = NOW - timedelta(minutes=1)
        self.assertEqual(
            self.report(1, status=CheckStatus.DOWN, last_start=start), ("started", None)
        )
        self.assertEqual(self.report(3, status=CheckStatus.DOWN, last_start=start), ("down", None))

    def test_a_cron_check_expects_the_next_run_in_its_zone(self) -> None:
        fields: dict[str, Any] = {
            "kind": CheckKind.CRON,
            "schedule": "30 15 * * *",
            "tz": "Europe/Riga",  # UTC+3 in May
            "status": CheckStatus.UP,
            "last_ping": NOW - timedelta(hours=1),
        }
        self.assertEqual(self.report(**fields), ("up", "2026-05-02T12:30:00+00:00"))

    def test_an_exhausted_oncalendar_schedule_stays_up(self) -> None:
        fields: dict[str, Any] = {
            "kind": CheckKind.ONCALENDAR,
            "schedule": "2019-01-01",
            "status": CheckStatus.UP,
            "last_ping": NOW - timedelta(days=400),
        }
        self.assertEqual(self.report(**fields), ("up", None))

"""POST /api/vN/checks/<uuid> (management-api §6.4)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hc.api.models import Channel, ChannelKind, Check, CheckKind, CheckStatus, Flip
from hc.api.tests.api_checks_helpers import VERSIONS, ChecksApiTestCase

NOW = datetime(2026, 5, 2, 12, 0, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class UpdateCheckTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(
            project=self.project,
            name="Backup",
            slug="backup",
            tags="prod",
            desc="Nightly",
            timeout=timedelta(hours=1),
            grace=timedelta(minutes=5),
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(minutes=30),
            n_pings=3,
        )
        self.check.alert_after = self.check.going_down_after()
        self.check.save()
        self.path = f"checks/{self.check.code}"

    def update(self, body: Any, version: int = 3, status: int = 200) -> dict[str, Any]:
        r = self.post(self.path, body, version=version)
        self.assertEqual(r.status_code, status, r.content)
        data: dict[str, Any] = self.json(r)
        return data

    def test_it_changes_only_the_given_fields(self) -> None:
        data = self.update({"desc": "Weekly", "grace": 600})
        self.assertEqual((data["desc"], data["grace"]), ("Weekly", 600))
        self.assertEqual((data["name"], data["slug"], data["tags"]), ("Backup", "backup", "prod"))
        check = self.reload(self.check)
        self.assertEqual(check.desc, "Weekly")
        self.assertEqual(check.grace, timedelta(minutes=10))
        self.assertEqual(check.timeout, timedelta(hours=1))

    def test_an_empty_object_is_a_no_op(self) -> None:
        bodies: list[dict[str, Any] | None] = [{}, None]
        for body in bodies:
            with self.subTest(body=body):
                data = self.update(body)
                self.assertEqual(data["name"], "Backup")
                self.assertEqual(data["uuid"], str(self.check.code))

    def test_it_writes_only_the_supplied_columns(self) -> None:
        with CaptureQueriesContext(connection) as ctx:
            self.update({"desc": "Weekly"})
        updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
        self.assertEqual(len(updates), 1)
        set_clause = updates[0].split(" WHERE ")[0]
        self.assertIn("desc", set_clause)
        for column in ("name", "tags", "timeout", "status", "last_ping", "n_pings"):
            self.assertNotIn(f"{connection.ops.quote_name(column)} =", set_clause)

    def test_status_and_ping_data_never_change(self) -> None:
        before = self.reload(self.check)
        self.update({"name": "x", "timeout": 7200, "schedule": "0 * * * *", "tz": "Europe/Riga"})
        after = self.reload(self.check)
        for field in ("status", "last_ping", "last_start", "n_pings", "code", "badge_key"):
            self.assertEqual(getattr(after, field), getattr(before, field), field)
        self.assertFalse(Flip.objects.exists())

    def test_every_version_answers_with_its_own_urls(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                data = self.update({}, version=version)
                self.assertIn(f"/api/v{version}/{self.path}", data["update_url"])

    def test_v1_and_v2_also_set_the_slug_from_the_name(self) -> None:
        for version in (1, 2):
            with self.subTest(version=version):
                self.assertEqual(
                    self.update({"name": f"Daily Job {version}"}, version)["slug"],
                    f"daily-job-{version}",
                )

    def test_v3_keeps_the_slug_when_the_name_changes(self) -> None:
        data = self.update({"name": "Daily Job"})
        self.assertEqual((data["name"], data["slug"]), ("Daily Job", "backup"))

    def test_an_explicit_slug_wins_in_every_version(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                self.assertEqual(self.update({"name": "A B", "slug": "c"}, version)["slug"], "c")

    def test_a_schedule_makes_it_a_cron_check_and_keeps_the_timeout(self) -> None:
        data = self.update({"schedule": "0 3 * * *"})
        self.assertEqual(data["schedule"], "0 3 * * *")
        self.assertNotIn("timeout", data)
        check = self.reload(self.check)
        self.assertEqual(check.kind, CheckKind.CRON)
        self.assertEqual(check.timeout, timedelta(hours=1))

    def test_a_timeout_makes_a_cron_check_simple_and_keeps_the_schedule(self) -> None:
        Check.objects.filter(id=self.check.id).update(
            kind=CheckKind.CRON, schedule="0 3 * * *", tz="Europe/Riga"
        )
        data = self.update({"timeout": 120})
        self.assertEqual(data["timeout"], 120)
        self.assertNotIn("schedule", data)
        check = self.reload(self.check)
        self.assertEqual(
            (check.kind, check.schedule, check.tz), (CheckKind.SIMPLE, "0 3 * * *", "Europe/Riga")
        )

    def test_a_tz_alone_keeps_the_kind(self) -> None:
        self.update({"tz": "Europe/Kiev"})
        check = self.reload(self.check)
        self.assertEqual((check.kind, check.tz), (CheckKind.SIMPLE, "Europe/Kyiv"))

    def test_shortening_the_timeout_moves_the_deadline_at_once(self) -> None:
        self.update({"timeout": 600})
        check = self.reload(self.check)
        # Last ping 30 minutes ago: now past period and grace.
        self.assertEqual(check.alert_after, NOW - timedelta(minutes=15))
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(self.update({})["status"], "down")

    def test_a_grace_change_moves_the_deadline(self) -> None:
        self.update({"grace": 3600})
        self.assertEqual(self.reload(self.check).alert_after, NOW + timedelta(minutes=90))

    def test_a_schedule_change_moves_the_deadline_in_the_checks_zone(self) -> None:
        self.update({"schedule": "0 15 * * *", "tz": "Europe/Riga"})
        self.assertEqual(
            self.reload(self.check).alert_after, datetime(2026, 5, 2, 12, 5, tzinfo=UTC)
        )

    def test_legacy_subject_and_explicit_filter_subject(self) -> None:
        data = self.update({"subject": "SUCCESS", "filter_subject": False, "channels": ""})
        self.assertEqual((data["subject"], data["subject_fail"]), ("", ""))
        self.assertEqual(data["success_kw"], "SUCCESS")
        self.assertFalse(data["filter_subject"])

    def test_legacy_subject_fail_keeps_filtering_on_while_success_keywords_exist(self) -> None:
        self.update({"subject": "OK"})
        data = self.update({"subject_fail": ""})
        self.assertTrue(data["filter_subject"])
        self.assertEqual((data["subject"], data["subject_fail"]), ("OK", ""))
        data = self.update({"subject": ""})
        self.assertFalse(data["filter_subject"])

    def test_unique_is_ignored(self) -> None:
        Check.objects.create(project=self.project, name="Other")
        data = self.update({"name": "Other", "unique": ["name"]})
        self.assertEqual(data["uuid"], str(self.check.code))
        self.assertEqual(Check.objects.filter(name="Other").count(), 2)

    def test_unique_is_still_validated(self) -> None:
        r = self.post(self.path, {"unique": ["status"]})
        self.assert_error(r, 400, "json validation error: an item in 'unique' has unexpected value")

    def test_invalid_fields_change_nothing(self) -> None:
        r = self.post(self.path, {"name": "New", "timeout": 10})
        self.assert_error(r, 400, "json validation error: timeout is too small")
        self.assertEqual(self.reload(self.check).name, "Backup")

    def test_validation_errors_are_the_same_in_every_version(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                r = self.post(self.path, {"methods": "GET"}, version=version)
                self.assert_error(r, 400, "json validation error: methods has unexpected value")

    def test_it_rejects_bad_bodies(self) -> None:
        self.assert_error(self.post(self.path, "nope"), 400, "could not parse request body")
        self.assert_error(
            self.post(self.path, "[]"), 400, "json validation error: value is not an object"
        )

    def test_an_unknown_check_is_404(self) -> None:
        self.assert_empty(self.post(f"checks/{uuid.uuid4()}", {"name": "x"}), 404)

    def test_unknown_checks_are_404_before_validation(self) -> None:
        self.assert_empty(self.post(f"checks/{uuid.uuid4()}", {"timeout": 1}), 404)

    def test_another_projects_check_is_403_and_unchanged(self) -> None:
        other = Check.objects.create(project=self.charlies_project, name="Charlie's")
        self.assert_empty(self.post(f"checks/{other.code}", {"name": "Mine"}), 403)
        self.assert_empty(self.post(f"checks/{other.code}", {"timeout": 1}), 403)
        self.assertEqual(self.reload(other).name, "Charlie's")

    def test_body_errors_come_before_404(self) -> None:
        r = self.post(f"checks/{uuid.uuid4()}", "nope")
        self.assert_error(r, 400, "could not parse request body")

    def test_a_read_only_key_cannot_update(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                r = self.post(self.path, {"name": "x"}, key=self.read_key, version=version)
                self.assert_error(r, 401, "wrong api key")
        self.assertEqual(self.reload(self.check).name, "Backup")

    def test_a_missing_key_is_401(self) -> None:
        r = self.client.post(f"/api/v3/{self.path}", {"name": "x"}, "application/json")
        self.assert_error(r, 401, "missing api key")

    def test_updating_by_unique_key_is_not_allowed(self) -> None:
        self.assert_empty(self.post(f"checks/{self.check.unique_key}", {"name": "x"}), 405)

    def test_the_key_may_be_in_the_body(self) -> None:
        r = self.client.post(
            f"/api/v1/{self.path}", {"api_key": self.write_key, "tags": "x"}, "application/json"
        )
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.reload(self.check).tags, "x")


@time_machine.travel(NOW, tick=False)
class UpdateChannelsTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="Backup")
        self.email = Channel.objects.create(
            project=self.project, kind=ChannelKind.EMAIL, name="Mail"
        )
        self.slack = Channel.objects.create(
            project=self.project, kind=ChannelKind.SLACK, name="Chat"
        )
        self.email.checks.add(self.check)
        self.path = f"checks/{self.check.code}"

    def assigned(self) -> set[Channel]:
        return set(self.check.channel_set.all())

    def test_absent_channels_stay_as_they_are(self) -> None:
        self.post(self.path, {"name": "x"})
        self.assertEqual(self.assigned(), {self.email})

    def test_an_empty_string_detaches_every_channel(self) -> None:
        data = self.json(self.post(self.path, {"channels": ""}))
        self.assertEqual(data["channels"], "")
        self.assertEqual(self.assigned(), set())

    def test_a_star_attaches_every_channel(self) -> None:
        self.post(self.path, {"channels": "*"})
        self.assertEqual(self.assigned(), {self.email, self.slack})

    def test_a_list_replaces_the_assignment(self) -> None:
        data = self.json(self.post(self.path, {"channels": "Chat"}))
        self.assertEqual(data["channels"], str(self.slack.code))
        self.assertEqual(self.assigned(), {self.slack})

    def test_channel_errors_change_nothing(self) -> None:
        for channels, message in (
            ("Chat,", "empty channel identifier"),
            ("Chat,Nope", "invalid channel identifier: Nope"),
        ):
            with self.subTest(channels=channels):
                r = self.post(self.path, {"name": "New", "channels": channels})
                self.assert_error(r, 400, message)
                self.assertEqual(self.reload(self.check).name, "Backup")
                self.assertEqual(self.assigned(), {self.email})

    def test_an_ambiguous_channel_changes_nothing(self) -> None:
        Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL, name="Chat")
        r = self.post(self.path, {"tags": "x", "channels": "Chat"})
        self.assert_error(r, 400, "non-unique channel identifier: Chat")
        self.assertEqual(self.reload(self.check).tags, "")

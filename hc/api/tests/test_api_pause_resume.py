"""POST /api/vN/checks/<uuid>/pause and /resume (management-api §6.5, §6.6)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth.models import User

from hc.accounts.models import Profile
from hc.api.models import Check, CheckStatus, Flip
from hc.api.tests.api_checks_helpers import VERSIONS, ChecksApiTestCase

NOW = datetime(2026, 5, 2, 12, 0, 0, tzinfo=UTC)
LAST_PING = NOW - timedelta(minutes=30)


@time_machine.travel(NOW, tick=False)
class PauseTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(
            project=self.project,
            status=CheckStatus.UP,
            last_ping=LAST_PING,
            last_start=NOW - timedelta(minutes=1),
            timeout=timedelta(hours=1),
            alert_after=NOW + timedelta(minutes=59),
        )
        self.path = f"checks/{self.check.code}/pause"

    def test_it_pauses_the_check(self) -> None:
        r = self.post(self.path)
        self.assertEqual(r.status_code, 200)
        data = self.json(r)
        self.assertEqual(data["uuid"], str(self.check.code))
        self.assertEqual(data["status"], "paused")
        self.assertFalse(data["started"])
        self.assertIsNone(data["next_ping"])
        self.assertEqual(data["last_ping"], "2026-05-02T11:30:00+00:00")
        check = self.reload(self.check)
        self.assertEqual(check.status, CheckStatus.PAUSED)
        self.assertIsNone(check.last_start)
        self.assertIsNone(check.alert_after)
        self.assertEqual(check.last_ping, LAST_PING)

    def test_it_records_a_silent_flip(self) -> None:
        self.post(self.path)
        flip = Flip.objects.get()
        self.assertEqual((flip.old_status, flip.new_status), (CheckStatus.UP, CheckStatus.PAUSED))
        self.assertEqual(flip.created, NOW)
        self.assertEqual(flip.processed, NOW)

    def test_pausing_a_paused_check_changes_nothing(self) -> None:
        Check.objects.filter(id=self.check.id).update(status=CheckStatus.PAUSED)
        r = self.post(self.path)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.json(r)["status"], "paused")
        self.assertFalse(Flip.objects.exists())
        # Nothing changes, not even a running job.
        self.assertIsNotNone(self.reload(self.check).last_start)

    def test_it_pauses_a_down_check(self) -> None:
        Check.objects.filter(id=self.check.id).update(status=CheckStatus.DOWN)
        self.post(self.path)
        flip = Flip.objects.get()
        self.assertEqual(flip.old_status, CheckStatus.DOWN)

    def test_every_version_answers(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                data = self.json(self.post(self.path, version=version))
                self.assertEqual(data["status"], "paused")
                self.assertIn(f"/api/v{version}/", data["pause_url"])

    def test_the_body_may_be_empty_an_object_or_carry_the_key(self) -> None:
        for body in (None, {}, {"unknown": 1}):
            with self.subTest(body=body):
                self.assertEqual(self.post(self.path, body).status_code, 200)
        r = self.client.post(
            f"/api/v3/{self.path}", {"api_key": self.write_key}, "application/json"
        )
        self.assertEqual(r.status_code, 200)

    def test_an_empty_body_with_a_json_content_type_works(self) -> None:
        r = self.client.post(
            f"/api/v1/{self.path}",
            b"",
            content_type="application/json",
            headers={"X-Api-Key": self.write_key, "Content-Length": "0"},
        )
        self.assertEqual(r.status_code, 200)

    def test_bad_bodies_are_rejected(self) -> None:
        self.assert_error(self.post(self.path, "nope"), 400, "could not parse request body")
        self.assert_error(
            self.post(self.path, "[1]"), 400, "json validation error: value is not an object"
        )
        self.assertEqual(self.reload(self.check).status, CheckStatus.UP)

    def test_get_is_not_allowed(self) -> None:
        r = self.get(self.path)
        self.assert_empty(r, 405)
        self.assert_cors(r, ("POST",))

    def test_a_read_only_key_cannot_pause(self) -> None:
        self.assert_error(self.post(self.path, key=self.read_key), 401, "wrong api key")
        self.assertEqual(self.reload(self.check).status, CheckStatus.UP)

    def test_a_missing_key_is_401(self) -> None:
        r = self.client.post(f"/api/v3/{self.path}", "", "application/json")
        self.assert_error(r, 401, "missing api key")

    def test_an_unknown_check_is_404(self) -> None:
        self.assert_empty(self.post(f"checks/{uuid.uuid4()}/pause"), 404)

    def test_another_projects_check_is_403(self) -> None:
        other = Check.objects.create(project=self.charlies_project)
        self.assert_empty(self.post(f"checks/{other.code}/pause"), 403)
        self.assertEqual(self.reload(other).status, CheckStatus.NEW)

    def test_a_trailing_slash_is_404(self) -> None:
        self.assertEqual(self.post(self.path + "/").status_code, 404)

    def test_pausing_by_unique_key_does_not_exist(self) -> None:
        self.assertEqual(self.post(f"checks/{self.check.unique_key}/pause").status_code, 404)


@time_machine.travel(NOW, tick=False)
class PauseNagTestCase(ChecksApiTestCase):
    """A pause recomputes reminders for the project's people (monitoring §6.1)."""

    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, status=CheckStatus.DOWN)
        self.path = f"checks/{self.check.code}/pause"
        Profile.objects.filter(user__in=[self.alice, self.bob]).update(
            nag_period=timedelta(hours=1), next_nag_date=NOW + timedelta(minutes=10)
        )

    def nag_date(self, user: User) -> datetime | None:
        return Profile.objects.get(user=user).next_nag_date

    def test_reminders_stop_when_nothing_is_down_any_more(self) -> None:
        self.post(self.path)
        self.assertIsNone(self.nag_date(self.alice))
        self.assertIsNone(self.nag_date(self.bob))

    def test_reminders_continue_while_another_check_is_down(self) -> None:
        Check.objects.create(project=self.project, status=CheckStatus.DOWN)
        self.post(self.path)
        self.assertEqual(self.nag_date(self.alice), NOW + timedelta(minutes=10))

    def test_a_down_check_in_another_accessible_project_keeps_reminders(self) -> None:
        Check.objects.create(project=self.charlies_project, status=CheckStatus.DOWN)
        self.charlies_project.member_set.create(user=self.bob)
        self.post(self.path)
        self.assertIsNone(self.nag_date(self.alice))
        self.assertEqual(self.nag_date(self.bob), NOW + timedelta(minutes=10))

    def test_a_missing_reminder_is_scheduled_if_something_is_down(self) -> None:
        Check.objects.create(project=self.project, status=CheckStatus.DOWN)
        Profile.objects.filter(user=self.alice).update(next_nag_date=None)
        self.post(self.path)
        self.assertEqual(self.nag_date(self.alice), NOW + timedelta(hours=1))

    def test_people_without_reminders_are_left_alone(self) -> None:
        Profile.objects.filter(user=self.mike).update(next_nag_date=NOW)
        self.post(self.path)
        self.assertEqual(self.nag_date(self.mike), NOW)

    def test_outsiders_are_left_alone(self) -> None:
        Profile.objects.filter(user=self.charlie).update(
            nag_period=timedelta(hours=1), next_nag_date=NOW
        )
        self.post(self.path)
        self.assertEqual(self.nag_date(self.charlie), NOW)


@time_machine.travel(NOW, tick=False)
class ResumeTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(
            project=self.project,
            status=CheckStatus.PAUSED,
            last_ping=LAST_PING,
            last_start=NOW - timedelta(minutes=1),
            alert_after=NOW + timedelta(minutes=59),
        )
        self.path = f"checks/{self.check.code}/resume"

    def test_it_resumes_the_check_as_new(self) -> None:
        r = self.post(self.path)
        self.assertEqual(r.status_code, 200)
        data = self.json(r)
        self.assertEqual(data["status"], "new")
        self.assertIsNone(data["last_ping"])
        self.assertIsNone(data["next_ping"])
        self.assertFalse(data["started"])
        check = self.reload(self.check)
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertIsNone(check.last_ping)
        self.assertIsNone(check.last_start)
        self.assertIsNone(check.alert_after)

    def test_it_records_a_silent_flip(self) -> None:
        self.post(self.path)
        flip = Flip.objects.get()
        self.assertEqual((flip.old_status, flip.new_status), (CheckStatus.PAUSED, CheckStatus.NEW))
        self.assertEqual(flip.processed, NOW)

    def test_a_check_that_is_not_paused_is_409(self) -> None:
        for status in (CheckStatus.NEW, CheckStatus.UP, CheckStatus.DOWN):
            with self.subTest(status=status.value):
                Check.objects.filter(id=self.check.id).update(status=status)
                r = self.post(self.path)
                self.assert_text(r, 409, "check is not paused")
                self.assertTrue(r["Content-Type"].startswith("text/plain"))
                self.assert_cors(r, ("POST",))
        self.assertFalse(Flip.objects.exists())

    def test_resuming_twice_is_409_the_second_time(self) -> None:
        self.assertEqual(self.post(self.path).status_code, 200)
        self.assert_text(self.post(self.path), 409, "check is not paused")

    def test_every_version_answers(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                Check.objects.filter(id=self.check.id).update(status=CheckStatus.PAUSED)
                data = self.json(self.post(self.path, version=version))
                self.assertEqual(data["status"], "new")
                self.assertIn(f"/api/v{version}/", data["resume_url"])

    def test_bad_bodies_are_rejected(self) -> None:
        self.assert_error(self.post(self.path, "{"), 400, "could not parse request body")
        self.assert_error(
            self.post(self.path, '"x"'), 400, "json validation error: value is not an object"
        )
        self.assertEqual(self.reload(self.check).status, CheckStatus.PAUSED)

    def test_get_is_not_allowed(self) -> None:
        self.assert_empty(self.get(self.path), 405)

    def test_a_read_only_key_cannot_resume(self) -> None:
        self.assert_error(self.post(self.path, key=self.read_key), 401, "wrong api key")

    def test_an_unknown_check_is_404(self) -> None:
        self.assert_empty(self.post(f"checks/{uuid.uuid4()}/resume"), 404)

    def test_another_projects_check_is_403(self) -> None:
        other = Check.objects.create(project=self.charlies_project, status=CheckStatus.PAUSED)
        self.assert_empty(self.post(f"checks/{other.code}/resume"), 403)
        self.assertEqual(self.reload(other).status, CheckStatus.PAUSED)

    def test_a_paused_check_can_be_resumed_after_an_api_pause(self) -> None:
        Check.objects.filter(id=self.check.id).update(status=CheckStatus.UP)
        self.post(f"checks/{self.check.code}/pause")
        self.assertEqual(self.json(self.post(self.path))["status"], "new")
        self.assertEqual(Flip.objects.count(), 2)

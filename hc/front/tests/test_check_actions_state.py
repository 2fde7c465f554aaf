"""Pause, resume, clear events and remove, from the dashboard (web spec §6.2, §7.3, §7.6)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine

from hc.accounts.models import Profile
from hc.api.models import Channel, Check, CheckStatus, Flip, Notification, Ping
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class PauseTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(
            project=self.project,
            status=CheckStatus.DOWN,
            last_ping=NOW - timedelta(days=2),
            last_start=NOW - timedelta(minutes=5),
        )
        self.url = f"/checks/{self.check_.code}/pause/"
        self.client.force_login(self.bob)

    def test_it_pauses_and_redirects_to_the_details_page(self) -> None:
        response = self.client.post(self.url)
        self.assertRedirects(
            response, f"/checks/{self.check_.code}/details/", fetch_redirect_response=False
        )
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.status, CheckStatus.PAUSED)
        self.assertIsNone(self.check_.last_start)
        self.assertIsNone(self.check_.alert_after)
        flip = Flip.objects.get()
        self.assertEqual((flip.old_status, flip.new_status), ("down", "paused"))
        self.assertEqual(flip.processed, NOW)

    def test_ajax_requests_get_an_empty_200(self) -> None:
        response = self.client.post(self.url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"")
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.status, CheckStatus.PAUSED)

    def test_pausing_a_paused_check_changes_nothing(self) -> None:
        self.client.post(self.url)
        self.client.post(self.url)
        self.assertEqual(Flip.objects.count(), 1)

    def test_it_stops_reminders_when_nothing_is_down_any_more(self) -> None:
        Profile.objects.filter(user=self.alice).update(
            nag_period=timedelta(hours=1), next_nag_date=NOW + timedelta(minutes=30)
        )
        self.client.post(self.url)
        self.assertIsNone(Profile.objects.get(user=self.alice).next_nag_date)

    def test_read_only_members_cannot_pause(self) -> None:
        self.client.force_login(self.rose)
        self.assertEqual(self.client.post(self.url).status_code, 403)
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.status, CheckStatus.DOWN)

    def test_get_is_not_allowed(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 405)


@time_machine.travel(NOW, tick=False)
class ResumeTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(
            project=self.project, status=CheckStatus.PAUSED, last_ping=NOW - timedelta(days=1)
        )
        self.url = f"/checks/{self.check_.code}/resume/"
        self.client.force_login(self.alice)

    def test_it_resumes_as_new(self) -> None:
        response = self.client.post(self.url)
        self.assertRedirects(
            response, f"/checks/{self.check_.code}/details/", fetch_redirect_response=False
        )
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.status, CheckStatus.NEW)
        self.assertIsNone(self.check_.last_ping)
        self.assertIsNone(self.check_.alert_after)
        flip = Flip.objects.get()
        self.assertEqual((flip.old_status, flip.new_status), ("paused", "new"))
        self.assertIsNotNone(flip.processed)

    def test_only_a_paused_check_can_be_resumed(self) -> None:
        Check.objects.filter(id=self.check_.id).update(status=CheckStatus.UP)
        response = self.client.post(self.url)
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"not paused", response.content)
        self.assertFalse(Flip.objects.exists())


@time_machine.travel(NOW, tick=False)
class ClearEventsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(
            project=self.project,
            status=CheckStatus.UP,
            n_pings=12,
            last_ping=NOW - timedelta(minutes=3),
            last_start=NOW - timedelta(minutes=1),
            last_start_rid=uuid.uuid4(),
            last_duration=timedelta(seconds=30),
            has_confirmation_link=True,
            alert_after=NOW + timedelta(days=1),
        )
        channel = Channel.objects.create(project=self.project, kind="email")
        flip = Flip.objects.create(
            owner=self.check_, created=NOW, old_status="new", new_status="up"
        )
        Notification.objects.create(
            owner=self.check_, flip=flip, channel=channel, check_status="up"
        )
        Ping.objects.create(owner=self.check_, n=12, created=NOW)
        self.other = Check.objects.create(project=self.project)
        Ping.objects.create(owner=self.other, n=1, created=NOW)
        self.url = f"/checks/{self.check_.code}/clear_events/"
        self.client.force_login(self.alice)

    def test_it_forgets_the_history_but_keeps_the_ping_count(self) -> None:
        response = self.client.post(self.url)
        self.assertRedirects(
            response, f"/checks/{self.check_.code}/details/", fetch_redirect_response=False
        )
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.status, CheckStatus.NEW)
        self.assertEqual(self.check_.n_pings, 12)
        for name in ("last_ping", "last_start", "last_start_rid", "last_duration", "alert_after"):
            self.assertIsNone(getattr(self.check_, name), name)
        self.assertFalse(self.check_.has_confirmation_link)
        self.assertFalse(Ping.objects.filter(owner=self.check_).exists())
        self.assertFalse(Flip.objects.exists())
        self.assertFalse(Notification.objects.exists())
        # Other checks keep theirs.
        self.assertTrue(Ping.objects.filter(owner=self.other).exists())

    def test_read_only_members_cannot_clear(self) -> None:
        self.client.force_login(self.rose)
        self.assertEqual(self.client.post(self.url).status_code, 403)
        self.assertEqual(Ping.objects.filter(owner=self.check_).count(), 1)


class RemoveTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project)
        Ping.objects.create(owner=self.check_, n=1, created=NOW)
        self.url = f"/checks/{self.check_.code}/remove/"

    def test_it_removes_the_check_and_goes_to_the_checks_page(self) -> None:
        self.client.force_login(self.mike)
        response = self.client.post(self.url)
        self.assertRedirects(
            response, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )
        self.assertFalse(Check.objects.filter(id=self.check_.id).exists())
        self.assertFalse(Ping.objects.exists())

    def test_non_members_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertTrue(Check.objects.filter(id=self.check_.id).exists())

    def test_unknown_checks_get_404(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(f"/checks/{uuid.uuid4()}/remove/")
        self.assertEqual(response.status_code, 404)

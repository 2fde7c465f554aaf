"""/accounts/profile/notifications/: email reports and reminders (web spec §4.3)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

from hc.accounts.models import Profile, ReportFrequency
from hc.api.models import Check, CheckStatus
from hc.test import BaseTestCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

URL = "/accounts/profile/notifications/"
# A Wednesday.
NOW = datetime(2025, 1, 15, 12, tzinfo=UTC)
RIGA = ZoneInfo("Europe/Riga")


class NotificationsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)
        self.profile.tz = "Europe/Riga"
        self.profile.save()

    def save(self, reports: str = "monthly", nag_period: str = "0") -> TestResponse:
        with time_machine.travel(NOW, tick=False):
            return self.client.post(URL, {"reports": reports, "nag_period": nag_period})

    def assert_between_9_and_11_riga(self, when: datetime | None, day: str) -> None:
        assert when is not None
        local = when.astimezone(RIGA)
        self.assertEqual(local.date().isoformat(), day)
        self.assertTrue(time(9) <= local.time() < time(11), local)

    def test_it_requires_login(self) -> None:
        self.client.logout()
        r = self.client.get(URL)
        self.assertRedirects(r, f"/accounts/login/?next={URL}", fetch_redirect_response=False)

    def test_it_shows_the_current_choices(self) -> None:
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "<title>Email Reports - ")
        self.assertContains(
            r, 'aria-current="page" href="/accounts/profile/notifications/">Email Reports</a>'
        )
        # New users get monthly reports and no reminders.
        self.assertContains(r, 'id="reports-monthly" value="monthly" checked>')
        self.assertContains(r, 'id="nag-off" value="0" checked>')
        self.assertContains(r, "<strong>Weekly</strong> on Mondays")
        self.assertContains(r, "Remind me <strong>hourly</strong>")
        self.assertContains(r, "sent to alice@example.org")
        # Not scheduled yet: no date in the note.
        self.assertNotContains(r, "is scheduled for")

    def test_it_shows_the_next_report_date_in_the_users_zone(self) -> None:
        self.profile.next_report_date = datetime(2025, 2, 28, 23, 30, tzinfo=UTC)
        self.profile.save()
        r = self.client.get(URL)
        self.assertContains(r, "Your next monthly report is scheduled for March 1, 2025.")

    def test_it_saves_weekly_reports(self) -> None:
        r = self.save(reports="weekly")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, '<section class="panel panel-success" id="reports-panel"')
        self.assertContains(r, "Your email report settings have been saved.")
        self.assertContains(r, 'id="reports-weekly" value="weekly" checked>')
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.reports, ReportFrequency.WEEKLY)
        # The next Monday, 09:00-11:00 in the user's zone.
        self.assert_between_9_and_11_riga(self.profile.next_report_date, "2025-01-20")
        self.assertContains(r, "Your next weekly report is scheduled for January 20, 2025.")

    def test_it_schedules_daily_and_monthly_reports(self) -> None:
        for reports, day in (("daily", "2025-01-16"), ("monthly", "2025-02-01")):
            with self.subTest(reports=reports):
                self.save(reports=reports)
                self.profile.refresh_from_db()
                self.assertEqual(self.profile.reports, reports)
                self.assert_between_9_and_11_riga(self.profile.next_report_date, day)

    def test_it_uses_the_local_date_to_schedule(self) -> None:
        # 22:30 UTC on Jan 31 is already February 1 in Riga: the next 1st is March 1.
        with time_machine.travel(datetime(2025, 1, 31, 22, 30, tzinfo=UTC), tick=False):
            self.client.post(URL, {"reports": "monthly", "nag_period": "0"})
        self.profile.refresh_from_db()
        self.assert_between_9_and_11_riga(self.profile.next_report_date, "2025-03-01")

    def test_turning_reports_off_clears_the_date(self) -> None:
        self.profile.next_report_date = NOW + timedelta(days=3)
        self.profile.save()
        r = self.save(reports="off")
        self.assertContains(r, 'id="reports-off" value="off" checked>')
        self.assertNotContains(r, "is scheduled for")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.reports, ReportFrequency.OFF)
        self.assertIsNone(self.profile.next_report_date)

    def test_reminders_start_when_a_check_is_down(self) -> None:
        Check.objects.create(project=self.project, status=CheckStatus.DOWN)
        r = self.save(nag_period="3600")
        self.assertContains(r, 'id="nag-hourly" value="3600" checked>')
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.nag_period, timedelta(hours=1))
        self.assertEqual(self.profile.next_nag_date, NOW + timedelta(hours=1))

    def test_reminders_wait_while_nothing_is_down(self) -> None:
        Check.objects.create(project=self.project, status=CheckStatus.UP)
        self.save(nag_period="86400")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.nag_period, timedelta(days=1))
        self.assertIsNone(self.profile.next_nag_date)

    def test_a_member_is_reminded_of_the_projects_checks(self) -> None:
        Check.objects.create(project=self.project, status=CheckStatus.DOWN)
        for user, expected in ((self.bob, NOW + timedelta(days=1)), (self.charlie, None)):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.save(nag_period="86400")
                profile = Profile.objects.get(user=user)
                self.assertEqual(profile.nag_period, timedelta(days=1))
                self.assertEqual(profile.next_nag_date, expected)

    def test_a_new_period_reschedules_the_reminder(self) -> None:
        Check.objects.create(project=self.project, status=CheckStatus.DOWN)
        self.profile.nag_period = timedelta(days=1)
        self.profile.next_nag_date = NOW + timedelta(hours=20)
        self.profile.save()
        self.save(nag_period="3600")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.next_nag_date, NOW + timedelta(hours=1))

    def test_the_same_period_does_not_postpone_the_reminder(self) -> None:
        Check.objects.create(project=self.project, status=CheckStatus.DOWN)
        self.profile.nag_period = timedelta(hours=1)
        self.profile.next_nag_date = NOW + timedelta(minutes=10)
        self.profile.save()
        self.save(reports="weekly", nag_period="3600")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.next_nag_date, NOW + timedelta(minutes=10))

    def test_turning_reminders_off_clears_the_date(self) -> None:
        Check.objects.create(project=self.project, status=CheckStatus.DOWN)
        self.profile.nag_period = timedelta(hours=1)
        self.profile.next_nag_date = NOW + timedelta(minutes=10)
        self.profile.save()
        r = self.save(nag_period="0")
        self.assertContains(r, 'id="nag-off" value="0" checked>')
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.nag_period, timedelta())
        self.assertIsNone(self.profile.next_nag_date)

    def test_it_rejects_other_reminder_periods(self) -> None:
        for value in ("7200", "abc", "-3600", ""):
            with self.subTest(value=value):
                r = self.save(reports="weekly", nag_period=value)
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, 'id="nag-period-error"')
                self.assertNotContains(r, "have been saved")
                self.profile.refresh_from_db()
                self.assertEqual(self.profile.reports, ReportFrequency.MONTHLY)
                self.assertEqual(self.profile.nag_period, timedelta())

    def test_it_rejects_other_report_values(self) -> None:
        for value in ("yearly", "OFF", ""):
            with self.subTest(value=value):
                r = self.save(reports=value, nag_period="3600")
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, 'id="reports-error"')
                self.profile.refresh_from_db()
                self.assertEqual(self.profile.reports, ReportFrequency.MONTHLY)
                self.assertEqual(self.profile.nag_period, timedelta())

    def test_it_requires_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        r = client.post(URL, {"reports": "off", "nag_period": "0"})
        self.assertEqual(r.status_code, 403)
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.reports, ReportFrequency.MONTHLY)

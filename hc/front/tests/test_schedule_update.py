"""Saving the schedule dialog: POST /checks/<code>/timeout/ (web spec §6.10.5, §16;
monitoring §4.7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from hc.accounts.models import Profile
from hc.api.models import Check, CheckKind, CheckStatus, Flip
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
DAY = 86400


@time_machine.travel(NOW, tick=False)
class UpdateTimeoutTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project, name="backup")
        self.url = f"/checks/{self.check_.code}/timeout/"
        self.client.force_login(self.alice)

    def test_it_saves_a_simple_schedule(self) -> None:
        response = self.client.post(self.url, {"kind": "simple", "timeout": 3600, "grace": 60})
        self.assertRedirects(
            response, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.kind, CheckKind.SIMPLE)
        self.assertEqual(self.check_.timeout, timedelta(hours=1))
        self.assertEqual(self.check_.grace, timedelta(minutes=1))
        # A new check cannot go down by time.
        self.assertIsNone(self.check_.alert_after)

    def test_it_saves_a_cron_schedule(self) -> None:
        data = {"kind": "cron", "schedule": "0 2 * * *", "tz": "Europe/Riga", "grace": 7200}
        self.client.post(self.url, data)
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.kind, CheckKind.CRON)
        self.assertEqual(self.check_.schedule, "0 2 * * *")
        self.assertEqual(self.check_.tz, "Europe/Riga")
        self.assertEqual(self.check_.grace, timedelta(hours=2))
        # The period is kept for when the check goes back to simple.
        self.assertEqual(self.check_.timeout, timedelta(days=1))

    def test_it_saves_an_oncalendar_schedule(self) -> None:
        schedule = "Mon..Fri *-*-* 09:00\nSat 12:00"
        data = {"kind": "oncalendar", "schedule": schedule, "tz": "UTC", "grace": 300}
        self.client.post(self.url, data)
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.kind, CheckKind.ONCALENDAR)
        self.assertEqual(self.check_.schedule, schedule)

    def test_it_rewrites_legacy_zone_names(self) -> None:
        data = {"kind": "cron", "schedule": "* * * * *", "tz": "Europe/Kiev", "grace": 60}
        self.client.post(self.url, data)
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.tz, "Europe/Kyiv")

    def test_it_recomputes_the_deadline(self) -> None:
        Check.objects.filter(id=self.check_.id).update(
            status=CheckStatus.UP, last_ping=NOW - timedelta(minutes=10)
        )
        self.client.post(self.url, {"kind": "simple", "timeout": 3600, "grace": 600})
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.alert_after, NOW + timedelta(minutes=60))
        self.assertEqual(self.check_.status, CheckStatus.UP)
        self.assertFalse(Flip.objects.exists())

    def test_an_up_check_past_its_new_deadline_goes_down_silently(self) -> None:
        self.profile.nag_period = timedelta(hours=1)
        self.profile.save()
        Check.objects.filter(id=self.check_.id).update(
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(days=3),
            timeout=timedelta(days=7),
            alert_after=NOW + timedelta(days=4, hours=1),
        )
        self.client.post(self.url, {"kind": "simple", "timeout": DAY, "grace": 3600})
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.status, CheckStatus.DOWN)
        self.assertIsNone(self.check_.alert_after)
        flip = Flip.objects.get()
        self.assertEqual((flip.old_status, flip.new_status), ("up", "down"))
        # Processed at once: sendalerts never claims it, so nobody is notified.
        self.assertEqual(flip.processed, NOW)
        self.assertEqual(flip.created, NOW)
        # Reminders start for the project's people.
        self.assertEqual(
            Profile.objects.get(user=self.alice).next_nag_date, NOW + timedelta(hours=1)
        )

    def test_the_new_deadline_being_exactly_now_counts_as_past(self) -> None:
        Check.objects.filter(id=self.check_.id).update(
            status=CheckStatus.UP, last_ping=NOW - timedelta(hours=2)
        )
        self.client.post(self.url, {"kind": "simple", "timeout": 3600, "grace": 3600})
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.status, CheckStatus.DOWN)

    def test_new_and_paused_checks_do_not_flip(self) -> None:
        for status in (CheckStatus.NEW, CheckStatus.PAUSED):
            with self.subTest(status=status):
                Check.objects.filter(id=self.check_.id).update(
                    status=status, last_ping=NOW - timedelta(days=3)
                )
                self.client.post(self.url, {"kind": "simple", "timeout": 60, "grace": 60})
                self.check_.refresh_from_db()
                self.assertEqual(self.check_.status, status)
        self.assertFalse(Flip.objects.exists())

    def test_a_cron_schedule_can_put_the_check_down(self) -> None:
        # Pinged at 01:00; "0 2 * * *" expected a ping at 02:00 UTC, over 9 hours ago.
        Check.objects.filter(id=self.check_.id).update(
            status=CheckStatus.UP, last_ping=NOW.replace(hour=1)
        )
        data = {"kind": "cron", "schedule": "0 2 * * *", "tz": "UTC", "grace": 3600}
        self.client.post(self.url, data)
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.status, CheckStatus.DOWN)
        self.assertEqual(Flip.objects.get().new_status, "down")

    def test_it_redirects_back_to_the_details_page(self) -> None:
        referer = f"http://testserver/checks/{self.check_.code}/details/"
        response = self.client.post(
            self.url, {"kind": "simple", "timeout": 60, "grace": 60}, HTTP_REFERER=referer
        )
        self.assertRedirects(
            response, f"/checks/{self.check_.code}/details/", fetch_redirect_response=False
        )

    def test_it_keeps_the_checks_page_filters(self) -> None:
        checks = f"/projects/{self.project.code}/checks/"
        referer = f"http://testserver{checks}?tag=db&search=back&status=down&sort=name&x=1"
        response = self.client.post(
            self.url, {"kind": "simple", "timeout": 60, "grace": 60}, HTTP_REFERER=referer
        )
        self.assertRedirects(
            response,
            f"{checks}?tag=db&search=back&status=down&sort=name",
            fetch_redirect_response=False,
        )

    def test_bad_input_is_a_400_with_a_message(self) -> None:
        base_cron = {"kind": "cron", "schedule": "0 2 * * *", "tz": "UTC", "grace": 60}
        cases = [
            ({"kind": "hourly", "timeout": 60, "grace": 60}, "kind"),
            ({"kind": "simple", "grace": 60}, "timeout"),
            ({"kind": "simple", "timeout": 59, "grace": 60}, "timeout"),
            ({"kind": "simple", "timeout": 31536001, "grace": 60}, "timeout"),
            ({"kind": "simple", "timeout": "soon", "grace": 60}, "timeout"),
            ({"kind": "simple", "timeout": 60, "grace": 59}, "grace"),
            ({"kind": "simple", "timeout": 60, "grace": 31536001}, "grace"),
            ({"kind": "simple", "timeout": 60}, "grace"),
            ({**base_cron, "schedule": "* * * *"}, "Not a valid cron expression."),
            ({**base_cron, "schedule": "0 0 30 2 *"}, "Not a valid cron expression."),
            ({**base_cron, "schedule": "* * * * * *"}, "Not a valid cron expression."),
            ({**base_cron, "schedule": "0 " + "1," * 50 + "1 * * *"}, "Not a valid cron"),
            ({**base_cron, "schedule": ""}, "Not a valid cron expression."),
            ({**base_cron, "schedule": "* * * * \0"}, "schedule"),
            ({**base_cron, "tz": "Mars/Olympus"}, "Not a valid time zone."),
            ({**base_cron, "tz": ""}, "Not a valid time zone."),
            ({**base_cron, "kind": "oncalendar", "schedule": "whenever"}, "OnCalendar"),
            ({**base_cron, "kind": "oncalendar", "schedule": "a b c d e"}, "OnCalendar"),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.content.decode())
                self.assertIn("The schedule was not saved", response.content.decode())
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.timeout, timedelta(days=1))
        self.assertEqual(self.check_.kind, CheckKind.SIMPLE)

    def test_the_limits_themselves_are_allowed(self) -> None:
        self.client.post(self.url, {"kind": "simple", "timeout": 31536000, "grace": 60})
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.timeout, timedelta(days=365))

    def test_read_only_members_get_403(self) -> None:
        self.client.force_login(self.rose)
        response = self.client.post(self.url, {"kind": "simple", "timeout": 60, "grace": 60})
        self.assertEqual(response.status_code, 403)
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.timeout, timedelta(days=1))

    def test_other_users_get_404(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.post(self.url, {"kind": "simple", "timeout": 60, "grace": 60})
        self.assertEqual(response.status_code, 404)

    def test_get_is_not_allowed(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 405)

"""The schedule dialog's previews and live validation (web spec §6.10.2, §6.10.3, §6.7)."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from hc.lib.schedules import explain_cron
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)  # a Monday


@time_machine.travel(NOW, tick=False)
class CronPreviewTestCase(BaseTestCase):
    url = "/checks/cron_preview/"

    def test_it_describes_the_schedule_and_lists_six_runs(self) -> None:
        response = self.client.post(self.url, {"schedule": "0 2 * * *", "tz": "Europe/Riga"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-valid="1"')
        self.assertContains(response, "“At 02:00 every day”")
        self.assertContains(response, "Expected Ping Dates")
        # 02:00 in Riga (EET, UTC+2) is 00:00 UTC: the first run is tomorrow.
        self.assertContains(response, "Mar 11, 02:00")
        self.assertContains(response, "2025-03-11T02:00:00+02:00")
        self.assertContains(response, "12\xa0hours from now")
        self.assertContains(response, "Mar 16, 02:00")
        self.assertNotContains(response, "Mar 17, 02:00")
        self.assertEqual(response.content.count(b'class="preview-local"'), 6)

    def test_it_follows_daylight_saving_time(self) -> None:
        # Riga moves to summer time (UTC+3) on March 30.
        response = self.client.post(self.url, {"schedule": "0 2 30,31 3 *", "tz": "Europe/Riga"})
        self.assertContains(response, "2025-03-30T02:00:00+02:00")
        self.assertContains(response, "2025-03-31T02:00:00+03:00")

    def test_it_defaults_to_utc(self) -> None:
        response = self.client.post(self.url, {"schedule": "*/15 * * * *"})
        self.assertContains(response, "Mar 10, 12:15")
        self.assertContains(response, "2025-03-10T12:15:00+00:00")

    def test_it_works_for_anonymous_visitors(self) -> None:
        response = self.client.post(self.url, {"schedule": "* * * * *", "tz": "UTC"})
        self.assertContains(response, 'data-valid="1"')

    def test_it_flags_invalid_expressions(self) -> None:
        for schedule in ("* * * *", "0 0 30 2 *", "* * */20 * 1L", "*/15 * * * * *", "x" * 101):
            with self.subTest(schedule=schedule):
                response = self.client.post(self.url, {"schedule": schedule, "tz": "UTC"})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'data-valid="0"')
                self.assertContains(response, "cron expression is not valid")
                self.assertContains(response, 'href="/docs/cron/"')

    def test_it_flags_invalid_time_zones(self) -> None:
        for tz in ("Mars/Olympus", "../etc/passwd", "US/Eastern-ish"):
            with self.subTest(tz=tz):
                response = self.client.post(self.url, {"schedule": "* * * * *", "tz": tz})
                self.assertContains(response, 'data-valid="0"')
                self.assertContains(response, "Invalid timezone.")

    def test_a_nul_character_is_an_invalid_expression(self) -> None:
        response = self.client.post(self.url, {"schedule": "* * * * \0", "tz": "UTC"})
        self.assertContains(response, 'data-valid="0"')

    def test_it_accepts_legacy_zone_names(self) -> None:
        response = self.client.post(self.url, {"schedule": "0 9 * * *", "tz": "Europe/Kiev"})
        self.assertContains(response, 'data-valid="1"')
        self.assertContains(response, "2025-03-11T09:00:00+02:00")

    def test_get_is_not_allowed(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_explain_reads_question_marks_as_stars(self) -> None:
        self.assertEqual(explain_cron("0 0 ? * 1"), explain_cron("0 0 * * 1"))
        self.assertEqual(explain_cron("0 0 * * 1"), "At 00:00 on Monday")


@time_machine.travel(NOW, tick=False)
class OnCalendarPreviewTestCase(BaseTestCase):
    url = "/checks/oncalendar_preview/"

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_lists_six_runs_in_utc(self) -> None:
        response = self.client.post(self.url, {"schedule": "*-*-* 02:30", "tz": "UTC"})
        self.assertContains(response, 'data-valid="1"')
        self.assertContains(response, "Expected Ping Dates")
        self.assertContains(response, "Next elapse:")
        self.assertContains(response, "Tue 2025-03-11 02:30:00 UTC")
        self.assertContains(response, "#6:")
        self.assertNotContains(response, "#7:")
        self.assertNotContains(response, "(in UTC):")
        self.assertEqual(response.content.count(b'class="preview-run"'), 6)

    def test_it_lists_four_runs_with_utc_rows_in_other_zones(self) -> None:
        response = self.client.post(
            self.url, {"schedule": "Mon..Fri *-*-* 09:00", "tz": "America/New_York"}
        )
        # New York is on summer time since March 9: 09:00 EDT is 13:00 UTC.
        self.assertContains(response, "Mon 2025-03-10 09:00:00 EDT")
        self.assertContains(response, "Mon 2025-03-10 13:00:00 UTC")
        self.assertContains(response, "an hour from now")
        self.assertContains(response, "#4:")
        self.assertContains(response, "Thu 2025-03-13 09:00:00 EDT")
        self.assertNotContains(response, "#5:")
        self.assertEqual(response.content.count(b"(in UTC):"), 4)

    def test_several_lines_merge(self) -> None:
        schedule = "Sat *-*-* 10:00\nSun *-*-* 11:00"
        response = self.client.post(self.url, {"schedule": schedule, "tz": "UTC"})
        self.assertContains(response, "Sat 2025-03-15 10:00:00 UTC")
        self.assertContains(response, "Sun 2025-03-16 11:00:00 UTC")

    def test_an_exhausted_schedule_is_valid_without_runs(self) -> None:
        response = self.client.post(self.url, {"schedule": "2019-01-01", "tz": "UTC"})
        self.assertContains(response, 'data-valid="1"')
        self.assertContains(response, "no upcoming runs")

    def test_it_flags_invalid_expressions(self) -> None:
        for schedule in ("every day", "*-*-* 25:00", "Mon *-*-* 10:00 UTC extra", "x" * 101):
            with self.subTest(schedule=schedule):
                response = self.client.post(self.url, {"schedule": schedule, "tz": "UTC"})
                self.assertContains(response, 'data-valid="0"')
                self.assertContains(response, "Invalid OnCalendar expression.")

    def test_it_flags_invalid_time_zones(self) -> None:
        response = self.client.post(self.url, {"schedule": "daily", "tz": "Nowhere"})
        self.assertContains(response, 'data-valid="0"')
        self.assertContains(response, "Invalid timezone.")

    def test_it_requires_login(self) -> None:
        self.client.logout()
        response = self.client.post(self.url, {"schedule": "daily", "tz": "UTC"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/login/"))


class ValidateScheduleTestCase(BaseTestCase):
    url = "/checks/validate_schedule/"

    def result(self, kind: str, schedule: str) -> bool:
        response = self.client.get(self.url, {"kind": kind, "schedule": schedule})
        self.assertEqual(response.status_code, 200)
        result = self.json(response)["result"]
        assert isinstance(result, bool)
        return result

    def test_it_accepts_valid_cron_expressions(self) -> None:
        for schedule in ("* * * * *", "0 9 1 * 1", "0 0 L * *", "0 0 * * 5L", "0 0 ? * MON#1"):
            with self.subTest(schedule=schedule):
                self.assertTrue(self.result("cron", schedule))

    def test_it_rejects_bad_cron_expressions(self) -> None:
        for schedule in ("", "* * * *", "*/15 * * * * *", "0 0 30 2 *", "@daily", "x" * 101):
            with self.subTest(schedule=schedule):
                self.assertFalse(self.result("cron", schedule))

    def test_it_validates_oncalendar_expressions(self) -> None:
        self.assertTrue(self.result("oncalendar", "Mon..Fri *-*-* 09:00\nweekly"))
        self.assertTrue(self.result("oncalendar", "2019-01-01"))
        self.assertFalse(self.result("oncalendar", "Mon *-*-* 09:00 UTC five"))
        self.assertFalse(self.result("oncalendar", "sometimes"))

    def test_a_missing_schedule_is_invalid(self) -> None:
        response = self.client.get(self.url, {"kind": "cron"})
        self.assertEqual(self.json(response), {"result": False})

    def test_a_bad_kind_is_a_bad_request(self) -> None:
        for query in ({"kind": "simple", "schedule": "* * * * *"}, {"schedule": "* * * * *"}):
            with self.subTest(query=query):
                response = self.client.get(self.url, query)
                self.assertEqual(response.status_code, 400)
                self.assertIn(b"kind", response.content)

    def test_post_is_not_allowed(self) -> None:
        response = self.client.post(self.url, {"kind": "cron", "schedule": "* * * * *"})
        self.assertEqual(response.status_code, 405)

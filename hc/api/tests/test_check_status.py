"""Check.get_status / grace_start / going_down_after / alert_after after pings.

Spec monitoring.md §3.5 (the deadline algorithm) and §13 items 2, 3, 5, 6, 10
and 20-22. The check's state is produced by real HTTP pings under a frozen
clock; the status is then evaluated at chosen instants.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from hc.api.models import Check, CheckKind, CheckStatus, Status
from hc.lib.schedules import next_run
from hc.test import BaseTestCase

HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)
MICROSECOND = timedelta(microseconds=1)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


class StatusTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="Backup")

    def ping(self, when: datetime, suffix: str = "") -> Check:
        with time_machine.travel(when, tick=False):
            r = self.client.post(f"/ping/{self.check.code}{suffix}")
        self.assert_text(r, 200, "OK")
        self.check.refresh_from_db()
        return self.check

    def assert_statuses(self, check: Check, expected: dict[datetime, Status]) -> None:
        for moment, status in expected.items():
            with self.subTest(moment=moment.isoformat()):
                self.assertEqual(check.get_status(now=moment), status)


class SimpleCheckTestCase(StatusTestCase):
    def test_it_is_new_before_any_ping(self) -> None:
        self.assertEqual(self.check.get_status(), Status.NEW)
        self.assertIsNone(self.check.grace_start())
        self.assertIsNone(self.check.going_down_after())
        self.assertIsNone(self.check.alert_after)

    def test_status_around_the_deadline(self) -> None:
        """§13 item 3: boundaries are inclusive."""
        check = self.ping(utc(2024, 5, 1, 12))
        self.assertEqual(check.grace_start(), utc(2024, 5, 2, 12))
        self.assertEqual(check.going_down_after(), utc(2024, 5, 2, 13))
        self.assertEqual(check.alert_after, utc(2024, 5, 2, 13))
        self.assert_statuses(
            check,
            {
                utc(2024, 5, 2, 11, 59, 59): Status.UP,
                utc(2024, 5, 2, 12) - MICROSECOND: Status.UP,
                utc(2024, 5, 2, 12): Status.GRACE,
                utc(2024, 5, 2, 12, 59, 59): Status.GRACE,
                utc(2024, 5, 2, 13) - MICROSECOND: Status.GRACE,
                utc(2024, 5, 2, 13): Status.DOWN,
                utc(2024, 6, 1): Status.DOWN,
            },
        )

    def test_it_uses_the_current_time_by_default(self) -> None:
        check = self.ping(utc(2024, 5, 1, 12))
        with time_machine.travel(utc(2024, 5, 2, 12, 30), tick=False):
            self.assertEqual(check.get_status(), Status.GRACE)
        with time_machine.travel(utc(2024, 5, 2, 13), tick=False):
            self.assertEqual(check.get_status(), Status.DOWN)

    def test_it_follows_timeout_and_grace(self) -> None:
        Check.objects.filter(id=self.check.id).update(
            timeout=timedelta(minutes=5), grace=timedelta(minutes=2)
        )
        self.check.refresh_from_db()
        check = self.ping(utc(2024, 5, 1, 12))
        self.assertEqual(check.alert_after, utc(2024, 5, 1, 12, 7))
        self.assert_statuses(
            check,
            {
                utc(2024, 5, 1, 12, 4, 59): Status.UP,
                utc(2024, 5, 1, 12, 5): Status.GRACE,
                utc(2024, 5, 1, 12, 7): Status.DOWN,
            },
        )

    def test_a_failed_check_is_down_without_deadline(self) -> None:
        check = self.ping(utc(2024, 5, 1, 12), "/fail")
        self.assertIsNone(check.grace_start())
        self.assertIsNone(check.going_down_after())
        self.assertIsNone(check.alert_after)
        self.assertEqual(check.get_status(now=utc(2024, 5, 1, 12)), Status.DOWN)

    def test_a_paused_check_stays_paused(self) -> None:
        self.ping(utc(2024, 5, 1, 12))
        Check.objects.filter(id=self.check.id).update(status=CheckStatus.PAUSED, alert_after=None)
        self.check.refresh_from_db()
        self.assertIsNone(self.check.grace_start())
        self.assertEqual(self.check.get_status(now=utc(2025, 1, 1)), Status.PAUSED)


class RunningCheckTestCase(StatusTestCase):
    def test_run_time_limit_on_an_up_check(self) -> None:
        """§13 item 20."""
        self.ping(utc(2024, 5, 1))
        check = self.ping(utc(2024, 5, 1, 23, 30), "/start")
        self.assertEqual(check.grace_start(), utc(2024, 5, 1, 23, 30))
        self.assertEqual(check.grace_start(include_running=False), utc(2024, 5, 2))
        self.assertEqual(check.alert_after, utc(2024, 5, 2, 0, 30))
        self.assertEqual(check.going_down_after(), utc(2024, 5, 2, 0, 30))

        self.assertEqual(check.get_status(now=utc(2024, 5, 1, 23, 45)), Status.UP)
        at_0029 = utc(2024, 5, 2, 0, 29)
        self.assertEqual(check.get_status(now=at_0029), Status.GRACE)
        self.assertEqual(check.get_status(now=at_0029, with_started=True), Status.STARTED)
        at_0030 = utc(2024, 5, 2, 0, 30)
        self.assertEqual(check.get_status(now=at_0030), Status.DOWN)
        self.assertEqual(check.get_status(now=at_0030, with_started=True), Status.DOWN)

    def test_a_new_check_that_only_starts(self) -> None:
        """§13 item 21."""
        check = self.ping(utc(2024, 5, 1, 10), "/start")
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertEqual(check.grace_start(), utc(2024, 5, 1, 10))
        self.assertIsNone(check.grace_start(include_running=False))
        self.assertEqual(check.alert_after, utc(2024, 5, 1, 11))
        self.assert_statuses(
            check,
            {
                utc(2024, 5, 1, 10, 59, 59): Status.NEW,
                utc(2024, 5, 1, 11): Status.DOWN,
            },
        )
        almost = utc(2024, 5, 1, 11) - MICROSECOND
        self.assertEqual(check.get_status(now=almost, with_started=True), Status.STARTED)
        self.assertEqual(check.get_status(now=utc(2024, 5, 1, 11), with_started=True), Status.DOWN)

    def test_a_paused_check_that_starts(self) -> None:
        """§13 item 22."""
        Check.objects.filter(id=self.check.id).update(status=CheckStatus.PAUSED)
        check = self.ping(utc(2024, 5, 1, 10), "/start")
        self.assertEqual(check.status, CheckStatus.PAUSED)
        self.assertEqual(check.alert_after, utc(2024, 5, 1, 11))
        self.assertEqual(check.get_status(now=utc(2024, 5, 1, 10, 30)), Status.PAUSED)
        self.assertEqual(
            check.get_status(now=utc(2024, 5, 1, 10, 30), with_started=True), Status.STARTED
        )
        self.assertEqual(check.get_status(now=utc(2024, 5, 1, 11)), Status.DOWN)

    def test_started_is_reported_only_when_asked_for(self) -> None:
        self.ping(utc(2024, 5, 1))
        check = self.ping(utc(2024, 5, 1, 10), "/start")
        self.assertEqual(check.get_status(now=utc(2024, 5, 1, 10, 30)), Status.UP)
        self.assertEqual(
            check.get_status(now=utc(2024, 5, 1, 10, 30), with_started=True), Status.STARTED
        )

    def test_a_down_check_that_starts_reports_down_after_grace(self) -> None:
        self.ping(utc(2024, 5, 1), "/fail")
        check = self.ping(utc(2024, 5, 1, 10), "/start")
        self.assertEqual(check.status, CheckStatus.DOWN)
        # A down check has no deadline, running or not.
        self.assertIsNone(check.grace_start())
        self.assertIsNone(check.alert_after)
        during = utc(2024, 5, 1, 10, 30)
        self.assertEqual(check.get_status(now=during), Status.DOWN)
        self.assertEqual(check.get_status(now=during, with_started=True), Status.STARTED)
        after = utc(2024, 5, 1, 11)
        self.assertEqual(check.get_status(now=after), Status.DOWN)
        self.assertEqual(check.get_status(now=after, with_started=True), Status.DOWN)

    def test_a_completed_run_is_no_longer_started(self) -> None:
        self.ping(utc(2024, 5, 1, 10), "/start")
        check = self.ping(utc(2024, 5, 1, 10, 5))
        self.assertIsNone(check.last_start)
        self.assertEqual(check.get_status(now=utc(2024, 5, 1, 10, 6), with_started=True), Status.UP)
        self.assertEqual(check.alert_after, utc(2024, 5, 2, 11, 5))


class CronCheckTestCase(StatusTestCase):
    def make(self, schedule: str, tz: str = "UTC", grace: timedelta = HOUR) -> None:
        Check.objects.filter(id=self.check.id).update(
            kind=CheckKind.CRON, schedule=schedule, tz=tz, grace=grace
        )
        self.check.refresh_from_db()

    def test_a_ping_at_the_scheduled_minute_expects_the_next_day(self) -> None:
        """§13 item 5, first half."""
        self.make("0 10 * * *")
        check = self.ping(utc(2024, 5, 1, 10))
        self.assertEqual(check.grace_start(), utc(2024, 5, 2, 10))
        self.assertEqual(check.alert_after, utc(2024, 5, 2, 11))

    def test_a_ping_just_before_the_scheduled_minute_is_late_at_once(self) -> None:
        """§13 item 5, second half."""
        self.make("0 10 * * *")
        check = self.ping(utc(2024, 5, 1, 9, 59, 58))
        self.assertEqual(check.grace_start(), utc(2024, 5, 1, 10))
        self.assertEqual(check.alert_after, utc(2024, 5, 1, 11))
        self.assert_statuses(
            check,
            {
                utc(2024, 5, 1, 9, 59, 59): Status.UP,
                utc(2024, 5, 1, 10): Status.GRACE,
                utc(2024, 5, 1, 11): Status.DOWN,
            },
        )

    def test_it_uses_next_run_in_the_checks_time_zone(self) -> None:
        self.make("30 2 * * *", tz="America/New_York", grace=timedelta(minutes=30))
        last_ping = utc(2024, 3, 9, 7, 31)
        check = self.ping(last_ping)
        expected = next_run("cron", "30 2 * * *", "America/New_York", last_ping)
        self.assertEqual(check.grace_start(), expected)
        # §13 item 6: the run skipped by spring-forward happens at the transition.
        self.assertEqual(expected, utc(2024, 3, 10, 7))
        self.assertEqual(check.alert_after, utc(2024, 3, 10, 7, 30))
        check = self.ping(utc(2024, 3, 10, 7, 1))
        self.assertEqual(check.grace_start(), utc(2024, 3, 11, 6, 30))

    def test_grace_is_added_after_converting_to_utc(self) -> None:
        """§13 item 10."""
        self.make("0 2 * * *", tz="Europe/Riga", grace=2 * HOUR)
        check = self.ping(utc(2024, 3, 30, 0, 5))
        self.assertEqual(check.grace_start(), utc(2024, 3, 31))
        self.assertEqual(check.alert_after, utc(2024, 3, 31, 2))
        self.assertEqual(check.get_status(now=utc(2024, 3, 31, 1, 59)), Status.GRACE)
        self.assertEqual(check.get_status(now=utc(2024, 3, 31, 2)), Status.DOWN)

    def test_a_run_time_limit_applies_to_cron_checks(self) -> None:
        self.make("0 10 * * *")
        self.ping(utc(2024, 5, 1, 10))
        check = self.ping(utc(2024, 5, 1, 12), "/start")
        self.assertEqual(check.alert_after, utc(2024, 5, 1, 13))
        check = self.ping(utc(2024, 5, 2, 9, 30), "/start")
        self.assertEqual(check.alert_after, utc(2024, 5, 2, 10, 30))


class OnCalendarCheckTestCase(StatusTestCase):
    def make(self, schedule: str, tz: str = "UTC", grace: timedelta = HOUR) -> None:
        Check.objects.filter(id=self.check.id).update(
            kind=CheckKind.ONCALENDAR, schedule=schedule, tz=tz, grace=grace
        )
        self.check.refresh_from_db()

    def test_it_uses_next_run_in_the_checks_time_zone(self) -> None:
        """§13 item 6, OnCalendar: the skipped day is simply skipped."""
        self.make("*-*-* 02:30", tz="America/New_York", grace=timedelta(minutes=30))
        last_ping = utc(2024, 3, 9, 7, 31)
        check = self.ping(last_ping)
        expected = next_run("oncalendar", "*-*-* 02:30", "America/New_York", last_ping)
        self.assertEqual(check.grace_start(), expected)
        self.assertEqual(expected, utc(2024, 3, 11, 6, 30))
        self.assertEqual(check.alert_after, utc(2024, 3, 11, 7))

    def test_an_exhausted_schedule_never_goes_down(self) -> None:
        """§13 item 2."""
        self.make("2019-01-01")
        check = self.ping(utc(2020, 1, 1))
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertIsNone(check.grace_start())
        self.assertIsNone(check.going_down_after())
        self.assertIsNone(check.alert_after)
        self.assertEqual(check.get_status(now=utc(2030, 1, 1)), Status.UP)

    def test_an_exhausted_schedule_still_limits_a_run(self) -> None:
        self.make("2019-01-01")
        self.ping(utc(2020, 1, 1))
        check = self.ping(utc(2020, 1, 2), "/start")
        self.assertEqual(check.alert_after, utc(2020, 1, 2, 1))
        self.assertEqual(check.get_status(now=utc(2020, 1, 2, 1)), Status.DOWN)

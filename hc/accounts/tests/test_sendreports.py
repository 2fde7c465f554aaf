"""`manage.py sendreports`: scheduling, claiming and the loop (monitoring §6.2, §6.3)."""

from __future__ import annotations

import io
import os
import signal
from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from hc.accounts.management.commands import sendreports
from hc.accounts.models import Profile, ReportFrequency
from hc.accounts.report_schedule import (
    choose_next_report_date,
    claim_due_nag,
    claim_due_report,
    do_stop_nags,
)
from hc.accounts.services import do_update_nag_dates
from hc.accounts.tests.reports_helpers import EmailTestCase
from hc.api.models import Check, CheckStatus
from hc.lib import emails

RIGA = ZoneInfo("Europe/Riga")
NOW = datetime(2020, 1, 15, 10, tzinfo=UTC)


class ChooseNextReportDateTestCase(EmailTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.profile.refresh_from_db()

    def test_weekly_report_chosen_on_monday_morning_goes_out_next_monday(self) -> None:
        # Spec item 53: Monday 2020-01-13 08:00 in Riga.
        self.profile.reports = ReportFrequency.WEEKLY
        self.profile.tz = "Europe/Riga"
        now = datetime(2020, 1, 13, 8, tzinfo=RIGA)
        for _ in range(50):
            result = choose_next_report_date(self.profile, now)
            assert result is not None
            local = result.astimezone(RIGA)
            self.assertEqual(local.date(), datetime(2020, 1, 20).date())
            self.assertTrue(9 <= local.hour <= 10, local)

    def test_monthly_report_goes_out_on_the_1st(self) -> None:
        now = datetime(2020, 1, 31, 23, 30, tzinfo=UTC)
        result = choose_next_report_date(self.profile, now)
        assert result is not None
        self.assertEqual((result.month, result.day), (2, 1))
        # Chosen on the 1st itself, it is the 1st of the next month.
        result = choose_next_report_date(self.profile, datetime(2020, 2, 1, 8, tzinfo=UTC))
        assert result is not None
        self.assertEqual((result.month, result.day), (3, 1))

    def test_daily_report_goes_out_tomorrow_in_the_users_zone(self) -> None:
        self.profile.reports = ReportFrequency.DAILY
        self.profile.tz = "Asia/Tokyo"
        # Already Jan 16 in Tokyo.
        result = choose_next_report_date(self.profile, datetime(2020, 1, 15, 20, tzinfo=UTC))
        assert result is not None
        local = result.astimezone(ZoneInfo("Asia/Tokyo"))
        self.assertEqual(local.day, 17)
        self.assertTrue(9 <= local.hour <= 10)

    def test_off_means_no_date(self) -> None:
        self.profile.reports = ReportFrequency.OFF
        self.assertIsNone(choose_next_report_date(self.profile, NOW))

    def test_unknown_zone_is_treated_as_utc(self) -> None:
        self.profile.tz = "Not/AZone"
        result = choose_next_report_date(self.profile, NOW)
        assert result is not None
        self.assertEqual(result.date(), datetime(2020, 2, 1).date())
        self.assertTrue(9 <= result.hour <= 10)


class PassTestCase(EmailTestCase):
    """One pass of the command, called as a plain function."""

    def setUp(self) -> None:
        super().setUp()
        self.out = io.StringIO()
        Profile.objects.update(reports=ReportFrequency.OFF)
        self.profile.refresh_from_db()
        self.check = Check.objects.create(
            project=self.project, name="db backup", status=CheckStatus.UP, last_ping=NOW
        )

    def run_pass(self) -> int:
        return sendreports.run_pass(OutputWrapper(self.out))

    def test_first_scheduling_sends_nothing(self) -> None:
        Profile.objects.filter(id=self.profile.id).update(
            reports=ReportFrequency.WEEKLY, tz="Europe/Riga"
        )
        monday_8am = datetime(2020, 1, 13, 8, tzinfo=RIGA)
        with time_machine.travel(monday_8am, tick=False):
            self.assertEqual(self.run_pass(), 0)
        self.received(0)
        self.profile.refresh_from_db()
        assert self.profile.next_report_date is not None
        local = self.profile.next_report_date.astimezone(RIGA)
        self.assertEqual(local.date(), datetime(2020, 1, 20).date())
        self.assertTrue(9 <= local.hour <= 10)

    def test_due_report_is_sent_once_and_rescheduled(self) -> None:
        Profile.objects.filter(id=self.profile.id).update(
            reports=ReportFrequency.MONTHLY, next_report_date=datetime(2020, 2, 1, 9, tzinfo=UTC)
        )
        with time_machine.travel(datetime(2020, 2, 1, 9, 1, tzinfo=UTC), tick=False):
            self.assertEqual(self.run_pass(), 1)
            self.assertEqual(self.run_pass(), 0)
        [received] = self.received(1)
        self.assertEqual(received.message["Subject"], "Monthly Report")
        self.assertEqual(self.out.getvalue(), "Sent monthly report to alice@example.org\n")
        self.profile.refresh_from_db()
        assert self.profile.next_report_date is not None
        self.assertEqual(self.profile.next_report_date.date(), datetime(2020, 3, 1).date())

    def test_report_not_yet_due_is_not_sent(self) -> None:
        due = datetime(2020, 2, 1, 9, tzinfo=UTC)
        Profile.objects.filter(id=self.profile.id).update(
            reports=ReportFrequency.MONTHLY, next_report_date=due
        )
        with time_machine.travel(due - timedelta(seconds=1), tick=False):
            self.assertEqual(self.run_pass(), 0)
        self.received(0)
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.next_report_date, due)

    def test_stale_account_report_is_skipped_but_date_advanced(self) -> None:
        # Spec item 52.
        self.check.last_ping = NOW - timedelta(days=200)
        self.check.save()
        Profile.objects.filter(id=self.profile.id).update(
            reports=ReportFrequency.MONTHLY,
            next_report_date=datetime(2020, 2, 1, 9, tzinfo=UTC),
            nag_period=timedelta(hours=1),
            next_nag_date=datetime(2020, 2, 1, 8, tzinfo=UTC),
        )
        self.check.status = CheckStatus.DOWN
        self.check.save()
        with time_machine.travel(datetime(2020, 2, 1, 9, 1, tzinfo=UTC), tick=False):
            self.assertEqual(self.run_pass(), 0)
        self.received(0)
        self.assertEqual(self.out.getvalue(), "")
        self.profile.refresh_from_db()
        assert self.profile.next_report_date is not None
        self.assertEqual(self.profile.next_report_date.date(), datetime(2020, 3, 1).date())
        self.assertIsNone(self.profile.next_nag_date)

    def test_weekly_report_output_names_the_cadence(self) -> None:
        Profile.objects.filter(id=self.profile.id).update(
            reports=ReportFrequency.WEEKLY, next_report_date=NOW - timedelta(minutes=1)
        )
        with time_machine.travel(NOW, tick=False):
            self.assertEqual(self.run_pass(), 1)
        self.assertEqual(self.received(1)[0].message["Subject"], "Weekly Report")
        self.assertEqual(self.out.getvalue(), "Sent weekly report to alice@example.org\n")

    def test_nag_lifecycle(self) -> None:
        # Spec item 51.
        Profile.objects.filter(id=self.profile.id).update(nag_period=timedelta(hours=1))
        ten = datetime(2020, 1, 15, 10, tzinfo=UTC)
        with time_machine.travel(ten, tick=False):
            # sendalerts marks the check down and updates the nag dates.
            Check.objects.filter(id=self.check.id).update(status=CheckStatus.DOWN)
            do_update_nag_dates(self.project)
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.next_nag_date, ten + timedelta(hours=1))

        with time_machine.travel(ten + timedelta(minutes=59), tick=False):
            self.assertEqual(self.run_pass(), 0)
        self.received(0)

        sent_at = ten + timedelta(hours=1, seconds=30)
        with time_machine.travel(sent_at, tick=False):
            self.assertEqual(self.run_pass(), 1)
        [received] = self.received(1)
        self.assertEqual(received.message["Subject"], "Reminder: 1 check still down")
        self.assertEqual(received.rcpt_tos, ["alice@example.org"])
        self.assertEqual(self.out.getvalue(), "Sent nag to alice@example.org\n")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.next_nag_date, sent_at + timedelta(hours=1))

        # The check comes back up and sendalerts processes the flip.
        with time_machine.travel(ten + timedelta(hours=1, minutes=30), tick=False):
            Check.objects.filter(id=self.check.id).update(status=CheckStatus.UP)
            do_update_nag_dates(self.project)
        self.profile.refresh_from_db()
        self.assertIsNone(self.profile.next_nag_date)
        with time_machine.travel(ten + timedelta(hours=5), tick=False):
            self.assertEqual(self.run_pass(), 0)
        self.received(1)

    def test_missed_reminders_are_not_sent_twice(self) -> None:
        Check.objects.filter(id=self.check.id).update(status=CheckStatus.DOWN)
        Profile.objects.filter(id=self.profile.id).update(
            nag_period=timedelta(hours=1), next_nag_date=NOW - timedelta(hours=5)
        )
        with time_machine.travel(NOW, tick=False):
            self.assertEqual(self.run_pass(), 1)
            self.assertEqual(self.run_pass(), 0)
        self.received(1)
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.next_nag_date, NOW + timedelta(hours=1))

    def test_nag_with_nothing_down_clears_the_date(self) -> None:
        Profile.objects.filter(id=self.profile.id).update(
            nag_period=timedelta(days=1), next_nag_date=NOW - timedelta(minutes=1)
        )
        with time_machine.travel(NOW, tick=False):
            self.assertEqual(self.run_pass(), 0)
        self.received(0)
        self.profile.refresh_from_db()
        self.assertIsNone(self.profile.next_nag_date)

    def test_disabled_reminders_are_not_sent(self) -> None:
        Check.objects.filter(id=self.check.id).update(status=CheckStatus.DOWN)
        Profile.objects.filter(id=self.profile.id).update(
            nag_period=timedelta(), next_nag_date=NOW - timedelta(minutes=1)
        )
        with time_machine.travel(NOW, tick=False):
            self.assertEqual(self.run_pass(), 0)
        self.received(0)

    def test_members_get_their_own_reminders(self) -> None:
        Check.objects.filter(id=self.check.id).update(status=CheckStatus.DOWN)
        Profile.objects.filter(user__in=[self.alice, self.rose]).update(
            nag_period=timedelta(hours=1), next_nag_date=NOW - timedelta(minutes=1)
        )
        with time_machine.travel(NOW, tick=False):
            self.assertEqual(self.run_pass(), 2)
        recipients = sorted(r.rcpt_tos[0] for r in self.received(2))
        self.assertEqual(recipients, ["alice@example.org", "rose@example.org"])

    def test_smtp_failure_is_logged_and_the_pass_goes_on(self) -> None:
        Check.objects.filter(id=self.check.id).update(status=CheckStatus.DOWN)
        Profile.objects.filter(user__in=[self.alice, self.bob]).update(
            nag_period=timedelta(hours=1), next_nag_date=NOW - timedelta(minutes=1)
        )
        # Alice's profile is claimed first (lowest id); all three attempts fail.
        self.sink.data_replies = ["554 Rejected"] * 3
        with (
            time_machine.travel(NOW, tick=False),
            mock.patch.object(emails, "SMTP_PAUSE", 0),
            self.assertLogs("hc.accounts", "WARNING") as logs,
        ):
            self.assertEqual(self.run_pass(), 1)
        [received] = self.received(1)
        self.assertEqual(received.rcpt_tos, ["bob@example.org"])
        self.assertIn("Reminder to alice@example.org failed", logs.output[0])
        self.profile.refresh_from_db()
        # Not retried before the next period.
        self.assertEqual(self.profile.next_nag_date, NOW + timedelta(hours=1))

    def test_pause_after_each_email(self) -> None:
        Check.objects.filter(id=self.check.id).update(status=CheckStatus.DOWN)
        Profile.objects.filter(user__in=[self.alice, self.bob]).update(
            nag_period=timedelta(hours=1), next_nag_date=NOW - timedelta(minutes=1)
        )
        pauses: list[float] = []
        sendreports.PAUSE_AFTER_EMAIL = 3.0
        with (
            time_machine.travel(NOW, tick=False),
            mock.patch.object(sendreports, "sleep", pauses.append),
        ):
            self.assertEqual(self.run_pass(), 2)
        self.assertEqual(pauses, [3.0, 3.0])


class ClaimTestCase(EmailTestCase):
    """The compare-and-set claims that let several processes run."""

    def test_a_report_taken_by_another_process_is_not_claimed(self) -> None:
        due = NOW - timedelta(minutes=1)
        Profile.objects.update(reports=ReportFrequency.OFF)
        Profile.objects.filter(id=self.profile.id).update(
            reports=ReportFrequency.MONTHLY, next_report_date=due
        )
        with time_machine.travel(NOW, tick=False):
            first = claim_due_report()
            second = claim_due_report()
        assert first is not None
        self.assertEqual(first.id, self.profile.id)
        self.assertIsNone(second)

    def test_unscheduled_profiles_are_scheduled_not_claimed(self) -> None:
        with time_machine.travel(NOW, tick=False):
            self.assertIsNone(claim_due_report())
        dates = Profile.objects.values_list("next_report_date", flat=True)
        self.assertEqual(len(dates), 5)
        for date in dates:
            assert date is not None
            self.assertEqual((date.month, date.day), (2, 1))

    def test_a_nag_taken_by_another_process_is_not_claimed(self) -> None:
        Profile.objects.filter(id=self.profile.id).update(
            nag_period=timedelta(hours=1), next_nag_date=NOW - timedelta(minutes=1)
        )
        with time_machine.travel(NOW, tick=False):
            first = claim_due_nag()
            second = claim_due_nag()
        assert first is not None
        self.assertEqual(first.next_nag_date, NOW + timedelta(hours=1))
        self.assertIsNone(second)

    def test_stopping_nags_keeps_a_date_set_meanwhile(self) -> None:
        Profile.objects.filter(id=self.profile.id).update(
            nag_period=timedelta(hours=1), next_nag_date=NOW - timedelta(minutes=1)
        )
        with time_machine.travel(NOW, tick=False):
            claimed = claim_due_nag()
        assert claimed is not None
        meanwhile = NOW + timedelta(minutes=30)
        Profile.objects.filter(id=self.profile.id).update(next_nag_date=meanwhile)
        do_stop_nags(claimed)
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.next_nag_date, meanwhile)


class CommandTestCase(EmailTestCase):
    def setUp(self) -> None:
        super().setUp()
        Check.objects.create(project=self.project, status=CheckStatus.DOWN, last_ping=NOW)
        Profile.objects.update(reports=ReportFrequency.OFF)
        Profile.objects.filter(id=self.profile.id).update(
            nag_period=timedelta(hours=1), next_nag_date=NOW - timedelta(minutes=1)
        )

    def test_without_loop_it_runs_one_pass(self) -> None:
        out = io.StringIO()
        with time_machine.travel(NOW, tick=False):
            call_command("sendreports", stdout=out)
        self.assertEqual(out.getvalue(), "Sent nag to alice@example.org\n")
        self.received(1)

    def test_loop_waits_60_seconds_between_passes_and_stops_on_sigterm(self) -> None:
        sleeps: list[float] = []

        def fake_sleep(seconds: float) -> None:
            sleeps.append(seconds)
            if len(sleeps) == 61:
                # During the second 60-second wait.
                os.kill(os.getpid(), signal.SIGTERM)
            if len(sleeps) > 200:
                raise AssertionError("the loop did not stop")

        before = signal.getsignal(signal.SIGTERM)
        out = io.StringIO()
        with (
            time_machine.travel(NOW, tick=False),
            mock.patch.object(sendreports, "sleep", fake_sleep),
        ):
            # The first pass sends; the second finds nothing due.
            call_command("sendreports", "--loop", stdout=out)
        self.assertEqual(sleeps, [1] * 61)
        self.assertEqual(out.getvalue(), "Sent nag to alice@example.org\nStopped.\n")
        self.assertEqual(signal.getsignal(signal.SIGTERM), before)
        self.received(1)

    def test_sigint_during_a_pass_stops_before_the_next_email(self) -> None:
        Profile.objects.filter(user=self.bob).update(
            nag_period=timedelta(hours=1), next_nag_date=NOW - timedelta(minutes=1)
        )
        sendreports.PAUSE_AFTER_EMAIL = 3.0

        def interrupt(seconds: float) -> None:
            # Ctrl-C while pausing after the first email.
            os.kill(os.getpid(), signal.SIGINT)

        out = io.StringIO()
        with (
            time_machine.travel(NOW, tick=False),
            mock.patch.object(sendreports, "sleep", interrupt),
        ):
            call_command("sendreports", "--loop", stdout=out)
        self.assertEqual(out.getvalue(), "Sent nag to alice@example.org\nStopped.\n")
        self.received(1)

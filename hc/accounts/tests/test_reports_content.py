"""What report and reminder emails contain (monitoring §6.4, web §12.6-12.7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import time_machine
from django.test import SimpleTestCase, override_settings
from django.utils import timezone

from hc.accounts.models import Profile, Project, ReportFrequency
from hc.accounts.reports import natural_key, send_nag, send_report
from hc.accounts.tests.reports_helpers import EmailTestCase
from hc.accounts.unsubscribe import read_token
from hc.api.models import Check, CheckStatus, Flip
from hc.lib import emails

# Monthly reports go out on the 1st; this one covers December and January.
NOW = datetime(2020, 2, 1, 9, 30, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class ReportContentTestCase(EmailTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.profile.refresh_from_db()
        self.check = Check.objects.create(
            project=self.project,
            name="backup.example.com",
            tags="prod db",
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(minutes=10),
            created=datetime(2019, 1, 1, tzinfo=UTC),
        )

    def add_downtime(self, check: Check, start: datetime, length: timedelta) -> None:
        Flip.objects.create(owner=check, created=start, old_status="up", new_status="down")
        Flip.objects.create(owner=check, created=start + length, old_status="down", new_status="up")

    def test_it_sends_the_monthly_report(self) -> None:
        self.assertTrue(send_report(self.profile, timezone.now()))
        [received] = self.received(1)
        message = received.message
        self.assertEqual(message["Subject"], "Monthly Report")
        self.assertEqual(message["To"], "alice@example.org")
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        # Long headers are folded, which leaves a space after the colon.
        url = str(message["List-Unsubscribe"]).strip()
        self.assertTrue(url.startswith("<http://localhost:8000/accounts/unsubscribe_reports/"))
        self.assertTrue(url.endswith("/>"))
        signed = url.removesuffix("/>").rsplit("/", 1)[1]
        self.assertEqual(read_token(signed).username, "alice")
        self.assertTrue(message["Message-ID"].endswith("@example.org>"))

        text, html = self.parts(message)
        self.assertIn("In January, no checks had downtimes. Nice!", text)
        self.assertIn("In January, no checks had downtimes. Nice!", html)
        self.assertIn("Alice's Project", text)
        self.assertIn("* UP backup.example.com [prod] [db]", text)
        self.assertIn("December 2019: All good!", text)
        self.assertIn("January 2020: All good!", text)
        self.assertIn("<th>December 2019</th>", html)
        self.assertIn("<th>January 2020</th>", html)
        self.assertIn('<span class="tag">prod</span>', html)
        # Dots are broken up so mail clients do not turn the name into a link.
        self.assertIn("backup<span>.</span>example<span>.</span>com", html)
        self.assertIn(url[1:-1], text)
        self.assertIn(f'href="{url[1:-1]}"', html)
        self.assertEqual(received.mail_from, "healthchecks@example.org")

    def test_it_never_shows_check_uuids(self) -> None:
        unnamed = Check.objects.create(project=self.project, status=CheckStatus.NEW)
        self.assertTrue(send_report(self.profile, timezone.now()))
        [received] = self.received(1)
        text, html = self.parts(received.message)
        for body in (text, html, received.data.decode()):
            self.assertNotIn(str(unnamed.code), body)
            self.assertNotIn(str(self.check.code), body)
            self.assertNotIn(unnamed.code.hex, body)
        self.assertIn("* NEW unnamed", text)

    def test_it_counts_downtimes_of_the_last_complete_period(self) -> None:
        other = Check.objects.create(
            project=self.project,
            name="other",
            status=CheckStatus.UP,
            created=datetime(2019, 1, 1, tzinfo=UTC),
        )
        self.add_downtime(self.check, datetime(2020, 1, 10, tzinfo=UTC), timedelta(hours=2))
        self.add_downtime(self.check, datetime(2020, 1, 20, tzinfo=UTC), timedelta(minutes=5))
        self.add_downtime(other, datetime(2020, 1, 5, tzinfo=UTC), timedelta(days=1))
        self.add_downtime(other, datetime(2019, 12, 5, tzinfo=UTC), timedelta(hours=3))

        self.assertTrue(send_report(self.profile, timezone.now()))
        text, html = self.parts(self.received(1)[0].message)
        self.assertIn("In January, 2 checks had 3 downtime events.", text)
        self.assertIn("In January, 2 checks had 3 downtime events.", html)
        self.assertIn("January 2020: 2 downtimes, 2 hours 5 minutes total", text)
        self.assertIn("December 2019: 1 downtime, 3 hours total", text)
        self.assertIn("<td>1 downtime, 1 day total</td>", html)
        # The check with the longer downtime last month comes first.
        self.assertLess(text.index("* UP other"), text.index("* UP backup.example.com"))

    def test_singular_summary(self) -> None:
        self.add_downtime(self.check, datetime(2020, 1, 10, tzinfo=UTC), timedelta(hours=2))
        self.assertTrue(send_report(self.profile, timezone.now()))
        text, _ = self.parts(self.received(1)[0].message)
        self.assertIn("In January, 1 check had 1 downtime event.", text)

    def test_it_sorts_by_natural_name_order_within_equal_downtime(self) -> None:
        for name in ("job 10", "job 9", "Job 1"):
            Check.objects.create(project=self.project, name=name, status=CheckStatus.UP)
        self.assertTrue(send_report(self.profile, timezone.now()))
        text, _ = self.parts(self.received(1)[0].message)
        positions = [text.index(f"UP {name}\n") for name in ("Job 1", "job 9", "job 10")]
        self.assertEqual(positions, sorted(positions))

    def test_it_groups_checks_by_project_ordered_by_name(self) -> None:
        zebra = Project.objects.create(owner=self.alice, name="Zebra", badge_key="z")
        aardvark = Project.objects.create(owner=self.alice, name="Aardvark", badge_key="a")
        Check.objects.create(project=zebra, name="in zebra")
        Check.objects.create(project=aardvark, name="in aardvark")
        self.assertTrue(send_report(self.profile, timezone.now()))
        text, _ = self.parts(self.received(1)[0].message)
        order = [text.index(name) for name in ("Aardvark\n", "Alice's Project\n", "Zebra\n")]
        self.assertEqual(order, sorted(order))
        self.assertLess(text.index("in aardvark"), text.index("Alice's Project\n"))
        self.assertGreater(text.index("in zebra"), text.index("Zebra\n"))

    def test_it_covers_projects_the_user_is_a_member_of(self) -> None:
        bob = Profile.objects.get(user=self.bob)
        self.assertTrue(send_report(bob, timezone.now()))
        [received] = self.received(1)
        self.assertEqual(received.rcpt_tos, ["bob@example.org"])
        text, _ = self.parts(received.message)
        self.assertIn("backup.example.com", text)

    def test_it_does_not_cover_other_peoples_projects(self) -> None:
        Check.objects.create(project=self.charlies_project, name="charlies", last_ping=NOW)
        self.assertTrue(send_report(self.profile, timezone.now()))
        text, html = self.parts(self.received(1)[0].message)
        self.assertNotIn("charlies", text + html)

    def test_it_skips_accounts_silent_for_180_days(self) -> None:
        self.check.last_ping = NOW - timedelta(days=181)
        self.check.save()
        self.assertFalse(send_report(self.profile, timezone.now()))
        self.assertFalse(send_nag(self.profile, timezone.now()))
        self.received(0)

    def test_a_ping_179_days_ago_is_recent_enough(self) -> None:
        self.check.last_ping = NOW - timedelta(days=179)
        self.check.save()
        self.assertTrue(send_report(self.profile, timezone.now()))
        self.received(1)

    def test_it_skips_accounts_without_checks(self) -> None:
        charlie = Profile.objects.get(user=self.charlie)
        self.assertFalse(send_report(charlie, timezone.now()))
        self.received(0)

    def test_it_uses_the_bounce_address_template(self) -> None:
        with override_settings(EMAIL_MAIL_FROM_TMPL="bounces+%s@example.org"):
            self.assertTrue(send_report(self.profile, timezone.now()))
        [received] = self.received(1)
        self.assertEqual(received.mail_from, "bounces+r.alice@example.org")
        self.assertEqual(received.message["From"], "healthchecks@example.org")

    def test_it_raises_when_smtp_refuses(self) -> None:
        self.sink.data_replies = ["554 No thanks"] * 3
        with mock.patch.object(emails, "SMTP_PAUSE", 0), self.assertRaises(emails.EmailError):
            send_report(self.profile, timezone.now())

    def test_it_sends_nothing_when_reports_are_off(self) -> None:
        self.profile.reports = ReportFrequency.OFF
        self.assertFalse(send_report(self.profile, timezone.now()))
        self.received(0)


class ReportPeriodsTestCase(EmailTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.profile.refresh_from_db()

    def test_weekly_report_near_midnight_in_new_york(self) -> None:
        # Spec item 54: Sunday 21:00 in New York, Monday 02:00 in UTC.
        now = datetime(2020, 1, 13, 2, tzinfo=UTC)
        check = Check.objects.create(
            project=self.project,
            name="nightly",
            status=CheckStatus.UP,
            last_ping=now,
            created=datetime(2019, 1, 1, tzinfo=UTC),
        )
        # Down 10:00-11:00 UTC on Monday Jan 6: the local week Jan 6-12 is
        # still current, so this downtime must not be reported.
        Flip.objects.create(
            owner=check,
            created=datetime(2020, 1, 6, 10, tzinfo=UTC),
            old_status="up",
            new_status="down",
        )
        Flip.objects.create(
            owner=check,
            created=datetime(2020, 1, 6, 11, tzinfo=UTC),
            old_status="down",
            new_status="up",
        )
        self.profile.reports = ReportFrequency.WEEKLY
        self.profile.tz = "America/New_York"
        with time_machine.travel(now, tick=False):
            self.assertTrue(send_report(self.profile, timezone.now()))
        message = self.received(1)[0].message
        self.assertEqual(message["Subject"], "Weekly Report")
        text, html = self.parts(message)
        self.assertIn("Last week (Dec 30 to Jan 5), no checks had downtimes. Nice!", text)
        self.assertIn("Dec 23 - Dec 29: All good!", text)
        self.assertIn("Dec 30 - Jan 5: All good!", text)
        self.assertIn("<th>Dec 23 - Dec 29</th>", html)
        self.assertNotIn("Jan 6", text)

    def test_daily_report(self) -> None:
        now = datetime(2020, 1, 13, 9, 30, tzinfo=UTC)
        check = Check.objects.create(
            project=self.project,
            name="hourly",
            status=CheckStatus.UP,
            last_ping=now,
            created=datetime(2019, 1, 1, tzinfo=UTC),
        )
        Flip.objects.create(
            owner=check,
            created=datetime(2020, 1, 12, 4, tzinfo=UTC),
            old_status="up",
            new_status="down",
        )
        Flip.objects.create(
            owner=check,
            created=datetime(2020, 1, 12, 4, 30, tzinfo=UTC),
            old_status="down",
            new_status="up",
        )
        self.profile.reports = ReportFrequency.DAILY
        with time_machine.travel(now, tick=False):
            self.assertTrue(send_report(self.profile, timezone.now()))
        message = self.received(1)[0].message
        self.assertEqual(message["Subject"], "Daily Report")
        text, _ = self.parts(message)
        self.assertIn("Yesterday (Jan 12), 1 check had 1 downtime event.", text)
        self.assertIn("Sun, Jan 12: 1 downtime, 30 minutes total", text)
        self.assertIn("Sat, Jan 11: All good!", text)

    def test_check_younger_than_the_periods_has_empty_cells(self) -> None:
        # Spec item 58.
        now = datetime(2020, 1, 1, 10, tzinfo=UTC)
        Check.objects.create(
            project=self.project,
            name="young",
            status=CheckStatus.UP,
            last_ping=now,
            created=datetime(2020, 1, 1, 9, tzinfo=UTC),
        )
        with time_machine.travel(now, tick=False):
            self.assertTrue(send_report(self.profile, timezone.now()))
        text, html = self.parts(self.received(1)[0].message)
        self.assertNotIn("All good!", text + html)
        self.assertIn("November 2019: no data", text)
        self.assertIn("December 2019: no data", text)
        self.assertIn("<td></td><td></td>", html)


NAG_NOW = datetime(2020, 1, 15, 12, tzinfo=UTC)


@time_machine.travel(NAG_NOW, tick=False)
class NagContentTestCase(EmailTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.profile.nag_period = timedelta(hours=1)
        self.profile.save()
        self.down = Check.objects.create(
            project=self.project,
            name="b-down",
            status=CheckStatus.DOWN,
            last_ping=NAG_NOW - timedelta(days=2, hours=3),
        )
        self.up = Check.objects.create(
            project=self.project, name="fine", status=CheckStatus.UP, last_ping=NAG_NOW
        )

    def test_it_lists_only_down_checks(self) -> None:
        self.assertTrue(send_nag(self.profile, timezone.now()))
        [received] = self.received(1)
        message = received.message
        self.assertEqual(message["Subject"], "Reminder: 1 check still down")
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertIn("/accounts/unsubscribe_reports/", message["List-Unsubscribe"])
        text, html = self.parts(message)
        self.assertIn("This is an hourly reminder", text)
        self.assertIn("1 check is still down", text)
        self.assertIn("* DOWN b-down", text)
        self.assertIn("Last ping: 2 days, 3 hours ago", text)
        self.assertNotIn("\xa0", text)
        self.assertNotIn("fine", text + html)
        self.assertIn(f"http://localhost:8000/cloaked/{self.down.unique_key}/", html)
        self.assertNotIn(str(self.down.code), received.data.decode())

    def test_it_includes_checks_computed_down_but_not_yet_marked(self) -> None:
        Check.objects.create(
            project=self.project,
            name="a-late",
            status=CheckStatus.UP,
            last_ping=NAG_NOW - timedelta(days=1, hours=2),
        )
        Check.objects.create(
            project=self.project,
            name="c-never",
            status=CheckStatus.UP,
            last_start=NAG_NOW - timedelta(hours=2),
        )
        self.profile.nag_period = timedelta(days=1)
        self.assertTrue(send_nag(self.profile, timezone.now()))
        message = self.received(1)[0].message
        self.assertEqual(message["Subject"], "Reminder: 3 checks still down")
        text, _ = self.parts(message)
        self.assertIn("This is a daily reminder", text)
        self.assertIn("3 checks are still down", text)
        order = [text.index(name) for name in ("a-late", "b-down", "c-never")]
        self.assertEqual(order, sorted(order))
        self.assertIn("* DOWN c-never\n    Last ping: Never", text)

    def test_it_sends_nothing_when_nothing_is_down(self) -> None:
        self.down.status = CheckStatus.UP
        self.down.last_ping = NAG_NOW
        self.down.save()
        self.assertFalse(send_nag(self.profile, timezone.now()))
        self.received(0)

    def test_paused_checks_are_not_down(self) -> None:
        self.down.status = CheckStatus.PAUSED
        self.down.save()
        self.assertFalse(send_nag(self.profile, timezone.now()))
        self.received(0)


class NaturalKeyTestCase(SimpleTestCase):
    def test_natural_key(self) -> None:
        names = ["job 10", "Job 2", "job 1", "alpha", "job"]
        self.assertEqual(
            sorted(names, key=natural_key), ["alpha", "job", "job 1", "Job 2", "job 10"]
        )

"""Message helpers the email alert shares with other transports (spec §0, §2.9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.test import override_settings

from hc.api.models import Check, CheckStatus, Flip, FlipReason, Ping, PingKind
from hc.integrations import content
from hc.test import BaseTestCase

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


class TextTestCase(BaseTestCase):
    def test_duration_text_shows_the_two_largest_units(self) -> None:
        cases = {
            timedelta(days=2, hours=3, minutes=59): "2 days, 3 hours",
            timedelta(hours=1, minutes=5, seconds=9): "1 hour, 5 minutes",
            timedelta(minutes=4, seconds=10): "4 minutes, 10 seconds",
            timedelta(seconds=12): "12 seconds",
            timedelta(seconds=1): "1 second",
            timedelta(days=1, minutes=5): "1 day",
            timedelta(hours=2): "2 hours",
            timedelta(0): "0 seconds",
        }
        for duration, text in cases.items():
            with self.subTest(duration=str(duration)):
                self.assertEqual(content.duration_text(duration), text)

    def test_period_text_uses_weeks_only_when_exact(self) -> None:
        cases = {
            timedelta(weeks=1): "1 week",
            timedelta(weeks=3): "3 weeks",
            timedelta(days=8): "8 days",
            timedelta(hours=1, minutes=30): "1 hour 30 minutes",
            timedelta(days=1, minutes=1): "1 day 1 minute",
            timedelta(minutes=1): "1 minute",
        }
        for period, text in cases.items():
            with self.subTest(period=str(period)):
                self.assertEqual(content.period_text(period), text)

    def test_relative_time(self) -> None:
        self.assertEqual(content.relative_time(NOW - timedelta(seconds=30), NOW), "just now")
        self.assertEqual(
            content.relative_time(NOW - timedelta(hours=3, minutes=2), NOW), "3 hours ago"
        )
        self.assertEqual(content.relative_time(NOW - timedelta(days=1, hours=5), NOW), "1 day ago")

    @override_settings(SITE_ROOT="https://hc.example.org")
    def test_cloaked_url_hides_the_uuid(self) -> None:
        check = Check(project=self.project)
        url = content.cloaked_url(check)
        self.assertEqual(url, f"https://hc.example.org/cloaked/{check.unique_key}/")
        self.assertNotIn(str(check.code), url)

    def test_email_subject_decodes_and_survives_garbage(self) -> None:
        body = b"Subject: =?utf-8?q?caf=C3=A9_ok?=\r\n\r\nhi"
        self.assertEqual(content.email_subject(body), "caf\u00e9 ok")
        self.assertEqual(content.email_subject(b"\xff\xfe no headers"), "")


class FlipAndPingTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="db")

    def flip(self, minutes_ago: int, old: str, new: str, reason: str = "") -> Flip:
        return Flip.objects.create(
            owner=self.check,
            created=NOW - timedelta(minutes=minutes_ago),
            old_status=old,
            new_status=new,
            reason=reason,
        )

    def test_downtime_is_the_time_since_the_down_flip(self) -> None:
        self.flip(90, "up", "down")
        up = self.flip(5, "down", "up")
        self.assertEqual(content.downtime(up), timedelta(minutes=85))

    def test_downtime_is_unknown_without_a_preceding_down_flip(self) -> None:
        self.flip(90, "new", "paused")
        self.assertIsNone(content.downtime(self.flip(5, "paused", "up")))
        self.assertIsNone(content.downtime(self.flip(4, "up", "down")))

    def test_downtime_is_unknown_for_test_sends(self) -> None:
        dummy = Check(project=self.project)
        flip = Flip(owner=dummy, created=NOW, old_status="down", new_status="up")
        self.assertIsNone(content.downtime(flip))

    def test_reason_text(self) -> None:
        self.assertEqual(
            content.reason_text(self.flip(1, "up", "down", FlipReason.FAIL)),
            "received a failure signal",
        )
        self.assertEqual(content.reason_text(self.flip(1, "down", "up")), "")

    def ping(self, kind: str, exitstatus: int | None = None) -> Ping:
        return Ping(owner=self.check, n=1, created=NOW, kind=kind, exitstatus=exitstatus)

    def test_ping_labels(self) -> None:
        cases = [
            (PingKind.SUCCESS, None, "Success"),
            (PingKind.FAIL, None, "Failure"),
            (PingKind.SUCCESS, 0, "Exit status 0"),
            (PingKind.FAIL, 2, "Exit status 2"),
            (PingKind.START, None, "Start"),
            (PingKind.LOG, None, "Log"),
            (PingKind.IGNORED, 3, "Ignored"),
        ]
        for kind, exitstatus, label in cases:
            with self.subTest(kind=str(kind), exitstatus=exitstatus):
                self.assertEqual(content.ping_kind_label(self.ping(kind, exitstatus)), label)

    def test_last_ping_label(self) -> None:
        ping = self.ping(PingKind.FAIL)
        ping.created = NOW - timedelta(minutes=10)
        self.assertEqual(content.last_ping_label(ping, NOW), "Failure, 10 minutes ago")
        self.assertEqual(content.last_ping_label(None, NOW), "Never")


class OtherDownChecksTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="me", status="down")

    def test_none_when_the_project_has_no_other_checks(self) -> None:
        Check.objects.create(project=self.charlies_project, status=CheckStatus.DOWN)
        self.assertIsNone(content.other_down_checks(self.check))

    def test_it_lists_the_other_down_checks_by_name(self) -> None:
        Check.objects.create(project=self.project, name="zeta", status=CheckStatus.DOWN)
        Check.objects.create(project=self.project, name="Alpha", status=CheckStatus.DOWN)
        Check.objects.create(project=self.project, name="beta", status=CheckStatus.UP)
        others = content.other_down_checks(self.check)
        assert others is not None
        self.assertEqual(others.count, 2)
        self.assertEqual([c.name for c in others.listed], ["Alpha", "zeta"])

    def test_it_says_when_all_others_are_up(self) -> None:
        Check.objects.create(project=self.project, status=CheckStatus.UP)
        others = content.other_down_checks(self.check)
        assert others is not None
        self.assertEqual((others.count, others.listed), (0, []))

    def test_only_the_count_for_more_than_ten(self) -> None:
        for i in range(11):
            Check.objects.create(project=self.project, name=f"c{i}", status=CheckStatus.DOWN)
        others = content.other_down_checks(self.check)
        assert others is not None
        self.assertEqual((others.count, others.listed), (11, []))

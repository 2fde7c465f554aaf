"""Automatic pruning while pinging (spec monitoring.md §8.2, §13 items 60-61)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from hc.accounts.models import Profile
from hc.api.models import (
    Channel,
    ChannelKind,
    Check,
    CheckStatus,
    Flip,
    Notification,
    Ping,
)
from hc.test import BaseTestCase

BASE = datetime(2024, 5, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


class PruneTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="Backup")
        self.channel = Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL)
        self.sent = 0

    def send(self, count: int, step: timedelta = MINUTE, suffix: str = "") -> None:
        """Send `count` more pings; ping #n is created at BASE + (n - 1) * step."""
        for _ in range(count):
            with time_machine.travel(BASE + self.sent * step, tick=False):
                r = self.client.get(f"/ping/{self.check.code}{suffix}")
            self.assert_text(r, 200, "OK")
            self.sent += 1

    def numbers(self, check: Check | None = None) -> list[int]:
        pings = Ping.objects.filter(owner=check or self.check)
        return sorted(pings.values_list("n", flat=True))

    def set_limit(self, limit: int) -> None:
        Profile.objects.filter(user=self.alice).update(ping_log_limit=limit)

    def notification(self, created: datetime, owner: Check | None = None) -> Notification:
        return Notification.objects.create(
            owner=owner or self.check, channel=self.channel, check_status="down", created=created
        )

    def flip(self, created: datetime, owner: Check | None = None) -> Flip:
        return Flip.objects.create(
            owner=owner or self.check,
            created=created,
            processed=created,
            old_status=CheckStatus.UP,
            new_status=CheckStatus.DOWN,
        )


class CadenceTestCase(PruneTestCase):
    def test_nothing_is_deleted_before_the_100th_ping(self) -> None:
        """§13 item 60, first half."""
        self.send(150)
        self.assertEqual(self.numbers(), list(range(1, 151)))

    def test_the_200th_ping_prunes_down_to_the_limit(self) -> None:
        """§13 item 60."""
        self.send(199)
        self.assertEqual(len(self.numbers()), 199)
        self.send(1)
        self.assertEqual(self.numbers(), list(range(101, 201)))
        self.check.refresh_from_db()
        self.assertEqual(self.check.n_pings, 200)

    def test_it_prunes_only_on_multiples_of_100(self) -> None:
        self.set_limit(10)
        self.send(99)
        self.assertEqual(len(self.numbers()), 99)
        self.send(1)
        self.assertEqual(self.numbers(), list(range(91, 101)))
        self.send(5)
        self.assertEqual(self.numbers(), list(range(91, 106)))
        self.send(95)
        self.assertEqual(self.numbers(), list(range(191, 201)))

    def test_every_kind_of_ping_counts(self) -> None:
        self.set_limit(10)
        self.send(99, suffix="/start")
        self.send(1, suffix="/log")
        self.assertEqual(self.numbers(), list(range(91, 101)))

    def test_rejected_pings_do_not_count(self) -> None:
        self.set_limit(10)
        self.send(99)
        r = self.client.get(f"/ping/{self.check.code}?rid=42")
        self.assert_text(r, 400, "invalid uuid format")
        self.assertEqual(len(self.numbers()), 99)
        self.send(1)
        self.assertEqual(self.numbers(), list(range(91, 101)))

    def test_it_uses_the_owners_limit(self) -> None:
        self.set_limit(30)
        # Members' and other users' limits do not matter.
        Profile.objects.exclude(user=self.alice).update(ping_log_limit=1)
        self.send(100)
        self.assertEqual(self.numbers(), list(range(71, 101)))

    def test_it_only_prunes_the_pinged_check(self) -> None:
        other = Check.objects.create(project=self.project, name="Other")
        with time_machine.travel(BASE, tick=False):
            self.client.get(f"/ping/{other.code}")
        self.notification(BASE - DAY, owner=other)
        self.flip(BASE - 200 * DAY, owner=other)
        self.set_limit(10)
        self.send(100)
        self.assertEqual(self.numbers(other), [1])
        self.assertEqual(Notification.objects.filter(owner=other).count(), 1)
        self.assertEqual(Flip.objects.filter(owner=other).count(), 2)

    def test_a_raised_limit_keeps_everything(self) -> None:
        """§13 item 61."""
        self.send(150)
        self.set_limit(1000)
        self.send(50)
        self.assertEqual(self.numbers(), list(range(1, 201)))

    def test_pruned_pings_do_not_come_back(self) -> None:
        """§13 item 61, after an earlier prune."""
        self.send(200)
        self.set_limit(1000)
        self.send(100)
        self.assertEqual(self.numbers(), list(range(101, 301)))


class RelatedRowsTestCase(PruneTestCase):
    def test_it_deletes_notifications_older_than_the_oldest_kept_ping(self) -> None:
        """§13 item 60: ping #101 is the oldest kept ping."""
        ping_101 = BASE + 100 * MINUTE
        older = self.notification(ping_101 - timedelta(microseconds=1))
        same = self.notification(ping_101)
        newer = self.notification(ping_101 + MINUTE)
        test_notification = Notification.objects.create(
            owner=None, channel=self.channel, check_status="down", created=BASE - 300 * DAY
        )
        self.send(199)
        self.assertEqual(Notification.objects.count(), 4)

        self.send(1)
        remaining = set(Notification.objects.all())
        self.assertEqual(remaining, {same, newer, test_notification})
        self.assertNotIn(older, remaining)

    def test_it_keeps_flips_younger_than_93_days(self) -> None:
        """Pings a minute apart: now - 93 days is the earlier cutoff."""
        now = BASE + 199 * MINUTE  # the 200th ping
        too_old = self.flip(now - 93 * DAY - MINUTE)
        at_cutoff = self.flip(now - 93 * DAY)
        recent = self.flip(now - 92 * DAY)  # older than every kept ping, yet kept
        self.send(200)
        flips = set(Flip.objects.filter(owner=self.check))
        self.assertNotIn(too_old, flips)
        self.assertIn(at_cutoff, flips)
        self.assertIn(recent, flips)
        # The new -> up flip of ping #1 (older than every kept ping) survives too.
        self.assertTrue(Flip.objects.filter(old_status=CheckStatus.NEW, created=BASE).exists())

    def test_it_keeps_flips_newer_than_the_oldest_kept_ping(self) -> None:
        """Pings a day apart: the oldest kept ping is the earlier cutoff."""
        ping_101 = BASE + 100 * DAY
        now = BASE + 199 * DAY
        self.assertLess(ping_101, now - 93 * DAY)
        too_old = self.flip(ping_101 - MINUTE)
        at_ping_101 = self.flip(ping_101)
        newer = self.flip(ping_101 + 3 * DAY)  # older than 93 days, yet kept
        self.assertLess(newer.created, now - 93 * DAY)
        self.send(200, step=DAY)
        flips = set(Flip.objects.filter(owner=self.check))
        self.assertNotIn(too_old, flips)
        self.assertIn(at_ping_101, flips)
        self.assertIn(newer, flips)
        # The new -> up flip of ping #1 is older than both cutoffs.
        self.assertFalse(Flip.objects.filter(old_status=CheckStatus.NEW).exists())

    def test_it_prunes_nothing_else_when_no_ping_remains(self) -> None:
        self.set_limit(0)
        notification = self.notification(BASE - 300 * DAY)
        flip = self.flip(BASE - 300 * DAY)
        self.send(100)
        self.assertEqual(self.numbers(), [])
        self.assertTrue(Notification.objects.filter(id=notification.id).exists())
        self.assertTrue(Flip.objects.filter(id=flip.id).exists())

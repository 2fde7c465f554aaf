"""The check state machine, driven by HTTP pings.

Spec monitoring.md §4.5 (transition table), §4.6 (run ids and durations) and the
edge cases §13 items 16-31 and 33-38. Every test pings through the real URL and
asserts on the stored Check, Flip and Ping rows.
"""

from __future__ import annotations

import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test import Client, TransactionTestCase, override_settings

from hc.accounts.models import Profile, Project
from hc.api.models import (
    Check,
    CheckStatus,
    Flip,
    FlipReason,
    Methods,
    Ping,
    PingKind,
    Status,
)
from hc.test import PING_KEY, BaseTestCase, stored_body

RID_A = uuid.UUID("5d2c7f0a-1b3e-4c9d-8a76-0e4f2b1c3d5a")
RID_B = uuid.UUID("0e4f2b1c-3d5a-4c9d-8a76-5d2c7f0a1b3e")
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    return datetime(2024, 5, day, hour, minute, tzinfo=UTC)


class SignalTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="Backup", slug="backup")

    def set_state(self, **fields: object) -> None:
        Check.objects.filter(id=self.check.id).update(**fields)
        self.check.refresh_from_db()

    def ping(
        self,
        suffix: str = "",
        when: datetime | None = None,
        rid: uuid.UUID | None = None,
        body: bytes = b"",
        method: str = "POST",
    ) -> Check:
        when = when or at(10)
        url = f"/ping/{self.check.code}{suffix}"
        if rid is not None:
            url += f"?rid={rid}"
        with time_machine.travel(when, tick=False):
            r = self.client.generic(method, url, body, content_type="text/plain")
        self.assert_text(r, 200, "" if method == "HEAD" else "OK")
        self.check.refresh_from_db()
        return self.check

    def latest_ping(self) -> Ping:
        return Ping.objects.filter(owner=self.check).latest("n")

    def only_flip(self) -> Flip:
        flips = list(Flip.objects.filter(owner=self.check))
        self.assertEqual(len(flips), 1)
        return flips[0]

    def assert_flip(self, old: str, new: str, reason: str, when: datetime) -> None:
        flip = self.only_flip()
        self.assertEqual(flip.old_status, old)
        self.assertEqual(flip.new_status, new)
        self.assertEqual(flip.reason, reason)
        self.assertEqual(flip.created, when)
        self.assertIsNone(flip.processed)

    def assert_no_flips(self) -> None:
        self.assertFalse(Flip.objects.filter(owner=self.check).exists())


class NewCheckTestCase(SignalTestCase):
    """Row `new` of the transition table."""

    def test_success_makes_it_up_with_a_flip(self) -> None:
        check = self.ping(when=at(10))
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.last_ping, at(10))
        self.assertEqual(check.alert_after, at(10) + DAY + HOUR)
        self.assertEqual(check.n_pings, 1)
        self.assert_flip(CheckStatus.NEW, CheckStatus.UP, FlipReason.UNKNOWN, at(10))
        ping = self.latest_ping()
        self.assertEqual((ping.n, ping.kind, ping.created), (1, PingKind.SUCCESS, at(10)))

    def test_fail_makes_it_down_with_a_fail_flip(self) -> None:
        """§13 item 26."""
        check = self.ping("/fail", when=at(10))
        self.assertEqual(check.status, CheckStatus.DOWN)
        self.assertEqual(check.last_ping, at(10))
        self.assertIsNone(check.alert_after)
        self.assert_flip(CheckStatus.NEW, CheckStatus.DOWN, FlipReason.FAIL, at(10))
        self.assertEqual(self.latest_ping().kind, PingKind.FAIL)

    def test_start_keeps_it_new_and_arms_a_deadline(self) -> None:
        """§13 item 21."""
        check = self.ping("/start", when=at(10))
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertEqual(check.last_start, at(10))
        self.assertIsNone(check.last_start_rid)
        self.assertIsNone(check.last_ping)
        self.assertEqual(check.alert_after, at(11))
        self.assertEqual(check.get_status(with_started=True, now=at(10, 30)), Status.STARTED)
        self.assertEqual(check.get_status(now=at(11)), Status.DOWN)
        self.assert_no_flips()

    def test_log_changes_nothing_but_the_counter(self) -> None:
        """§13 item 27."""
        check = self.ping("/log", when=at(10), body=b"hello")
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertIsNone(check.last_ping)
        self.assertIsNone(check.last_start)
        self.assertIsNone(check.alert_after)
        self.assertEqual(check.n_pings, 1)
        ping = self.latest_ping()
        self.assertEqual(ping.kind, PingKind.LOG)
        self.assertEqual(stored_body(ping), b"hello")
        self.assert_no_flips()

    def test_an_ignored_ping_changes_nothing_but_the_counter(self) -> None:
        self.set_state(methods=Methods.POST)
        check = self.ping(method="GET")
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertIsNone(check.last_ping)
        self.assertIsNone(check.alert_after)
        self.assertEqual(check.n_pings, 1)
        self.assertEqual(self.latest_ping().kind, PingKind.IGNORED)
        self.assert_no_flips()


class UpCheckTestCase(SignalTestCase):
    """Row `up` (including late) of the transition table."""

    def setUp(self) -> None:
        super().setUp()
        self.set_state(status=CheckStatus.UP, last_ping=at(0), alert_after=at(1, day=2), n_pings=5)

    def test_success_moves_the_deadline_forward_without_a_flip(self) -> None:
        check = self.ping(when=at(10))
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.last_ping, at(10))
        self.assertEqual(check.alert_after, at(11, day=2))
        self.assertEqual(check.n_pings, 6)
        self.assertEqual(self.latest_ping().n, 6)
        self.assert_no_flips()

    def test_success_while_late_keeps_it_up_without_a_flip(self) -> None:
        late = at(0, 30, day=2)
        self.assertEqual(self.check.get_status(now=late), Status.GRACE)
        check = self.ping(when=late)
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.alert_after, late + DAY + HOUR)
        self.assertEqual(check.get_status(now=late), Status.UP)
        self.assert_no_flips()

    def test_fail_makes_it_down_with_a_fail_flip(self) -> None:
        check = self.ping("/fail", when=at(10))
        self.assertEqual(check.status, CheckStatus.DOWN)
        self.assertEqual(check.last_ping, at(10))
        self.assertIsNone(check.alert_after)
        self.assert_flip(CheckStatus.UP, CheckStatus.DOWN, FlipReason.FAIL, at(10))

    def test_a_nonzero_exit_status_is_a_failure(self) -> None:
        check = self.ping("/3", when=at(10))
        self.assertEqual(check.status, CheckStatus.DOWN)
        self.assert_flip(CheckStatus.UP, CheckStatus.DOWN, FlipReason.FAIL, at(10))
        self.assertEqual(self.latest_ping().exitstatus, 3)

    def test_start_keeps_it_up_and_takes_the_earlier_deadline(self) -> None:
        check = self.ping("/start", when=at(10))
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.last_ping, at(0))
        self.assertEqual(check.last_start, at(10))
        self.assertEqual(check.alert_after, at(11))
        self.assert_no_flips()

    def test_start_after_the_regular_deadline_keeps_the_regular_deadline(self) -> None:
        # Started while already late: min(deadline, start) is the deadline.
        check = self.ping("/start", when=at(0, 30, day=2))
        self.assertEqual(check.alert_after, at(1, day=2))

    def test_log_changes_nothing_but_the_counter(self) -> None:
        check = self.ping("/log", when=at(10))
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.last_ping, at(0))
        self.assertEqual(check.alert_after, at(1, day=2))
        self.assertEqual(check.n_pings, 6)
        self.assert_no_flips()

    def test_an_ignored_ping_changes_nothing_but_the_counter(self) -> None:
        self.set_state(methods=Methods.POST)
        check = self.ping("/fail", when=at(10), method="GET")
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.last_ping, at(0))
        self.assertEqual(check.alert_after, at(1, day=2))
        self.assertEqual(self.latest_ping().kind, PingKind.IGNORED)
        self.assert_no_flips()

    def test_alert_after_is_recomputed_on_every_ping(self) -> None:
        # A stale stored value is corrected even by a log ping.
        self.set_state(alert_after=at(5))
        check = self.ping("/log", when=at(10))
        self.assertEqual(check.alert_after, at(1, day=2))


class DownCheckTestCase(SignalTestCase):
    """Row `down` of the transition table."""

    def setUp(self) -> None:
        super().setUp()
        self.set_state(status=CheckStatus.DOWN, last_ping=at(0), alert_after=None)

    def test_success_makes_it_up_with_a_flip(self) -> None:
        check = self.ping(when=at(10))
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.alert_after, at(10) + DAY + HOUR)
        self.assert_flip(CheckStatus.DOWN, CheckStatus.UP, FlipReason.UNKNOWN, at(10))

    def test_fail_while_down_only_updates_last_ping(self) -> None:
        """§13 item 25."""
        check = self.ping("/fail", when=at(10))
        self.assertEqual(check.status, CheckStatus.DOWN)
        self.assertEqual(check.last_ping, at(10))
        self.assertIsNone(check.alert_after)
        self.assert_no_flips()

    def test_start_keeps_it_down_and_shows_started(self) -> None:
        """§13 item 28."""
        check = self.ping("/start", when=at(10))
        self.assertEqual(check.status, CheckStatus.DOWN)
        self.assertEqual(check.last_start, at(10))
        self.assertIsNone(check.alert_after)
        self.assertEqual(check.get_status(with_started=True, now=at(10, 30)), Status.STARTED)
        self.assertEqual(check.get_status(now=at(10, 30)), Status.DOWN)
        self.assert_no_flips()

        check = self.ping(when=at(10, 20))
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertIsNone(check.last_start)
        self.assertEqual(check.last_duration, timedelta(minutes=20))
        self.assert_flip(CheckStatus.DOWN, CheckStatus.UP, FlipReason.UNKNOWN, at(10, 20))

    def test_log_changes_nothing(self) -> None:
        check = self.ping("/log", when=at(10))
        self.assertEqual(check.status, CheckStatus.DOWN)
        self.assertEqual(check.last_ping, at(0))
        self.assertIsNone(check.alert_after)
        self.assert_no_flips()


class PausedCheckTestCase(SignalTestCase):
    """Rows `paused` of the transition table; §13 items 22-24."""

    def setUp(self) -> None:
        super().setUp()
        self.set_state(status=CheckStatus.PAUSED, last_ping=at(0), alert_after=None)

    def test_success_makes_it_up_with_a_flip(self) -> None:
        check = self.ping(when=at(10))
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.alert_after, at(10) + DAY + HOUR)
        self.assert_flip(CheckStatus.PAUSED, CheckStatus.UP, FlipReason.UNKNOWN, at(10))

    def test_fail_makes_it_down_with_a_fail_flip(self) -> None:
        check = self.ping("/fail", when=at(10))
        self.assertEqual(check.status, CheckStatus.DOWN)
        self.assertIsNone(check.alert_after)
        self.assert_flip(CheckStatus.PAUSED, CheckStatus.DOWN, FlipReason.FAIL, at(10))

    def test_start_keeps_it_paused_and_arms_a_deadline(self) -> None:
        check = self.ping("/start", when=at(10))
        self.assertEqual(check.status, CheckStatus.PAUSED)
        self.assertEqual(check.last_start, at(10))
        self.assertEqual(check.last_ping, at(0))
        self.assertEqual(check.alert_after, at(11))
        self.assertEqual(check.get_status(now=at(10, 59)), Status.PAUSED)
        self.assertEqual(check.get_status(now=at(11)), Status.DOWN)
        self.assert_no_flips()

    def test_log_changes_nothing(self) -> None:
        check = self.ping("/log", when=at(10))
        self.assertEqual(check.status, CheckStatus.PAUSED)
        self.assertIsNone(check.alert_after)
        self.assert_no_flips()

    def test_with_manual_resume_every_ping_is_ignored(self) -> None:
        self.set_state(manual_resume=True)
        suffixes = ["", "/fail", "/start", "/log", "/0", "/1"]
        for i, suffix in enumerate(suffixes):
            with self.subTest(suffix=suffix):
                check = self.ping(suffix, when=at(10, i), rid=RID_A)
                self.assertEqual(check.n_pings, i + 1)
                ping = self.latest_ping()
                self.assertEqual(ping.kind, PingKind.IGNORED)
                self.assertEqual(ping.rid, RID_A)
        check = self.check
        self.assertEqual(check.status, CheckStatus.PAUSED)
        self.assertEqual(check.last_ping, at(0))
        self.assertIsNone(check.last_start)
        self.assertIsNone(check.last_start_rid)
        self.assertIsNone(check.alert_after)
        self.assert_no_flips()


class RunIdTestCase(SignalTestCase):
    """§4.6 completion rules and §13 items 16-19."""

    def setUp(self) -> None:
        super().setUp()
        self.set_state(status=CheckStatus.UP, last_ping=at(0))

    def test_start_records_time_and_rid(self) -> None:
        check = self.ping("/start", when=at(10), rid=RID_A)
        self.assertEqual(check.last_start, at(10))
        self.assertEqual(check.last_start_rid, RID_A)
        self.assertEqual(self.latest_ping().rid, RID_A)

    def test_a_new_start_overwrites_the_previous_one(self) -> None:
        self.ping("/start", when=at(10), rid=RID_A)
        check = self.ping("/start", when=at(10, 10))
        self.assertEqual(check.last_start, at(10, 10))
        self.assertIsNone(check.last_start_rid)
        self.assertEqual(check.alert_after, at(11, 10))

    def test_success_with_the_same_rid_measures_the_duration(self) -> None:
        self.ping("/start", when=at(10), rid=RID_A)
        check = self.ping(when=at(10, 5), rid=RID_A)
        self.assertIsNone(check.last_start)
        self.assertEqual(check.last_duration, timedelta(minutes=5))
        self.assertEqual(check.alert_after, at(10, 5) + DAY + HOUR)

    def test_success_without_rids_measures_the_duration(self) -> None:
        self.ping("/start", when=at(10))
        check = self.ping(when=at(10, 7))
        self.assertIsNone(check.last_start)
        self.assertEqual(check.last_duration, timedelta(minutes=7))

    def test_fail_with_the_same_rid_measures_the_duration(self) -> None:
        self.ping("/start", when=at(10), rid=RID_A)
        check = self.ping("/fail", when=at(10, 5), rid=RID_A)
        self.assertIsNone(check.last_start)
        self.assertEqual(check.last_duration, timedelta(minutes=5))
        self.assertEqual(check.status, CheckStatus.DOWN)

    def test_start_then_fail_with_a_different_rid(self) -> None:
        """§13 item 16."""
        self.ping("/start", when=at(10), rid=RID_A)
        check = self.ping("/fail", when=at(10, 5), rid=RID_B)
        self.assertIsNone(check.last_start)
        self.assertIsNone(check.last_duration)
        self.assertEqual(check.status, CheckStatus.DOWN)
        self.assertIsNone(check.alert_after)
        self.assert_flip(CheckStatus.UP, CheckStatus.DOWN, FlipReason.FAIL, at(10, 5))

    def test_fail_without_rid_clears_a_start_with_rid(self) -> None:
        self.ping("/start", when=at(10), rid=RID_A)
        check = self.ping("/fail", when=at(10, 5))
        self.assertIsNone(check.last_start)
        self.assertIsNone(check.last_duration)

    def test_start_start_then_success_for_the_first_run(self) -> None:
        """§13 item 17."""
        self.ping("/start", when=at(10), rid=RID_A)
        self.ping("/start", when=at(10, 10), rid=RID_B)
        check = self.ping(when=at(10, 20), rid=RID_A)
        self.assertEqual(check.last_start, at(10, 10))
        self.assertEqual(check.last_start_rid, RID_B)
        self.assertIsNone(check.last_duration)
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.last_ping, at(10, 20))
        # Run B is still watched: the check goes down at 10:10 + grace.
        self.assertEqual(check.alert_after, at(11, 10))
        self.assertEqual(check.get_status(now=at(11, 9)), Status.UP)
        self.assertEqual(check.get_status(now=at(11, 10)), Status.DOWN)
        pings = list(Ping.objects.filter(owner=check).order_by("n"))
        self.assertEqual([p.rid for p in pings], [RID_A, RID_B, RID_A])

    def test_start_without_rid_then_success_with_rid(self) -> None:
        """§13 item 18."""
        self.ping("/start", when=at(10))
        check = self.ping(when=at(10, 5), rid=RID_A)
        self.assertEqual(check.last_start, at(10))
        self.assertIsNone(check.last_duration)
        self.assertEqual(check.alert_after, at(11))
        self.assertEqual(check.get_status(now=at(11)), Status.DOWN)

    def test_start_with_rid_then_success_without_rid(self) -> None:
        """§13 item 19."""
        self.ping("/start", when=at(10), rid=RID_A)
        check = self.ping(when=at(10, 5))
        self.assertIsNone(check.last_start)
        self.assertIsNone(check.last_duration)
        self.assertEqual(check.alert_after, at(10, 5) + DAY + HOUR)

    def test_a_completion_without_start_clears_the_last_duration(self) -> None:
        self.set_state(last_duration=timedelta(minutes=3))
        check = self.ping(when=at(10))
        self.assertIsNone(check.last_duration)

    def test_log_and_ignored_pings_do_not_complete_a_run(self) -> None:
        self.ping("/start", when=at(10), rid=RID_A)
        check = self.ping("/log", when=at(10, 1), rid=RID_A)
        self.assertEqual(check.last_start, at(10))
        self.set_state(methods=Methods.POST)
        check = self.ping(when=at(10, 2), rid=RID_A, method="GET")
        self.assertEqual(self.latest_ping().kind, PingKind.IGNORED)
        self.assertEqual(check.last_start, at(10))
        self.assertEqual(check.last_start_rid, RID_A)
        self.assertEqual(check.last_ping, at(0))
        self.assertIsNone(check.last_duration)

    def test_the_upper_case_rid_matches_the_lower_case_start(self) -> None:
        """§17.2 of ping-api.md."""
        self.ping("/start", when=at(10), rid=RID_A)
        url = f"/ping/{self.check.code}?rid={str(RID_A).upper()}"
        with time_machine.travel(at(10, 1), tick=False):
            self.assert_text(self.client.post(url), 200, "OK")
        self.check.refresh_from_db()
        self.assertIsNone(self.check.last_start)
        self.assertEqual(self.check.last_duration, timedelta(minutes=1))


class RunTimeLimitTestCase(SignalTestCase):
    """§13 items 20-22: a start arms a "finish within grace" deadline."""

    def test_run_time_limit_on_an_up_check(self) -> None:
        """§13 item 20."""
        self.ping(when=at(0))
        check = self.ping("/start", when=at(23, 30))
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.alert_after, at(0, 30, day=2))

    def test_a_new_check_that_only_starts(self) -> None:
        """§13 item 21."""
        check = self.ping("/start", when=at(10))
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertEqual(check.alert_after, at(11))

    def test_a_paused_check_without_manual_resume_receives_start(self) -> None:
        """§13 item 22."""
        self.set_state(status=CheckStatus.PAUSED)
        check = self.ping("/start", when=at(10))
        self.assertEqual(check.status, CheckStatus.PAUSED)
        self.assertEqual(check.last_start, at(10))
        self.assertEqual(check.alert_after, at(11))

    def test_a_paused_check_with_manual_resume_ignores_everything(self) -> None:
        """§13 item 23."""
        self.set_state(status=CheckStatus.PAUSED, manual_resume=True)
        for n, suffix in enumerate(["", "/fail", "/start", "/log"], start=1):
            check = self.ping(suffix, when=at(10, n))
            self.assertEqual(check.n_pings, n)
            self.assertEqual(check.status, CheckStatus.PAUSED)
            self.assertIsNone(check.last_ping)
            self.assertIsNone(check.last_start)
            self.assertIsNone(check.alert_after)
        kinds = list(Ping.objects.filter(owner=self.check).values_list("kind", flat=True))
        self.assertEqual(kinds, [PingKind.IGNORED] * 4)
        self.assert_no_flips()

    def test_a_paused_check_without_manual_resume_receives_success(self) -> None:
        """§13 item 24, success."""
        self.set_state(status=CheckStatus.PAUSED)
        self.ping(when=at(10))
        self.assert_flip(CheckStatus.PAUSED, CheckStatus.UP, FlipReason.UNKNOWN, at(10))

    def test_a_paused_check_without_manual_resume_receives_fail(self) -> None:
        """§13 item 24, fail."""
        self.set_state(status=CheckStatus.PAUSED)
        self.ping("/fail", when=at(10))
        self.assert_flip(CheckStatus.PAUSED, CheckStatus.DOWN, FlipReason.FAIL, at(10))


class ClassificationTestCase(SignalTestCase):
    """§13 items 29-31."""

    def test_a_post_only_check_pinged_with_get_exit_status(self) -> None:
        """§13 item 29."""
        self.set_state(methods=Methods.POST)
        check = self.ping("/1", method="GET")
        ping = self.latest_ping()
        self.assertEqual(ping.kind, PingKind.IGNORED)
        self.assertEqual(ping.exitstatus, 1)
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assert_no_flips()

    def test_body_keywords_override_the_url(self) -> None:
        """§13 item 30."""
        self.set_state(filter_http_body=True, success_kw="OK")
        check = self.ping("/fail", body=b"all OK")
        self.assertEqual(self.latest_ping().kind, PingKind.SUCCESS)
        self.assertEqual(check.status, CheckStatus.UP)
        self.assert_flip(CheckStatus.NEW, CheckStatus.UP, FlipReason.UNKNOWN, at(10))

    def test_filtering_an_empty_head_request(self) -> None:
        """§13 item 31."""
        self.set_state(filter_http_body=True, success_kw="OK")
        self.ping(method="HEAD")
        self.assertEqual(self.latest_ping().kind, PingKind.IGNORED)
        self.set_state(filter_default_fail=True)
        self.ping(method="HEAD")
        self.assertEqual(self.latest_ping().kind, PingKind.FAIL)

    def test_filtering_without_keywords_ignores_or_fails_everything(self) -> None:
        """§13 item 31, no keywords configured."""
        self.set_state(filter_http_body=True)
        for suffix in ["", "/start", "/fail", "/log", "/0"]:
            self.ping(suffix, body=b"OK ERROR start")
            self.assertEqual(self.latest_ping().kind, PingKind.IGNORED)
        self.set_state(filter_default_fail=True)
        for suffix in ["", "/start", "/log", "/0"]:
            self.ping(suffix, body=b"OK ERROR start")
            self.assertEqual(self.latest_ping().kind, PingKind.FAIL)

    def test_a_non_utf8_body_with_filtering_on(self) -> None:
        """§13 item 32 (divergence D2)."""
        self.set_state(filter_http_body=True, success_kw="World")
        self.ping(body=b"Hello \xe9 World")
        ping = self.latest_ping()
        self.assertEqual(ping.kind, PingKind.SUCCESS)
        self.assertEqual(stored_body(ping), b"Hello \xe9 World")


class EdgeCaseTestCase(SignalTestCase):
    """§13 items 33-36 and 38."""

    def test_exit_status_limits(self) -> None:
        """§13 item 33."""
        self.ping("/0")
        ping = self.latest_ping()
        self.assertEqual((ping.kind, ping.exitstatus), (PingKind.SUCCESS, 0))
        self.ping("/255")
        ping = self.latest_ping()
        self.assertEqual((ping.kind, ping.exitstatus), (PingKind.FAIL, 255))

        self.assert_text(self.client.get(f"/ping/{self.check.code}/256"), 400, "invalid url format")
        self.assert_text(self.client.get(f"/ping/{self.check.code}/-1"), 404, "not found")
        self.check.refresh_from_db()
        self.assertEqual(self.check.n_pings, 2)
        self.assertEqual(Ping.objects.count(), 2)

    def test_run_id_format(self) -> None:
        """§13 item 34."""
        r = self.client.get(f"/ping/{self.check.code}?rid=12345")
        self.assert_text(r, 400, "invalid uuid format")
        self.assertFalse(Ping.objects.exists())
        self.ping(rid=RID_A)  # sent as lower case by ping()
        url = f"/ping/{self.check.code}/start?rid={str(RID_B).upper()}"
        self.assert_text(self.client.get(url), 200, "OK")
        self.assertEqual(self.latest_ping().rid, RID_B)
        self.check.refresh_from_db()
        self.assertEqual(self.check.last_start_rid, RID_B)

    def test_slug_edge_cases(self) -> None:
        """§13 item 35."""
        self.assert_text(self.client.get(f"/ping/{PING_KEY}/Backup"), 400, "invalid url format")
        twin = Check.objects.create(project=self.project, slug="backup")
        self.assert_text(self.client.get(f"/ping/{PING_KEY}/backup"), 409, "ambiguous slug")
        self.assertFalse(Ping.objects.exists())
        twin.delete()

        Profile.objects.filter(user=self.alice).update(check_limit=20)
        Check.objects.bulk_create(Check(project=self.project) for _ in range(38))
        self.assertEqual(Check.objects.filter(project__owner=self.alice).count(), 39)
        r = self.client.get(f"/ping/{PING_KEY}/web-01?create=1")
        self.assert_text(r, 201, "Created")
        r = self.client.get(f"/ping/{PING_KEY}/web-02?create=1")
        self.assert_text(r, 404, "not found")
        self.assertFalse(Check.objects.filter(slug="web-02").exists())

    def test_body_larger_than_the_limit(self) -> None:
        """§13 item 36."""
        body = b"0123456789" * 1200
        r = self.client.post(f"/ping/{self.check.code}", body, content_type="text/plain")
        self.assertEqual(r["Ping-Body-Limit"], "10000")
        self.assertEqual(stored_body(self.latest_ping()), body[:10000])
        with override_settings(PING_BODY_LIMIT=None):
            r = self.client.post(f"/ping/{self.check.code}", body, content_type="text/plain")
        self.assertFalse(r.has_header("Ping-Body-Limit"))
        self.assertEqual(stored_body(self.latest_ping()), body)

    def test_confirm_in_the_body(self) -> None:
        """§13 item 38."""
        check = self.ping(body=b"Please Confirm")
        self.assertTrue(check.has_confirmation_link)
        check = self.ping(body=b"Thanks")
        self.assertFalse(check.has_confirmation_link)


@contextmanager
def sqlite_file_database() -> Iterator[None]:
    """On SQLite, run against a file database, as production does.

    The in-memory test database is opened in shared-cache mode, where a
    connection that meets another's write lock fails at once with "database
    table is locked": SQLite's busy timeout only covers file locks. With a file
    database, concurrent writers wait (the settings' timeout and BEGIN
    IMMEDIATE), which is what this test is about. Elsewhere: no change.
    """
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the proxy
    if not isinstance(db, SQLiteWrapper) or not db.is_in_memory_db():
        yield
        return
    # Closing the last connection to the in-memory database would drop it, so
    # keep that connection open aside while the file database is in use.
    in_memory, db.connection = db.connection, None
    original_name = db.settings_dict["NAME"]
    with tempfile.TemporaryDirectory() as tmp:
        db.settings_dict["NAME"] = str(Path(tmp) / "concurrency.sqlite3")
        try:
            call_command("migrate", verbosity=0, interactive=False)
            yield
        finally:
            db.close()
            db.settings_dict["NAME"] = original_name
            db.connection = in_memory


class ConcurrentPingsTestCase(TransactionTestCase):
    """§13 item 37: simultaneous pings serialise on the check's row lock.

    A TransactionTestCase, because each thread needs its own connection and
    must see committed rows; TestCase would keep everything in one uncommitted
    transaction that other connections cannot see.
    """

    THREADS = 2
    PINGS_PER_THREAD = 5

    @classmethod
    def setUpClass(cls) -> None:
        cls.enterClassContext(sqlite_file_database())
        super().setUpClass()

    def setUp(self) -> None:
        alice = User.objects.create_user("alice", "alice@example.org", "password")
        Profile.objects.create(user=alice)
        project = Project.objects.create(owner=alice, badge_key="alice", ping_key=PING_KEY)
        self.check = Check.objects.create(project=project, name="Backup")

    def fire(self, url: str, pings_per_thread: int = PINGS_PER_THREAD) -> list[int]:
        barrier = threading.Barrier(self.THREADS)
        statuses: list[int] = []
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                client = Client()
                barrier.wait(timeout=10)
                statuses.extend(client.get(url).status_code for _ in range(pings_per_thread))
            except BaseException as e:  # reported by the main thread
                errors.append(e)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(self.THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        return statuses

    def test_concurrent_pings_get_consecutive_numbers_and_one_flip(self) -> None:
        total = self.THREADS * self.PINGS_PER_THREAD
        statuses = self.fire(f"/ping/{self.check.code}")
        self.assertEqual(statuses, [200] * total)

        self.check.refresh_from_db()
        self.assertEqual(self.check.n_pings, total)
        self.assertEqual(self.check.status, CheckStatus.UP)
        numbers = sorted(Ping.objects.filter(owner=self.check).values_list("n", flat=True))
        self.assertEqual(numbers, list(range(1, total + 1)))
        flips = list(Flip.objects.filter(owner=self.check))
        self.assertEqual(len(flips), 1)
        self.assertEqual((flips[0].old_status, flips[0].new_status), ("new", "up"))

    def test_concurrent_slug_pings_get_consecutive_numbers(self) -> None:
        self.check.slug = "backup"
        self.check.save()
        total = self.THREADS * self.PINGS_PER_THREAD
        statuses = self.fire(f"/ping/{PING_KEY}/backup/fail")
        self.assertEqual(statuses, [200] * total)
        self.check.refresh_from_db()
        self.assertEqual(self.check.n_pings, total)
        numbers = sorted(Ping.objects.filter(owner=self.check).values_list("n", flat=True))
        self.assertEqual(numbers, list(range(1, total + 1)))
        self.assertEqual(Flip.objects.filter(owner=self.check).count(), 1)

    def test_concurrent_auto_provisioning_creates_one_check(self) -> None:
        statuses = self.fire(f"/ping/{PING_KEY}/web-01?create=1", pings_per_thread=1)
        self.assertEqual(sorted(statuses), [200, 201])
        check = Check.objects.get(slug="web-01")
        self.assertEqual(check.n_pings, 2)
        numbers = sorted(Ping.objects.filter(owner=check).values_list("n", flat=True))
        self.assertEqual(numbers, [1, 2])

"""The merged event list behind the details page and the log (hc/front/events.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hc.api.models import Channel, Check, Flip, Notification, Ping
from hc.api.run_durations import MAX_LOOKBACKS
from hc.front import events
from hc.front.events import Filters, FlipRow, NotificationRow, PingRow
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
RID = uuid.UUID(int=1)
OTHER_RID = uuid.UUID(int=2)


class EventsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project)

    def ping(self, minutes_ago: float, kind: str = "success", **fields: object) -> Ping:
        self.check_.n_pings += 1
        self.check_.save(update_fields=["n_pings"])
        created = NOW - timedelta(minutes=minutes_ago)
        return Ping.objects.create(
            owner=self.check_, n=self.check_.n_pings, created=created, kind=kind, **fields
        )

    def durations(self, limit: int = 30, filters: Filters | None = None) -> dict[int, str]:
        rows = events.check_events(self.check_, limit, filters or Filters())
        return {
            row.ping.n: str(row.duration)
            for row in rows
            if isinstance(row, PingRow) and row.duration is not None
        }

    def test_a_run_lasts_from_its_start_to_its_end(self) -> None:
        self.ping(30, "start")
        self.ping(25, "log")
        self.ping(20)
        self.ping(10, "fail")
        self.assertEqual(self.durations(), {3: "0:10:00"})

    def test_run_ids_pair_starts_and_ends(self) -> None:
        self.ping(30, "start", rid=RID)
        self.ping(25, "start", rid=OTHER_RID)
        self.ping(20, rid=RID)
        self.ping(5, rid=OTHER_RID)
        self.ping(4)  # no rid, no start without one
        self.assertEqual(self.durations(), {3: "0:10:00", 4: "0:20:00"})

    def test_runs_over_72_hours_have_no_duration(self) -> None:
        self.ping(73 * 60, "start")
        self.ping(0)
        self.assertEqual(self.durations(), {})

    def test_a_start_before_the_listed_pings_is_looked_up(self) -> None:
        self.ping(60, "start", rid=RID)
        for minutes in range(50, 20, -1):
            self.ping(minutes, "log")
        self.ping(10, rid=RID)
        self.assertEqual(self.durations(limit=5), {32: "0:50:00"})

    def test_look_ups_are_bounded(self) -> None:
        for i in range(MAX_LOOKBACKS + 2):
            self.ping(100 - i, "start", rid=uuid.UUID(int=100 + i))
        for i in range(MAX_LOOKBACKS + 2):
            self.ping(50 - i, rid=uuid.UUID(int=100 + i))
        found = self.durations(limit=MAX_LOOKBACKS + 2)
        # The newest ones are looked up, the rest go without.
        self.assertEqual(len(found), MAX_LOOKBACKS)
        self.assertIn(self.check_.n_pings, found)

    def test_a_filtered_list_still_knows_durations(self) -> None:
        self.ping(30, "start")
        self.ping(20)
        self.ping(15, "start")
        self.ping(10, "fail")
        filters = Filters(kinds=frozenset({"fail"}))
        self.assertEqual(self.durations(filters=filters), {4: "0:05:00"})

    def test_a_flip_sorts_above_its_ping_and_an_alert_above_its_flip(self) -> None:
        ping = self.ping(10)
        flip = Flip.objects.create(
            owner=self.check_, created=ping.created, old_status="up", new_status="down"
        )
        channel = Channel.objects.create(project=self.project, kind="email")
        Notification.objects.create(
            owner=self.check_, flip=flip, channel=channel, check_status="down", created=ping.created
        )
        rows = events.check_events(self.check_, 10, Filters(notifications=True))
        self.assertEqual([type(r) for r in rows], [NotificationRow, FlipRow, PingRow])

    def test_flips_before_the_oldest_visible_ping_are_left_out(self) -> None:
        self.profile.ping_log_limit = 1
        self.profile.save()
        self.ping(30)
        self.ping(10)
        Flip.objects.create(
            owner=self.check_,
            created=NOW - timedelta(minutes=20),
            old_status="up",
            new_status="down",
        )
        rows = events.check_events(self.check_, 10)
        self.assertEqual([type(r) for r in rows], [PingRow])

    def test_without_pings_every_flip_is_listed(self) -> None:
        Flip.objects.create(owner=self.check_, created=NOW, old_status="new", new_status="paused")
        rows = events.check_events(self.check_, 10)
        self.assertEqual([type(r) for r in rows], [FlipRow])

    def test_the_list_is_capped(self) -> None:
        for minutes in range(9, -1, -1):
            self.ping(minutes)
            Flip.objects.create(
                owner=self.check_,
                created=NOW - timedelta(minutes=minutes, seconds=30),
                old_status="up",
                new_status="down",
            )
        rows = events.check_events(self.check_, 5)
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows[0].created, NOW)

    def test_body_previews(self) -> None:
        self.ping(3, body_raw=b"x" * 500)
        self.ping(2, object_size=4000)
        self.ping(1, body_raw=b"caf\xc3")
        rows = {r.ping.n: r for r in events.check_events(self.check_, 10) if isinstance(r, PingRow)}
        self.assertEqual(rows[1].body_preview, "x" * events.BODY_PREVIEW_BYTES)
        self.assertEqual((rows[2].body_preview, rows[2].body_size), ("", 4000))
        self.assertEqual(rows[3].body_preview, "caf\ufffd")

    def test_labels(self) -> None:
        cases = [
            ("success", None, "OK", "kind-success"),
            ("", None, "OK", "kind-success"),
            ("start", None, "Started", "kind-start"),
            ("fail", None, "Failure", "kind-fail"),
            ("fail", 2, "Status 2", "kind-fail"),
            ("log", None, "Log", "kind-log"),
            ("ign", None, "Ignored", "kind-ign"),
        ]
        for kind, exitstatus, label, css in cases:
            with self.subTest(kind=kind, exitstatus=exitstatus):
                ping = Ping(kind=kind, exitstatus=exitstatus)
                self.assertEqual(
                    (events.ping_label(ping), events.ping_label_class(ping)), (label, css)
                )

    def test_sources_and_user_agents(self) -> None:
        http = Ping(scheme="https", method="POST", remote_addr="203.0.113.7", ua="u" * 100)
        self.assertEqual(events.ping_source(http), "HTTPS POST from 203.0.113.7")
        self.assertEqual(PingRow(http).ua_preview, "u" * 79 + "…")
        mail = Ping(scheme="email", ua="Email from a@example.org", remote_addr="192.0.2.1")
        self.assertEqual(events.ping_source(mail), "Email from a@example.org")

    def test_alert_summaries_name_the_kind_and_target(self) -> None:
        cases = [
            (
                Channel(kind="email", config={"value": "a@example.org"}),
                "Email alert to a@example.org",
            ),
            (
                Channel(kind="webhook", config={"url_down": "", "url_up": "https://x.example/up"}),
                "Webhook alert to https://x.example/up",
            ),
            (Channel(kind="sms", config={"value": "+37120000000"}), "SMS alert to +37120000000"),
            (Channel(kind="slack", config={"channel": "#ops"}), "Slack alert to #ops"),
            (Channel(kind="group", name="Night shift"), "Group alert to Night shift"),
            (Channel(kind="zulip", name="Team chat", config={}), "Zulip alert (Team chat)"),
            (Channel(kind="pd", config={}), "PagerDuty alert"),
        ]
        for channel, expected in cases:
            with self.subTest(kind=channel.kind):
                notification = Notification(channel=channel, check_status="down")
                self.assertEqual(events.notification_summary(notification), expected)

    def test_newest_event_time(self) -> None:
        self.assertIsNone(events.newest_event_time(self.check_))
        self.ping(10)
        self.assertEqual(events.newest_event_time(self.check_), NOW - timedelta(minutes=10))
        Flip.objects.create(owner=self.check_, created=NOW, old_status="up", new_status="down")
        self.assertEqual(events.newest_event_time(self.check_), NOW)

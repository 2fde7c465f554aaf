"""The event log page and its rows endpoint (web spec §8)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from hc.accounts.models import Profile
from hc.api.models import Channel, Check, Flip, Notification, Ping
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def ts(moment: datetime) -> str:
    return f"{moment.timestamp():.6f}"


@time_machine.travel(NOW, tick=False)
class LogTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(
            project=self.project, name="db backup", created=NOW - timedelta(days=10)
        )
        self.url = f"/checks/{self.check_.code}/log/"
        self.events_url = f"/checks/{self.check_.code}/log_events/"
        self.client.force_login(self.bob)

    def ping(self, minutes_ago: float, **fields: object) -> Ping:
        self.check_.n_pings += 1
        self.check_.save(update_fields=["n_pings"])
        created = NOW - timedelta(minutes=minutes_ago)
        return Ping.objects.create(
            owner=self.check_, n=self.check_.n_pings, created=created, **fields
        )

    def flip(self, minutes_ago: float, old: str = "up", new: str = "down") -> Flip:
        created = NOW - timedelta(minutes=minutes_ago)
        return Flip.objects.create(
            owner=self.check_, created=created, old_status=old, new_status=new
        )

    def rows(self, **params: str) -> str:
        response = self.client.get(self.events_url, params)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_page_shows_pings_and_flips(self) -> None:
        self.ping(30, kind="start")
        self.ping(20, body_raw=b"done")
        self.flip(20, old="new", new="up")
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertEqual(html.count('class="event ping-row"'), 2)
        self.assertEqual(html.count('class="event flip-row"'), 1)
        self.assertIn("The oldest ping still stored is #1", html)
        self.assertIn('<span id="log-count">3</span> events', html)
        self.assertIn(f'data-last-event="{ts(NOW - timedelta(minutes=20))}"', html)
        # The duration of the run, from its start to its end.
        self.assertIn("10 min 0 sec", html)
        # "Downtime alert" is off by default, the rest on.
        self.assertIn('id="filter-notification" value="on">', html)
        self.assertIn('id="filter-success" value="on" checked>', html)

    def test_the_slider_runs_from_the_oldest_ping_to_now(self) -> None:
        self.ping(60)
        html = self.client.get(self.url).content.decode()
        start = int((NOW - timedelta(minutes=60)).timestamp())
        self.assertIn(f'min="{start}" max="{int(NOW.timestamp())}"', html)

    def test_a_check_without_pings_starts_at_its_creation(self) -> None:
        html = self.client.get(self.url).content.decode()
        self.assertIn(f'min="{int(self.check_.created.timestamp())}"', html)
        self.assertIn("No pings are stored for this check.", html)
        self.assertIn(f'data-last-event="{ts(NOW)}"', html)

    def test_it_shows_up_to_1000_events(self) -> None:
        Profile.objects.filter(user=self.alice).update(ping_log_limit=2000)
        start = NOW - timedelta(hours=1)
        Ping.objects.bulk_create(
            Ping(owner=self.check_, n=n, created=start + timedelta(seconds=n))
            for n in range(1, 1011)
        )
        Check.objects.filter(id=self.check_.id).update(n_pings=1010)
        html = self.client.get(self.url).content.decode()
        self.assertEqual(html.count('class="event ping-row"'), 1000)
        self.assertIn('data-n="1010"', html)
        self.assertNotIn('data-n="10"', html)

    def test_only_visible_pings_are_listed(self) -> None:
        Profile.objects.filter(user=self.alice).update(ping_log_limit=2)
        for minutes in (40, 30, 20):
            self.ping(minutes)
        # Older than the oldest visible ping: outside the log's window.
        self.flip(35)
        self.flip(25)
        html = self.rows(success="on", flip="on")
        self.assertEqual(html.count("ping-row"), 2)
        self.assertNotIn('data-n="1"', html)
        self.assertEqual(html.count("flip-row"), 1)

    def test_filters_pick_ping_kinds(self) -> None:
        self.ping(50)
        self.ping(40, kind="fail", exitstatus=3)
        self.ping(30, kind="start")
        self.ping(20, kind="log")
        self.ping(10, kind="ign")
        self.flip(40)
        html = self.rows(fail="on")
        self.assertEqual(html.count("ping-row"), 1)
        self.assertIn("Status 3", html)
        self.assertNotIn("flip-row", html)
        html = self.rows(success="on", ign="on", flip="on")
        self.assertEqual(html.count("ping-row"), 2)
        self.assertIn(">OK<", html)
        self.assertIn(">Ignored<", html)
        self.assertEqual(html.count("flip-row"), 1)
        html = self.rows(start="on", log="on")
        self.assertIn(">Started<", html)
        self.assertIn(">Log<", html)

    def test_success_includes_pings_without_a_kind(self) -> None:
        self.ping(10, kind="")
        self.assertIn(">OK<", self.rows(success="on"))

    def test_no_filters_no_rows(self) -> None:
        self.ping(10)
        response = self.client.get(self.events_url)
        self.assertEqual(response.content.decode().strip(), "")
        self.assertNotIn("X-Last-Event-Timestamp", response)

    def test_durations_survive_a_filter_without_starts(self) -> None:
        self.ping(30, kind="start")
        self.ping(20)
        self.assertIn("10 min 0 sec", self.rows(success="on"))

    def test_down_alerts_are_listed_when_asked(self) -> None:
        channel = Channel.objects.create(
            project=self.project, kind="email", config={"value": "ops@example.org"}
        )
        self.ping(30)
        flip = self.flip(20)
        down = Notification.objects.create(
            owner=self.check_, flip=flip, channel=channel, check_status="down"
        )
        Notification.objects.filter(id=down.id).update(created=NOW - timedelta(minutes=19))
        failed = Notification.objects.create(
            owner=self.check_,
            flip=flip,
            channel=Channel.objects.create(
                project=self.project,
                kind="webhook",
                config={"url_down": "https://example.org/hook"},
            ),
            check_status="down",
            error="Received status code 500",
        )
        Notification.objects.filter(id=failed.id).update(created=NOW - timedelta(minutes=18))
        up = Notification.objects.create(owner=self.check_, channel=channel, check_status="up")
        Notification.objects.filter(id=up.id).update(created=NOW - timedelta(minutes=10))
        self.assertNotIn("alert-row", self.rows(success="on", flip="on"))
        html = self.rows(notification="on")
        self.assertEqual(html.count("alert-row"), 2)
        self.assertIn("Email alert to ops@example.org", html)
        self.assertIn("Webhook alert to https://example.org/hook", html)
        self.assertIn('<div class="alert-error">Received status code 500</div>', html)

    def test_end_shows_older_events_only(self) -> None:
        self.ping(30)
        self.ping(10)
        html = self.rows(success="on", end=str(int((NOW - timedelta(minutes=20)).timestamp())))
        self.assertIn('data-n="1"', html)
        self.assertNotIn('data-n="2"', html)

    def test_u_returns_only_newer_events_with_the_newest_timestamp(self) -> None:
        self.ping(30)
        self.ping(10, body_raw=b"fresh")
        self.flip(5)
        response = self.client.get(
            self.events_url,
            {"success": "on", "flip": "on", "u": ts(NOW - timedelta(minutes=30))},
        )
        html = response.content.decode()
        self.assertNotIn('data-n="1"', html)
        self.assertIn("fresh", html)
        self.assertIn("flip-row", html)
        self.assertEqual(response["X-Last-Event-Timestamp"], ts(NOW - timedelta(minutes=5)))

    def test_u_at_the_newest_event_returns_nothing(self) -> None:
        self.ping(10)
        response = self.client.get(
            self.events_url, {"success": "on", "u": ts(NOW - timedelta(minutes=10))}
        )
        self.assertEqual(response.content.decode().strip(), "")
        self.assertNotIn("X-Last-Event-Timestamp", response)

    def test_bad_timestamps_are_rejected(self) -> None:
        tomorrow = NOW + timedelta(days=1, minutes=1)
        for value in (
            "",
            "abc",
            "nan",
            "inf",
            "-1",
            "1e20",
            "1262303999",
            str(tomorrow.timestamp()),
        ):
            for name in ("u", "end"):
                with self.subTest(name=name, value=value):
                    response = self.client.get(self.events_url, {"success": "on", name: value})
                    self.assertEqual(response.status_code, 400)

    def test_timestamps_past_2030_are_fine(self) -> None:
        with time_machine.travel(datetime(2031, 6, 1, tzinfo=UTC), tick=False):
            later = datetime(2031, 5, 31, tzinfo=UTC).timestamp()
            self.client.force_login(self.bob)  # the old session has expired by then
            response = self.client.get(self.events_url, {"success": "on", "end": str(later)})
        self.assertEqual(response.status_code, 200)

    def test_anonymous_row_requests_get_403(self) -> None:
        self.client.logout()
        self.assertEqual(self.client.get(self.events_url).status_code, 403)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_other_projects_checks_are_not_found(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get(self.events_url).status_code, 404)

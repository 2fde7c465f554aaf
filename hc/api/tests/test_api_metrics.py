"""GET /api/v{1,2,3}/metrics/: operator metrics behind X-Metrics-Key (management-api §7.2)."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from django.test import override_settings
from django.utils import timezone

from hc.api.models import Channel, ChannelKind, Check, CheckStatus, Flip, Notification, Ping
from hc.test import BaseTestCase

NOW = datetime(2026, 5, 3, 1, 49, 37, tzinfo=UTC)
KEY = "s3cr3t-operator-key"
TS = 1777772977  # NOW as a UNIX timestamp


@override_settings(METRICS_KEY=KEY)
class MetricsTestCase(BaseTestCase):
    def metrics(self, version: int = 3) -> dict[str, object]:
        r = self.client.get(f"/api/v{version}/metrics/", HTTP_X_METRICS_KEY=KEY)
        self.assertEqual(r.status_code, 200)
        result: dict[str, object] = self.json(r)
        return result

    @time_machine.travel(NOW, tick=False)
    def test_it_reports_empty_tables_as_null(self) -> None:
        self.assertEqual(
            self.metrics(),
            {
                "ts": TS,
                "max_ping_id": None,
                "max_notification_id": None,
                "num_unprocessed_flips": 0,
            },
        )

    def test_it_reports_the_highest_ids_and_unprocessed_flips(self) -> None:
        check = Check.objects.create(project=self.project)
        pings = [Ping.objects.create(owner=check, n=n, created=timezone.now()) for n in (1, 2)]
        channel = Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL)
        notification = Notification.objects.create(owner=check, channel=channel, check_status="up")
        for processed in (None, None, timezone.now()):
            Flip.objects.create(
                owner=check,
                created=timezone.now(),
                processed=processed,
                old_status=CheckStatus.NEW,
                new_status=CheckStatus.UP,
            )
        data = self.metrics()
        self.assertEqual(data["max_ping_id"], pings[1].id)
        self.assertEqual(data["max_notification_id"], notification.id)
        self.assertEqual(data["num_unprocessed_flips"], 2)

    def test_the_timestamp_is_the_current_unix_time(self) -> None:
        with time_machine.travel(NOW, tick=False):
            self.assertEqual(self.metrics()["ts"], int(NOW.timestamp()))

    def test_it_answers_in_every_api_version(self) -> None:
        for version in (1, 2, 3):
            with self.subTest(version=version):
                self.assertEqual(
                    set(self.metrics(version)),
                    {"ts", "max_ping_id", "max_notification_id", "num_unprocessed_flips"},
                )

    def test_a_wrong_key_is_403_with_an_empty_body(self) -> None:
        for key in ("wrong", KEY.upper(), KEY + " ", "", "k\u00e9y"):
            with self.subTest(key=key):
                r = self.client.get("/api/v3/metrics/", HTTP_X_METRICS_KEY=key)
                self.assertEqual(r.status_code, 403)
                self.assertEqual(r.content, b"")

    def test_a_missing_key_is_403(self) -> None:
        r = self.client.get("/api/v3/metrics/")
        self.assertEqual(r.status_code, 403)

    def test_an_api_key_header_does_not_help(self) -> None:
        r = self.client.get("/api/v3/metrics/", HTTP_X_API_KEY=KEY)
        self.assertEqual(r.status_code, 403)

    @override_settings(METRICS_KEY=None)
    def test_it_is_disabled_without_a_configured_key(self) -> None:
        for key in ("", "None"):
            with self.subTest(key=key):
                r = self.client.get("/api/v3/metrics/", HTTP_X_METRICS_KEY=key)
                self.assertEqual(r.status_code, 403)
                self.assertEqual(r.content, b"")

    def test_it_has_no_cors_headers(self) -> None:
        r = self.client.get("/api/v3/metrics/", HTTP_X_METRICS_KEY=KEY)
        self.assertNotIn("Access-Control-Allow-Origin", r)

    def test_it_refuses_post(self) -> None:
        r = self.client.post("/api/v3/metrics/", HTTP_X_METRICS_KEY=KEY)
        self.assertEqual(r.status_code, 405)

    def test_a_missing_trailing_slash_redirects(self) -> None:
        r = self.client.get("/api/v3/metrics", HTTP_X_METRICS_KEY=KEY)
        self.assertEqual(r.status_code, 301)
        self.assertEqual(r["Location"], "/api/v3/metrics/")

"""POST /api/v{1,2,3}/notifications/<uuid>/status (integrations spec §2.11, monitoring §5.5)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hc.api.models import Channel, Check, Notification
from hc.test import BaseTestCase

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class NotificationStatusTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project)
        self.channel = Channel.objects.create(
            project=self.project, kind="sms", config={"value": "+15555550100"}
        )
        self.notification = Notification.objects.create(
            owner=self.check,
            channel=self.channel,
            check_status="down",
            created=NOW - timedelta(minutes=10),
        )
        # Senders do not have our CSRF cookie.
        self.client = Client(enforce_csrf_checks=True)

    def url(self, code: object = None, version: int = 3) -> str:
        return f"/api/v{version}/notifications/{code or self.notification.code}/status"

    def post(self, data: dict[str, Any], **kwargs: Any) -> None:
        response = self.client.post(self.url(**kwargs), data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"")
        self.notification.refresh_from_db()
        self.channel.refresh_from_db()

    def assert_unchanged(self) -> None:
        self.assertEqual(self.notification.error, "")
        self.assertEqual(self.channel.last_error, "")
        self.assertFalse(self.channel.disabled)

    def test_it_records_an_error(self) -> None:
        self.post({"error": "Recipient unreachable"})
        self.assertEqual(self.notification.error, "Recipient unreachable")
        self.assertEqual(self.channel.last_error, "Recipient unreachable")
        self.assertFalse(self.channel.disabled)

    def test_it_disables_the_channel_when_asked(self) -> None:
        self.post({"error": "Gone", "mark_disabled": "1"})
        self.assertEqual(self.channel.last_error, "Gone")
        self.assertTrue(self.channel.disabled)

    def test_mark_disabled_alone_does_nothing(self) -> None:
        self.post({"mark_disabled": "1"})
        self.assert_unchanged()

    def test_it_truncates_long_errors(self) -> None:
        self.post({"error": "x" * 500})
        self.assertEqual(self.notification.error, "x" * 200)
        self.assertEqual(self.channel.last_error, "x" * 200)

    def test_it_understands_twilio_message_statuses(self) -> None:
        for status in ("failed", "undelivered"):
            with self.subTest(status=status):
                self.post({"MessageStatus": status, "MessageSid": "SM1"})
                self.assertEqual(self.notification.error, f"Delivery failed (status={status}).")
                self.assertEqual(self.channel.last_error, f"Delivery failed (status={status}).")
                self.assertFalse(self.channel.disabled)

    def test_it_ignores_good_twilio_statuses(self) -> None:
        self.post({"MessageStatus": "delivered"})
        self.post({"MessageStatus": "sent"})
        self.post({"CallStatus": "completed"})
        self.assert_unchanged()

    def test_it_understands_twilio_call_statuses(self) -> None:
        self.post({"CallStatus": "failed"})
        self.assertEqual(self.notification.error, "Delivery failed (status=failed).")

    def test_it_answers_every_api_version(self) -> None:
        for version in (1, 2):
            self.post({"error": f"v{version}"}, version=version)
            self.assertEqual(self.channel.last_error, f"v{version}")

    def test_it_ignores_notifications_older_than_an_hour(self) -> None:
        Notification.objects.filter(id=self.notification.id).update(
            created=NOW - timedelta(hours=1, seconds=1)
        )
        self.post({"error": "late", "mark_disabled": "1"})
        self.assert_unchanged()

    def test_it_ignores_unknown_and_malformed_codes(self) -> None:
        self.post({"error": "x"}, code=uuid.uuid4())
        self.post({"error": "x"}, code="not-a-uuid")
        self.assert_unchanged()

    def test_it_ignores_bodies_that_are_not_forms(self) -> None:
        response = self.client.post(self.url(), b"\x00\xff{", content_type="application/json")
        self.assertEqual(response.status_code, 200)
        self.notification.refresh_from_db()
        self.assertEqual(self.notification.error, "")

    def test_it_refuses_get(self) -> None:
        self.assertEqual(self.client.get(self.url()).status_code, 405)

    def test_it_updates_only_the_error_fields_of_the_channel(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            self.post({"error": "Gone", "mark_disabled": "1"})
        updates = [
            q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "api_channel" in q["sql"]
        ]
        self.assertEqual(len(updates), 1)
        set_clause = updates[0].split(" SET ")[1].split(" WHERE ")[0]
        self.assertIn("last_error", set_clause)
        self.assertIn("disabled", set_clause)
        self.assertNotIn("config", set_clause)
        self.assertNotIn("name", set_clause)

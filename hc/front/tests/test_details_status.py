"""The details page's live status JSON (web spec §7.4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from hc.api.models import Check, CheckStatus, Flip, Ping
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class DetailsStatusTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project, name="db backup")
        self.url = f"/checks/{self.check_.code}/status/"
        self.client.force_login(self.bob)

    def ping(self, created: datetime, body: bytes = b"") -> None:
        self.check_.n_pings += 1
        self.check_.last_ping = created
        self.check_.status = CheckStatus.UP
        self.check_.save()
        Ping.objects.create(
            owner=self.check_, n=self.check_.n_pings, created=created, body_raw=body
        )

    def test_a_check_without_events(self) -> None:
        data = self.json(self.client.get(self.url))
        self.assertEqual(data["status"], "new")
        self.assertEqual(data["updated"], "1")
        self.assertFalse(data["started"])
        self.assertIn("has not received any pings yet", data["status_text"])
        self.assertEqual(data["title"], "db backup \u2013 Mychecks")
        self.assertEqual(data["events"].strip(), "")
        self.assertIn("All good!", data["downtimes"])

    def test_events_and_downtimes_come_only_when_they_changed(self) -> None:
        self.ping(NOW - timedelta(minutes=2), b"first body")
        data = self.json(self.client.get(self.url))
        self.assertEqual(data["updated"], f"{(NOW - timedelta(minutes=2)).timestamp():.6f}")
        self.assertIn("first body", data["events"])

        unchanged = self.json(self.client.get(self.url, {"u": data["updated"]}))
        self.assertNotIn("events", unchanged)
        self.assertNotIn("downtimes", unchanged)
        self.assertIn("Last ping: 2\xa0minutes ago.", unchanged["status_text"])

        self.ping(NOW - timedelta(seconds=1), b"second body")
        changed = self.json(self.client.get(self.url, {"u": data["updated"]}))
        self.assertNotEqual(changed["updated"], data["updated"])
        self.assertIn("second body", changed["events"])
        self.assertIn("first body", changed["events"])

    def test_a_flip_changes_the_updated_value(self) -> None:
        self.ping(NOW - timedelta(minutes=2))
        before = self.json(self.client.get(self.url))["updated"]
        Flip.objects.create(owner=self.check_, created=NOW, old_status="up", new_status="down")
        self.check_.status = CheckStatus.DOWN
        self.check_.save()
        data = self.json(self.client.get(self.url, {"u": before}))
        self.assertEqual(data["updated"], f"{NOW.timestamp():.6f}")
        self.assertIn("flip-row", data["events"])
        self.assertEqual(data["status"], "down")
        self.assertEqual(data["title"], "DOWN \u2013 db backup \u2013 Mychecks")

    def test_clearing_the_events_sends_the_empty_list(self) -> None:
        self.ping(NOW - timedelta(minutes=2))
        before = self.json(self.client.get(self.url))["updated"]
        Ping.objects.all().delete()
        data = self.json(self.client.get(self.url, {"u": before}))
        self.assertEqual(data["updated"], "1")
        self.assertEqual(data["events"].strip(), "")

    def test_a_running_check_is_started(self) -> None:
        self.check_.last_start = NOW - timedelta(minutes=3)
        self.check_.save()
        data = self.json(self.client.get(self.url))
        self.assertTrue(data["started"])
        self.assertIn("it started 3 min 0 sec ago", data["status_text"])

    def test_late_checks(self) -> None:
        self.ping(NOW - timedelta(days=1, minutes=10))
        self.assertEqual(self.json(self.client.get(self.url))["status"], "grace")

    def test_anonymous_visitors_get_403_json(self) -> None:
        self.client.logout()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response["Content-Type"], "application/json")

    def test_non_members_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_only_get_is_allowed(self) -> None:
        self.assertEqual(self.client.post(self.url).status_code, 405)

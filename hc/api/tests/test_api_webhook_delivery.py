"""End to end: an integration made through the API alerts a real HTTP receiver.

Covers issue #3's acceptance (create a webhook through the API, assign it to a
check, ping /fail, the loopback receiver gets the request) and the ilert
recipe of seed 003, driven down and back up by pings and sendalerts' pipeline.
"""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from hc.api.models import Notification
from hc.api.services import alerts
from hc.api.tests.api_checks_helpers import ChecksApiTestCase
from hc.test_receiver import Receiver


@override_settings(INTEGRATIONS_ALLOW_PRIVATE_IPS=True, INTEGRATIONS_HTTP_TIMEOUT=2)
class ApiWebhookDeliveryTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.receiver = Receiver().__enter__()
        self.addCleanup(self.receiver.__exit__)

    def create_channel(self, **fields: Any) -> str:
        response = self.post("channels/", {"kind": "webhook", **fields})
        self.assertEqual(response.status_code, 201, response.content)
        channel_id: str = response.json()["id"]
        return channel_id

    def create_check(self, channels: str) -> dict[str, Any]:
        response = self.post("checks/", {"name": "Nightly backup", "channels": channels})
        self.assertEqual(response.status_code, 201, response.content)
        check: dict[str, Any] = response.json()
        return check

    def test_fail_ping_reaches_the_receiver(self) -> None:
        channel_id = self.create_channel(
            name="hook", method_down="GET", url_down=self.receiver.url("/down/$CODE?s=$STATUS")
        )
        check = self.create_check(channel_id)
        self.assertEqual(check["channels"], channel_id)
        self.assertEqual(self.client.get(check["ping_url"] + "/fail").status_code, 200)
        alerts.run_once()
        [request] = self.receiver.wait(1)
        self.assertEqual(request.method, "GET")
        self.assertEqual(request.path, f"/down/{check['uuid']}?s=down")
        self.assertEqual(Notification.objects.get().error, "")
        detail = self.get(f"channels/{channel_id}").json()
        self.assertEqual(detail["last_error"], "")
        self.assertIsNotNone(detail["last_notify"])

    def test_seed_003_ilert_recipe(self) -> None:
        url = self.receiver.url("/api/v1/events/healthchecks/il1api0123")
        side = {
            "body_{}": "$JSON",
            "headers_{}": {"Check-Status": "$STATUS", "Content-Type": "application/json"},
        }
        fields: dict[str, Any] = {"name": "ilert"}
        for status in ("down", "up"):
            fields[f"method_{status}"] = "POST"
            fields[f"url_{status}"] = url
            for key, value in side.items():
                fields[key.format(status)] = value
        check = self.create_check(self.create_channel(**fields))

        self.client.get(check["ping_url"])  # new -> up: nothing to announce
        alerts.run_once()
        self.client.get(check["ping_url"] + "/fail")
        alerts.run_once()
        self.client.get(check["ping_url"])
        alerts.run_once()

        down, up = self.receiver.wait(2)
        api_keys = set(self.get(f"checks/{check['uuid']}").json())
        for request, status in ((down, "down"), (up, "up")):
            self.assertEqual(request.method, "POST")
            self.assertEqual(request.route, "/api/v1/events/healthchecks/il1api0123")
            self.assertEqual(request.header("Check-Status"), status)
            self.assertEqual(request.header("Content-Type"), "application/json")
            body = request.json()
            self.assertEqual(set(body), api_keys)
            self.assertEqual(body["uuid"], check["uuid"])
        self.assertEqual(len(self.receiver.requests), 2)

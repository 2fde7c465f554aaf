"""Webhook delivery over real loopback HTTP (integrations spec §3.2.4, §3.2.7, §4.5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import time_machine
from django.test import override_settings

from hc.accounts.services import do_issue_api_key
from hc.api.models import Channel, Check, Flip, FlipReason, Notification, Ping
from hc.integrations.http import HttpTransport
from hc.integrations.transport import TransportError
from hc.integrations.webhook.config import WebhookConfig, parse_headers
from hc.integrations.webhook.transport import WebhookTransport
from hc.lib import curl
from hc.test import BaseTestCase
from hc.test_receiver import Answer, Receiver, Request, SharedReceiver, free_port

FLIP_TIME = datetime(2025, 3, 1, 8, 15, 0, tzinfo=UTC)
LOOPBACK = override_settings(
    INTEGRATIONS_ALLOW_PRIVATE_IPS=True,
    # Generous, so a loaded CI machine does not turn answers into time-outs.
    INTEGRATIONS_HTTP_TIMEOUT=10,
    INTEGRATIONS_HTTP_TRIES=3,
    WEBHOOKS_ENABLED=True,
)


class ReceiverTestCase(SharedReceiver, BaseTestCase):
    """A loopback receiver shared by the class, emptied before each test."""

    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(
            project=self.project, name="Nightly backup", slug="nightly-backup", tags="prod db"
        )

    def assert_attempts(self, count: int) -> list[Request]:
        # The receiver records a request just after answering it, so a
        # delivery can be done before its last request is listed: wait.
        requests = self.receiver.wait(count)
        self.assertEqual(len(requests), count)
        return requests

    def channel(self, **config: Any) -> Channel:
        channel = Channel.objects.create(
            project=self.project, kind="webhook", config=WebhookConfig(**config).model_dump()
        )
        channel.checks.add(self.check)
        return channel


@LOOPBACK
class WebhookDeliveryTestCase(ReceiverTestCase):
    def notify(self, channel: Channel, status: str = "down", *, test: bool = False) -> None:
        """Deliver a flip of self.check (or a test send's dummy) through `channel`."""
        check = (
            Check(project=self.project, name="TEST", n_pings=42, status="down")
            if test
            else self.check
        )
        flip = Flip(
            owner=check,
            created=FLIP_TIME,
            old_status="up" if status == "down" else "down",
            new_status=status,
            reason=FlipReason.FAIL if status == "down" else FlipReason.UNKNOWN,
        )
        notification = Notification(
            owner=None if test else check, channel=channel, check_status=status
        )
        WebhookTransport(channel).notify(flip, notification)

    def error(self, channel: Channel, **kwargs: Any) -> str:
        with self.assertRaises(TransportError) as cm:
            self.notify(channel, **kwargs)
        self.assertFalse(cm.exception.permanent)  # webhooks are never disabled
        return cm.exception.message

    # What goes on the wire ---------------------------------------------------------

    def test_get_with_placeholders_in_the_url(self) -> None:
        channel = self.channel(url_down=self.receiver.url("/down/$CODE/$NAME?at=$NOW&s=$STATUS"))
        self.check.name = "backups/nightly"
        self.check.save(update_fields=["name"])
        self.notify(channel)
        request = self.assert_attempts(1)[0]
        self.assertEqual(request.method, "GET")
        self.assertEqual(
            request.path,
            f"/down/{self.check.code}/backups/nightly?at=2025-03-01T08%3A15%3A00%2B00%3A00&s=down",
        )
        self.assertEqual(request.body, b"")
        self.assertIsNone(request.header("Content-Type"))
        self.assertIsNone(request.header("Content-Length"))
        self.assertEqual(request.header("User-Agent"), "Mychecks")

    def test_up_uses_the_up_request(self) -> None:
        channel = self.channel(
            url_down=self.receiver.url("/down"),
            method_up="PUT",
            url_up=self.receiver.url("/up/$STATUS"),
            body_up="$NAME is $STATUS",
            headers_up={"X-Status": "$STATUS"},
        )
        self.notify(channel, "up")
        request = self.assert_attempts(1)[0]
        self.assertEqual((request.method, request.path), ("PUT", "/up/up"))
        self.assertEqual(request.body, b"Nightly backup is up")
        self.assertEqual(request.header("X-Status"), "up")

    def test_post_sends_the_body_raw_and_adds_no_content_type(self) -> None:
        self.check.name = 'Zürich "x"'
        self.check.save(update_fields=["name"])
        channel = self.channel(
            method_down="POST",
            url_down=self.receiver.url("/hook"),
            body_down='{"name": $NAME_JSON, "raw": "$NAME", "tags": "$TAG1,$TAG2,$TAG3"}',
        )
        self.notify(channel)
        request = self.assert_attempts(1)[0]
        self.assertEqual(request.method, "POST")
        self.assertIsNone(request.header("Content-Type"))
        self.assertEqual(
            request.body.decode(),
            '{"name": "Z\\u00fcrich \\"x\\"", "raw": "Zürich "x"", "tags": "prod,db,$TAG3"}',
        )

    def test_header_values_are_substituted_and_made_latin_1(self) -> None:
        self.check.name = "Zürich ā"
        self.check.save(update_fields=["name"])
        channel = self.channel(
            url_down=self.receiver.url(),
            headers_down={"X-Name": "$NAME", "X-Half": "½ $TAG2", "X-Body": "$BODY"},
        )
        self.notify(channel)
        request = self.assert_attempts(1)[0]
        self.assertEqual(request.header("X-Name"), "Zürich &#257;")
        self.assertEqual(request.header("X-Half"), "½ db")
        self.assertEqual(request.header("X-Body"), "$BODY")

    def test_the_user_may_set_the_user_agent_and_content_type(self) -> None:
        channel = self.channel(
            method_down="POST",
            url_down=self.receiver.url(),
            body_down="<x/>",
            headers_down={"user-agent": "Custom/2", "Content-Type": "text/xml"},
        )
        self.notify(channel)
        request = self.assert_attempts(1)[0]
        self.assertEqual([v for k, v in request.headers if k.lower() == "user-agent"], ["Custom/2"])
        self.assertEqual(
            [v for k, v in request.headers if k.lower() == "content-type"], ["text/xml"]
        )

    def test_get_never_sends_a_body(self) -> None:
        # The form refuses this combination; values saved by Healthchecks may have it.
        config = WebhookConfig(url_down=self.receiver.url()).model_dump()
        channel = Channel.objects.create(
            project=self.project, kind="webhook", config={**config, "body_down": "$JSON"}
        )
        self.notify(channel)
        request = self.assert_attempts(1)[0]
        self.assertEqual((request.method, request.body), ("GET", b""))

    def test_an_empty_post_body_sends_nothing(self) -> None:
        channel = self.channel(method_down="POST", url_down=self.receiver.url())
        self.notify(channel)
        request = self.assert_attempts(1)[0]
        self.assertEqual((request.method, request.body), ("POST", b""))
        self.assertIsNone(request.header("Content-Length"))

    def test_the_ping_body_goes_into_the_request_body(self) -> None:
        Ping.objects.create(
            owner=self.check, n=1, created=FLIP_TIME, body_raw=b"disk full", exitstatus=28
        )
        channel = self.channel(
            method_down="POST",
            url_down=self.receiver.url("/?code=$EXITSTATUS&b=$BODY"),
            body_down="$EXITSTATUS: $BODY / $BODY_JSON",
        )
        self.notify(channel)
        request = self.assert_attempts(1)[0]
        self.assertEqual(request.path, "/?code=28&b=$BODY")
        self.assertEqual(request.body, b'28: disk full / "disk full"')

    def test_json_body_is_the_check_document(self) -> None:
        channel = self.channel(method_down="POST", url_down=self.receiver.url(), body_down="$JSON")
        self.notify(channel)
        document = self.assert_attempts(1)[0].json()
        self.assertEqual(document["uuid"], str(self.check.code))
        self.assertEqual(document["channels"], str(channel.code))

    # Which statuses do something -------------------------------------------------

    def test_a_status_without_url_is_a_no_op(self) -> None:
        transport = WebhookTransport(self.channel(url_down=self.receiver.url()))
        self.assertFalse(transport.is_noop("down"))
        self.assertTrue(transport.is_noop("up"))
        transport = WebhookTransport(self.channel(url_up=self.receiver.url()))
        self.assertTrue(transport.is_noop("down"))
        self.assertFalse(transport.is_noop("up"))

    def test_an_invalid_stored_value_is_an_error_not_silence(self) -> None:
        channel = Channel.objects.create(project=self.project, kind="webhook", config={"x": 1})
        self.assertFalse(WebhookTransport(channel).is_noop("down"))
        self.assertEqual(self.error(channel), "Invalid webhook configuration")

    @override_settings(WEBHOOKS_ENABLED=False)
    def test_it_refuses_to_send_when_webhooks_are_off(self) -> None:
        channel = self.channel(url_down=self.receiver.url())
        self.assertEqual(self.error(channel), "Webhook notifications are not enabled.")
        self.assertEqual(self.receiver.requests, [])

    # Statuses, retries, network errors -----------------------------------------------

    def test_200_201_202_204_are_success(self) -> None:
        channel = self.channel(url_down=self.receiver.url())
        for status in (200, 201, 202, 204):
            with self.subTest(status=status):
                self.receiver.script(Answer(status, b""))
                self.notify(channel)
        self.assert_attempts(4)

    def test_203_is_a_failure(self) -> None:
        channel = self.channel(url_down=self.receiver.url())
        self.receiver.script(203, 203, 203)
        self.assertEqual(self.error(channel), "Received status code 203")
        self.assert_attempts(3)

    def test_an_alert_makes_three_attempts(self) -> None:
        channel = self.channel(method_down="POST", url_down=self.receiver.url(), body_down="x")
        self.receiver.script(500, 500, 500)
        self.assertEqual(self.error(channel), "Received status code 500")
        self.assertEqual([r.body for r in self.assert_attempts(3)], [b"x", b"x", b"x"])

    def test_a_retry_can_succeed(self) -> None:
        channel = self.channel(url_down=self.receiver.url())
        self.receiver.script(502, 201)
        self.notify(channel)
        self.assert_attempts(2)

    def test_a_test_send_makes_one_attempt(self) -> None:
        channel = self.channel(url_down=self.receiver.url("/$NAME"))
        self.receiver.script(500, 500, 500)
        self.assertEqual(self.error(channel, test=True), "Received status code 500")
        self.assertEqual(self.assert_attempts(1)[0].path, "/TEST")

    @override_settings(INTEGRATIONS_HTTP_TIMEOUT=1)
    def test_a_slow_endpoint_times_out(self) -> None:
        # Its own receiver: the slow request is recorded after the test moved on.
        with Receiver() as receiver:
            receiver.script(Answer(delay=2))
            channel = self.channel(url_down=receiver.url())
            self.assertEqual(self.error(channel, test=True), "Connection timed out")

    def test_more_than_three_redirects(self) -> None:
        self.receiver.route("GET", "/loop", Answer(302, headers={"Location": "/loop"}))
        channel = self.channel(url_down=self.receiver.url("/loop"))
        self.assertEqual(self.error(channel, test=True), "Too many redirects")
        self.assert_attempts(4)

    def test_a_closed_port(self) -> None:
        channel = self.channel(url_down=f"http://127.0.0.1:{free_port()}/")
        self.assertEqual(self.error(channel), "Connection failed")

    @override_settings(INTEGRATIONS_ALLOW_PRIVATE_IPS=False)
    def test_private_addresses_are_refused(self) -> None:
        channel = self.channel(url_down=self.receiver.url())
        self.assertEqual(self.error(channel), "Connections to private IP addresses are not allowed")
        self.assertEqual(self.receiver.requests, [])


@LOOPBACK
@time_machine.travel(FLIP_TIME, tick=False)
class IlertRecipeTestCase(ReceiverTestCase):
    """Seed 003: ilert's instructions for a Healthchecks webhook, followed literally."""

    def setUp(self) -> None:
        super().setUp()
        # Steps 4-6 as typed into the form: URL, "$JSON" bodies, two header lines.
        headers = parse_headers("Check-Status: $STATUS\nContent-Type: application/json")
        url = self.receiver.url("/api/v1/events/healthchecks/il1hea0123")
        self.channel_ = self.channel(
            method_down="POST",
            url_down=url,
            body_down="$JSON",
            headers_down=headers,
            method_up="POST",
            url_up=url,
            body_up="$JSON",
            headers_up=headers,
        )
        self.channel_.name = "ilert"
        self.channel_.save(update_fields=["name"])

    def send(self, status: str, *, test: bool = False) -> None:
        check = (
            Check(project=self.project, name="TEST", n_pings=42, status="down")
            if test
            else self.check
        )
        flip = Flip(owner=check, created=FLIP_TIME, old_status="up", new_status=status)
        notification = Notification(
            owner=None if test else check, channel=self.channel_, check_status=status
        )
        WebhookTransport(self.channel_).notify(flip, notification)

    def api_check_keys(self) -> set[str]:
        key = do_issue_api_key(self.project, readonly=False)
        response = self.client.get(f"/api/v3/checks/{self.check.code}", headers={"X-Api-Key": key})
        self.assertEqual(response.status_code, 200)
        return set(response.json())

    def test_down_then_up_reach_the_same_endpoint(self) -> None:
        self.send("down")
        self.send("up")
        down, up = self.assert_attempts(2)
        for request, status in ((down, "down"), (up, "up")):
            with self.subTest(status=status):
                self.assertEqual(request.method, "POST")
                self.assertEqual(request.path, "/api/v1/events/healthchecks/il1hea0123")
                self.assertEqual(request.header("Check-Status"), status)
                names = [k.lower() for k, _ in request.headers]
                self.assertEqual(names.count("content-type"), 1)
                self.assertEqual(request.header("Content-Type"), "application/json")
                self.assertEqual(request.header("User-Agent"), "Mychecks")
                self.assertTrue(request.body.isascii())
                document = json.loads(request.body)
                self.assertIsInstance(document, dict)
                self.assertEqual(set(document), self.api_check_keys())
                self.assertEqual(document["uuid"], str(self.check.code))
                self.assertEqual(document["channels"], str(self.channel_.code))

    def test_a_test_send_is_one_post_for_the_dummy_check(self) -> None:
        self.receiver.script(500)
        with self.assertRaises(TransportError):
            self.send("down", test=True)
        request = self.assert_attempts(1)[0]
        self.assertEqual(request.header("Check-Status"), "down")
        document = json.loads(request.body)
        self.assertEqual(set(document), self.api_check_keys())
        self.assertEqual((document["name"], document["channels"]), ("TEST", ""))


class _Strict(HttpTransport):
    """A transport whose endpoint says 404 when retrying cannot help."""

    @classmethod
    def raise_for_response(cls, response: curl.Response) -> None:
        if response.status == 404:
            raise TransportError("Gone", permanent=True)
        super().raise_for_response(response)


@LOOPBACK
class HttpTransportTestCase(ReceiverTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.notification = Notification(owner=self.check, check_status="down")
        self.transport = _Strict(Channel(project=self.project, kind="webhook"))

    def test_a_permanent_error_stops_the_retries(self) -> None:
        self.receiver.script(500, 404, 500)
        with self.assertRaises(TransportError) as cm:
            self.transport.get(self.receiver.url(), notification=self.notification)
        self.assertEqual((cm.exception.message, cm.exception.permanent), ("Gone", True))
        self.assert_attempts(2)

    def test_retry_false_makes_one_attempt(self) -> None:
        self.receiver.script(500, 500)
        with self.assertRaisesMessage(TransportError, "Received status code 500"):
            self.transport.post(self.receiver.url(), notification=self.notification, retry=False)
        self.assert_attempts(1)

    def test_shorthands_pass_their_method_and_return_the_response(self) -> None:
        self.receiver.script(Answer(200, b'{"ok": true}'))
        response = self.transport.put(
            self.receiver.url(), notification=self.notification, json={"a": 1}, params={"q": "1"}
        )
        self.assertEqual(response.json(), {"ok": True})
        request = self.assert_attempts(1)[0]
        self.assertEqual((request.method, request.path, request.json()), ("PUT", "/?q=1", {"a": 1}))

    @override_settings(INTEGRATIONS_HTTP_TRIES=2)
    def test_the_number_of_attempts_is_a_setting(self) -> None:
        self.receiver.script(500, 500, 500)
        with self.assertRaises(TransportError):
            self.transport.get(self.receiver.url(), notification=self.notification)
        self.assert_attempts(2)

"""Managing integrations through API v3: POST channels/, GET|POST|DELETE channels/<uuid>.

Also: v1/v2 keep `channels/` read-only, a check's `channels` member links
API-created integrations, and the OpenAPI document describes it all.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema_rs
import time_machine
from django.test import override_settings

from hc.api.models import (
    Channel,
    ChannelKind,
    Check,
    CheckStatus,
    DeliveryAttempt,
    Flip,
    Notification,
    NotificationStatus,
)
from hc.api.openapi import build_document
from hc.api.tests.api_checks_helpers import ChecksApiTestCase
from hc.integrations import registry
from hc.test_smtp import SmtpSink

NOW = datetime(2026, 5, 2, 12, 0, 0, tzinfo=UTC)
BASE_MEMBERS = {"id", "name", "kind", "disabled", "last_notify", "last_error", "failures"}
WEBHOOK = {
    "kind": "webhook",
    "name": "ilert",
    "method_down": "POST",
    "url_down": "https://alerts.example.org/down?token=s3cret",
    "body_down": "$JSON",
    "headers_down": {"Content-Type": "application/json", "Check-Status": "$STATUS"},
    "method_up": "PUT",
    "url_up": "https://alerts.example.org/up",
    "body_up": "up: $NAME",
    "headers_up": {},
}
EMAIL = {"kind": "email", "name": "Ops", "value": "ops@example.org", "down": True, "up": False}
WEBHOOK_CONFIG = {k: v for k, v in WEBHOOK.items() if k not in ("kind", "name")}


class ChannelsApiTestCase(ChecksApiTestCase):
    def webhook(self, **config: Any) -> Channel:
        return Channel.objects.create(
            project=self.project,
            kind=ChannelKind.WEBHOOK,
            name="Hook",
            config={**WEBHOOK_CONFIG, **config},
        )

    def detail(self, channel: Channel) -> str:
        return f"channels/{channel.code}"

    def reload_channel(self, channel: Channel) -> Channel:
        return Channel.objects.get(id=channel.id)


class CreateTestCase(ChannelsApiTestCase):
    def test_it_creates_a_webhook_with_every_field(self) -> None:
        r = self.post("channels/", WEBHOOK)
        self.assertEqual(r.status_code, 201)
        data = self.json(r)
        channel = Channel.objects.get()
        self.assertEqual(channel.project, self.project)
        self.assertEqual((channel.kind, channel.name), ("webhook", "ilert"))
        self.assertEqual(channel.config, {**WEBHOOK_CONFIG, "headers_up": {}})
        self.assertEqual(
            data,
            {
                "id": str(channel.code),
                "name": "ilert",
                "kind": "webhook",
                "disabled": False,
                "last_notify": None,
                "last_error": "",
                "failures": 0,
                "checks": [],
                **WEBHOOK_CONFIG,
            },
        )

    def test_it_stores_the_config_as_the_kinds_model_cleans_it(self) -> None:
        r = self.post("channels/", {"kind": "webhook", "url_down": " example.org/hook "})
        self.assertEqual(r.status_code, 201)
        config = Channel.objects.get().config
        self.assertEqual(config["url_down"], "https://example.org/hook")
        self.assertEqual(config["method_down"], "GET")
        self.assertEqual(config["headers_up"], {})

    def test_it_creates_an_email_integration(self) -> None:
        r = self.post("channels/", EMAIL)
        self.assertEqual(r.status_code, 201)
        data = self.json(r)
        self.assertEqual(
            (data["value"], data["down"], data["up"]), ("ops@example.org", True, False)
        )
        channel = Channel.objects.get()
        self.assertEqual(channel.config, {"value": "ops@example.org", "down": True, "up": False})

    def test_email_defaults_to_both_statuses(self) -> None:
        r = self.post("channels/", {"kind": "email", "value": "ops@example.org"})
        data = self.json(r)
        self.assertEqual((data["down"], data["up"], data["name"]), (True, True, ""))

    def test_a_new_email_address_gets_a_verification_message(self) -> None:
        with SmtpSink() as sink, override_settings(**sink.settings()):
            with self.captureOnCommitCallbacks(execute=True):
                r = self.post("channels/", EMAIL)
            self.assertEqual(r.status_code, 201)
            message = sink.wait(1)[0].message
        self.assertEqual(message["To"], "ops@example.org")
        self.assertIn("Verify email address", message["Subject"])
        self.assertFalse(Channel.objects.get().email_verified)

    @override_settings(EMAIL_USE_VERIFICATION=False)
    def test_without_verification_the_address_is_verified_at_once(self) -> None:
        self.post("channels/", EMAIL)
        self.assertTrue(Channel.objects.get().email_verified)

    def test_the_new_integration_is_linked_to_no_check(self) -> None:
        Check.objects.create(project=self.project)
        r = self.post("channels/", WEBHOOK)
        self.assertEqual(self.json(r)["checks"], [])
        self.assertFalse(Channel.objects.get().checks.exists())

    def test_the_key_may_come_in_the_body_and_is_not_a_field(self) -> None:
        body = json.dumps({**EMAIL, "api_key": self.write_key})
        r = self.client.post("/api/v3/channels/", body, content_type="application/json")
        self.assertEqual(r.status_code, 201)
        self.assertNotIn("api_key", Channel.objects.get().config)

    def test_the_body_is_json_whatever_the_content_type(self) -> None:
        r = self.post(
            "channels/", json.dumps(EMAIL), content_type="application/x-www-form-urlencoded"
        )
        self.assertEqual(r.status_code, 201)

    def test_it_creates_in_the_keys_project(self) -> None:
        r = self.post("channels/", EMAIL, key=self.charlies_key)
        self.assertEqual(r.status_code, 201)
        self.assertEqual(Channel.objects.get().project, self.charlies_project)

    def test_read_only_and_missing_keys_may_not_create(self) -> None:
        self.assert_error(self.post("channels/", EMAIL, key=self.read_key), 401, "wrong api key")
        self.assert_error(self.post("channels/", EMAIL, key=""), 401, "missing api key")
        self.assertFalse(Channel.objects.exists())

    def test_body_errors_come_before_authentication(self) -> None:
        r = self.post("channels/", b"{", key=self.read_key)
        self.assert_error(r, 400, "could not parse request body")

    @override_settings(WEBHOOKS_ENABLED=False)
    def test_a_disabled_kind_cannot_be_created(self) -> None:
        r = self.post("channels/", WEBHOOK)
        self.assert_error(r, 400, "this server does not support creating webhook integrations")
        self.assertFalse(Channel.objects.exists())

    def test_interactive_kinds_cannot_be_created(self) -> None:
        for kind in sorted(registry.INTERACTIVE_KINDS):
            with self.subTest(kind=kind):
                r = self.post("channels/", {"kind": kind, "name": "x"})
                self.assert_error(
                    r,
                    400,
                    f"{kind} integrations need an interactive setup in the web UI "
                    "and cannot be created through the API",
                )
        self.assertFalse(Channel.objects.exists())

    def test_kinds_without_a_package_cannot_be_created(self) -> None:
        unsupported = set(ChannelKind.values) - registry.INTERACTIVE_KINDS - set(registry.PACKAGES)
        self.assertIn("apprise", unsupported)
        for kind in sorted(unsupported):
            with self.subTest(kind=kind):
                r = self.post("channels/", {"kind": kind})
                self.assert_error(
                    r, 400, f"this server does not support creating {kind} integrations"
                )
        self.assertFalse(Channel.objects.exists())


class CreateErrorsTestCase(ChannelsApiTestCase):
    """Every bad body gets a 400 naming what is wrong, and nothing is created."""

    def assert_refused(self, body: Any, message: str) -> None:
        r = self.post("channels/", body)
        self.assert_error(r, 400, message)
        self.assertFalse(Channel.objects.exists())

    def test_kind_is_required_and_must_be_known(self) -> None:
        cases: list[tuple[Any, str]] = [
            ({}, "missing field: kind"),
            ({"name": "x", "value": "a@example.org"}, "missing field: kind"),
            ({"kind": None}, "invalid value for kind: must be a string"),
            ({"kind": 1}, "invalid value for kind: must be a string"),
            ({"kind": ["email"]}, "invalid value for kind: must be a string"),
            ({"kind": "Email"}, "invalid value for kind: not an integration kind"),
            ({"kind": "pager"}, "invalid value for kind: not an integration kind"),
            ({"kind": ""}, "invalid value for kind: not an integration kind"),
        ]
        for body, message in cases:
            with self.subTest(body=body):
                self.assert_refused(body, message)

    def test_an_empty_body_lacks_a_kind(self) -> None:
        self.assert_refused(None, "missing field: kind")

    def test_name_must_be_a_short_storable_string(self) -> None:
        cases: list[tuple[Any, str]] = [
            (None, "invalid value for name: must be a string"),
            (5, "invalid value for name: must be a string"),
            ({"a": 1}, "invalid value for name: must be a string"),
            ("x" * 101, "invalid value for name: must be at most 100 characters"),
            ("a\x00b", "invalid value for name: contains invalid characters"),
            ("\ud800", "invalid value for name: contains invalid characters"),
        ]
        for name, message in cases:
            with self.subTest(name=repr(name)[:20]):
                self.assert_refused({**EMAIL, "name": name}, message)
        r = self.post("channels/", {**EMAIL, "name": "é" * 100})
        self.assertEqual(r.status_code, 201)

    def test_unknown_fields_are_refused_by_name(self) -> None:
        self.assert_refused({**EMAIL, "url": "x"}, "unknown field: url")
        self.assert_refused({**WEBHOOK, "value": "a@example.org"}, "unknown field: value")
        self.assert_refused({**WEBHOOK, "id": str(uuid.uuid4())}, "unknown field: id")

    def test_a_long_unknown_field_name_is_shortened(self) -> None:
        r = self.post("channels/", {**EMAIL, "x" * 5000: 1})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.json(r)["error"], "unknown field: " + "x" * 60 + "…")

    def test_missing_required_fields_are_named(self) -> None:
        self.assert_refused({"kind": "email"}, "missing field: value")

    def test_kind_field_errors_name_the_field(self) -> None:
        cases: list[tuple[dict[str, Any], str]] = [
            ({"kind": "webhook"}, "invalid value for url_down: Enter a valid URL."),
            (
                {"kind": "webhook", "url_down": "ftp://example.org"},
                "invalid value for url_down: Enter a valid URL. "
                "Only http:// and https:// URLs are supported.",
            ),
            (
                {"kind": "webhook", "url_up": "https://example.org", "body_up": "x"},
                "invalid value for body_up: A request body is sent only with POST or PUT.",
            ),
            (
                {**WEBHOOK, "method_down": "DELETE"},
                "invalid value for method_down: Input should be 'GET', 'POST' or 'PUT'",
            ),
            (
                {**WEBHOOK, "headers_down": "X-A: b"},
                "invalid value for headers_down: Enter an object of header names and values.",
            ),
            (
                {**WEBHOOK, "headers_up": {"X-A": 1}},
                "invalid value for headers_up: Header names and values must be strings.",
            ),
            (
                {**EMAIL, "value": "not an address"},
                "invalid value for value: value must be a valid email address",
            ),
            ({**EMAIL, "down": "true"}, "invalid value for down: Input should be a valid boolean"),
            ({**EMAIL, "up": 1}, "invalid value for up: Input should be a valid boolean"),
            (
                {**EMAIL, "down": False, "up": False},
                "invalid value for down: down and up are both false: select at least one of them",
            ),
        ]
        for body, message in cases:
            with self.subTest(body=body):
                self.assert_refused(body, message)

    def test_unstorable_characters_in_kind_fields_are_refused(self) -> None:
        self.assert_refused(
            {**WEBHOOK, "body_down": "a\x00b"},
            "invalid value for body_down: contains invalid characters",
        )
        self.assert_refused(
            {**WEBHOOK, "body_up": "\udfff"},
            "invalid value for body_up: contains invalid characters",
        )

    def test_bodies_that_are_not_json_objects(self) -> None:
        cases: list[tuple[bytes, str]] = [
            (b"not json", "could not parse request body"),
            (b"\xff\xfe{}", "could not parse request body"),
            (b"[" * 100_000 + b"]" * 100_000, "could not parse request body"),
            (b'{"kind": "email", "down": ' + b"9" * 5000 + b"}", "could not parse request body"),
            (b"[1, 2]", "json validation error: value is not an object"),
            (b'"email"', "json validation error: value is not an object"),
            (b"null", "json validation error: value is not an object"),
            (b"12", "json validation error: value is not an object"),
        ]
        for raw, message in cases:
            with self.subTest(body=raw[:20]):
                self.assert_refused(raw, message)

    def test_junk_never_causes_a_server_error(self) -> None:
        deep: Any = "x"
        for _ in range(500):
            deep = {"a": deep}
        junk: list[Any] = [None, True, 0, -1, 10**400, 1.5, float("inf"), "", [], {}, [[]], deep]
        fields = ["kind", "name", "value", "down", "up", *WEBHOOK_CONFIG, "other"]
        for base in (EMAIL, WEBHOOK):
            for field in fields:
                for value in junk:
                    body = {**base, field: value}
                    raw = json.dumps(body)  # inf becomes Infinity, which Python reads back
                    with self.subTest(kind=base["kind"], field=field, value=repr(value)[:20]):
                        r = self.post("channels/", raw)
                        self.assertIn(r.status_code, (201, 400))
                        self.assertIsInstance(self.json(r).get("error", ""), str)
                        if r.status_code == 400:
                            self.assertIn(field, self.json(r)["error"])
        # Only junk that is valid for its field was accepted.
        for channel in Channel.objects.all():
            self.assertIn(channel.kind, ("email", "webhook"))


class VersionsTestCase(ChannelsApiTestCase):
    def test_v1_and_v2_channels_stay_read_only(self) -> None:
        for version in (1, 2):
            with self.subTest(version=version):
                r = self.post("channels/", EMAIL, version=version)
                self.assert_empty(r, 405)
                self.assertEqual(r["Allow"], "GET, OPTIONS")
                self.assert_cors(r, ("GET",))
                r = self.client.options(f"/api/v{version}/channels/")
                self.assert_cors(r, ("GET",))
        self.assertFalse(Channel.objects.exists())

    def test_v3_channels_allows_get_and_post(self) -> None:
        r = self.client.options("/api/v3/channels/")
        self.assert_empty(r, 204)
        self.assert_cors(r, ("GET", "POST"))
        r = self.client.put("/api/v3/channels/", headers={"X-Api-Key": self.write_key})
        self.assert_empty(r, 405)
        self.assertEqual(r["Allow"], "GET, POST, OPTIONS")
        self.assert_cors(r, ("GET", "POST"))
        r = self.post("channels/", EMAIL)
        self.assert_cors(r, ("GET", "POST"))

    def test_every_version_lists_alike(self) -> None:
        self.webhook()
        self.post("channels/", EMAIL)
        listings = [self.json(self.get("channels/", version=v)) for v in (1, 2, 3)]
        self.assertEqual(len(listings[0]["channels"]), 2)
        self.assertEqual(listings[0], listings[1])
        self.assertEqual(listings[0], listings[2])
        self.assertEqual(set(listings[2]["channels"][1]), {"id", "name", "kind"})

    def test_the_list_needs_the_read_write_key(self) -> None:
        self.assert_error(self.get("channels/", key=self.read_key), 401, "wrong api key")

    def test_detail_urls_exist_in_v3_only(self) -> None:
        channel = self.webhook()
        for version in (1, 2):
            with self.subTest(version=version):
                self.assertEqual(self.get(self.detail(channel), version=version).status_code, 404)
                r = self.delete(self.detail(channel), version=version)
                self.assertEqual(r.status_code, 404)
        self.assertTrue(Channel.objects.filter(id=channel.id).exists())

    def test_detail_url_forms_that_match_no_route(self) -> None:
        channel = self.webhook()
        for path in (
            f"channels/{channel.code}/",
            f"channels/{str(channel.code).upper()}",
            f"channels/{channel.code.hex}",
            "channels/not-a-uuid",
        ):
            with self.subTest(path=path):
                r = self.get(path)
                self.assertEqual(r.status_code, 404)
                self.assertNotEqual(r["Content-Type"], "application/json")


class GetTestCase(ChannelsApiTestCase):
    def test_the_read_write_view_has_state_settings_and_checks(self) -> None:
        channel = self.webhook()
        checks = [Check.objects.create(project=self.project) for _ in range(3)]
        channel.checks.set(checks)
        Channel.objects.filter(id=channel.id).update(
            last_notify=datetime(2026, 5, 1, 3, 4, 5, 678901, tzinfo=UTC),
            last_error="Received status code 500",
            failures=2,
        )
        r = self.get(self.detail(channel))
        self.assertEqual(r.status_code, 200)
        data = self.json(r)
        self.assertEqual(data["last_notify"], "2026-05-01T03:04:05+00:00")
        self.assertEqual((data["last_error"], data["failures"]), ("Received status code 500", 2))
        self.assertEqual(data["checks"], sorted(str(c.code) for c in checks))
        self.assertEqual(data["url_down"], WEBHOOK_CONFIG["url_down"])
        self.assertEqual(set(data), BASE_MEMBERS | {"checks"} | set(WEBHOOK_CONFIG))

    def test_the_read_only_view_hides_settings_and_check_uuids(self) -> None:
        channel = self.webhook()
        check = Check.objects.create(project=self.project)
        channel.checks.add(check)
        r = self.get(self.detail(channel), key=self.read_key)
        self.assertEqual(r.status_code, 200)
        data = self.json(r)
        self.assertEqual(set(data), BASE_MEMBERS)
        self.assertEqual((data["id"], data["kind"]), (str(channel.code), "webhook"))
        self.assertNotIn(b"s3cret", r.content)
        self.assertNotIn(str(check.code).encode(), r.content)
        self.assert_cors(r, ("GET", "POST", "DELETE"))

    def test_stored_keys_never_override_the_members(self) -> None:
        channel = self.webhook(name="copied name", kind="slack", id="x", checks="y")
        data = self.json(self.get(self.detail(channel)))
        self.assertEqual((data["name"], data["kind"]), ("Hook", "webhook"))
        self.assertEqual((data["id"], data["checks"]), (str(channel.code), []))

    def test_a_legacy_bare_value_is_shown_as_value(self) -> None:
        channel = Channel.objects.create(
            project=self.project, kind=ChannelKind.EMAIL, config="legacy@example.org"
        )
        self.assertEqual(self.json(self.get(self.detail(channel)))["value"], "legacy@example.org")

    def test_any_kind_can_be_read(self) -> None:
        channel = Channel.objects.create(project=self.project, kind=ChannelKind.SLACK, config={})
        data = self.json(self.get(self.detail(channel)))
        self.assertEqual(data["kind"], "slack")

    def test_a_channel_of_another_project_is_403(self) -> None:
        channel = Channel.objects.create(project=self.charlies_project, kind=ChannelKind.EMAIL)
        for key in (self.write_key, self.read_key):
            with self.subTest(readonly=key == self.read_key):
                r = self.get(self.detail(channel), key=key)
                self.assert_empty(r, 403)
                self.assert_cors(r, ("GET", "POST", "DELETE"))

    def test_an_unknown_channel_is_404(self) -> None:
        r = self.get(f"channels/{uuid.uuid4()}")
        self.assert_error(r, 404, "not found")
        self.assert_cors(r, ("GET", "POST", "DELETE"))

    def test_keys_are_checked_first(self) -> None:
        r = self.get(f"channels/{uuid.uuid4()}", key="")
        self.assert_error(r, 401, "missing api key")
        r = self.get(f"channels/{uuid.uuid4()}", key="hcw_" + "x" * 28)
        self.assert_error(r, 401, "wrong api key")

    def test_preflight_and_other_methods(self) -> None:
        channel = self.webhook()
        r = self.client.options(f"/api/v3/{self.detail(channel)}")
        self.assert_empty(r, 204)
        self.assert_cors(r, ("GET", "POST", "DELETE"))
        for method in ("put", "patch", "head"):
            with self.subTest(method=method):
                r = getattr(self.client, method)(
                    f"/api/v3/{self.detail(channel)}", headers={"X-Api-Key": self.write_key}
                )
                self.assert_empty(r, 405)
                self.assertEqual(r["Allow"], "GET, POST, DELETE, OPTIONS")


class UpdateTestCase(ChannelsApiTestCase):
    def test_it_merges_the_given_fields_over_the_stored_ones(self) -> None:
        channel = self.webhook()
        r = self.post(self.detail(channel), {"url_up": "https://example.org/recovered"})
        self.assertEqual(r.status_code, 200)
        stored = self.reload_channel(channel)
        self.assertEqual(
            stored.config, {**WEBHOOK_CONFIG, "url_up": "https://example.org/recovered"}
        )
        self.assertEqual(stored.name, "Hook")
        data = self.json(r)
        self.assertEqual(data["url_up"], "https://example.org/recovered")
        self.assertEqual(data["body_down"], "$JSON")

    def test_it_renames(self) -> None:
        channel = self.webhook()
        r = self.post(self.detail(channel), {"name": "Renamed"})
        self.assertEqual(self.json(r)["name"], "Renamed")
        stored = self.reload_channel(channel)
        self.assertEqual((stored.name, stored.config), ("Renamed", WEBHOOK_CONFIG))

    def test_an_empty_body_changes_nothing_but_disabled(self) -> None:
        channel = self.webhook()
        bodies: tuple[dict[str, Any] | None, ...] = (None, {})
        for body in bodies:
            with self.subTest(body=body):
                r = self.post(self.detail(channel), body)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(self.reload_channel(channel).config, WEBHOOK_CONFIG)

    def test_the_kind_may_be_repeated_but_not_changed(self) -> None:
        channel = self.webhook()
        r = self.post(self.detail(channel), {"kind": "webhook", "name": "Same kind"})
        self.assertEqual(r.status_code, 200)
        for kind in ("email", "Webhook", None, ["webhook"]):
            with self.subTest(kind=kind):
                r = self.post(self.detail(channel), {"kind": kind, "name": "x"})
                self.assert_error(r, 400, "kind cannot be changed")
        self.assertEqual(self.reload_channel(channel).name, "Same kind")

    def test_the_merged_config_is_validated_as_a_whole(self) -> None:
        channel = self.webhook()
        r = self.post(self.detail(channel), {"method_down": "GET", "name": "Not saved"})
        self.assert_error(
            r, 400, "invalid value for body_down: A request body is sent only with POST or PUT."
        )
        stored = self.reload_channel(channel)
        self.assertEqual((stored.name, stored.config), ("Hook", WEBHOOK_CONFIG))

    def test_field_errors_name_the_field(self) -> None:
        channel = self.webhook()
        cases: list[tuple[Any, str]] = [
            ({"url": "https://example.org"}, "unknown field: url"),
            ({"value": "a@example.org"}, "unknown field: value"),
            ({"url_down": None}, "invalid value for url_down: Enter a valid URL."),
            (
                {"headers_down": []},
                "invalid value for headers_down: Enter an object of header names and values.",
            ),
            ({"name": None}, "invalid value for name: must be a string"),
            ({"name": "x" * 101}, "invalid value for name: must be at most 100 characters"),
            ({"body_up": "\x00"}, "invalid value for body_up: contains invalid characters"),
            (b"[]", "json validation error: value is not an object"),
            (b"{", "could not parse request body"),
        ]
        for body, message in cases:
            with self.subTest(body=body):
                self.assert_error(self.post(self.detail(channel), body), 400, message)
        stored = self.reload_channel(channel)
        self.assertEqual((stored.name, stored.config), ("Hook", WEBHOOK_CONFIG))

    def test_stored_keys_the_model_does_not_know_are_dropped(self) -> None:
        # The integrations spec's stored value carries a copy of the name.
        channel = self.webhook(name="copied")
        r = self.post(self.detail(channel), {"url_up": "https://example.org/up2"})
        self.assertEqual(r.status_code, 200)
        self.assertNotIn("name", self.reload_channel(channel).config)

    def test_saving_clears_disabled(self) -> None:
        channel = self.webhook()
        Channel.objects.filter(id=channel.id).update(disabled=True)
        r = self.post(self.detail(channel), {})
        self.assertFalse(self.json(r)["disabled"])
        self.assertFalse(self.reload_channel(channel).disabled)

    def test_toggling_statuses_keeps_the_email_verification(self) -> None:
        channel = Channel.objects.create(
            project=self.project,
            kind=ChannelKind.EMAIL,
            config={"value": "ops@example.org", "down": True, "up": True},
            email_verified=True,
        )
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            r = self.post(self.detail(channel), {"up": False})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(callbacks, [])
        stored = self.reload_channel(channel)
        self.assertTrue(stored.email_verified)
        self.assertEqual(stored.config, {"value": "ops@example.org", "down": True, "up": False})

    def test_a_new_address_is_verified_again(self) -> None:
        channel = Channel.objects.create(
            project=self.project,
            kind=ChannelKind.EMAIL,
            config={"value": "ops@example.org", "down": True, "up": True},
            email_verified=True,
        )
        with SmtpSink() as sink, override_settings(**sink.settings()):
            with self.captureOnCommitCallbacks(execute=True):
                r = self.post(self.detail(channel), {"value": "new@example.org"})
            self.assertEqual(r.status_code, 200)
            self.assertEqual(sink.wait(1)[0].message["To"], "new@example.org")
        self.assertFalse(self.reload_channel(channel).email_verified)

    def test_re_enabling_a_disabled_email_verifies_again(self) -> None:
        channel = Channel.objects.create(
            project=self.project,
            kind=ChannelKind.EMAIL,
            config="ops@example.org",
            email_verified=True,
            disabled=True,
        )
        r = self.post(self.detail(channel), {"name": "Ops"})
        self.assertEqual(r.status_code, 200)
        stored = self.reload_channel(channel)
        self.assertFalse(stored.disabled)
        self.assertFalse(stored.email_verified)
        # The legacy bare address became the current shape.
        self.assertEqual(stored.config, {"value": "ops@example.org", "down": True, "up": True})

    def test_kinds_the_api_cannot_set_up_may_only_be_renamed(self) -> None:
        slack = Channel.objects.create(
            project=self.project, kind=ChannelKind.SLACK, config={"token": "t"}, disabled=True
        )
        r = self.post(self.detail(slack), {"name": "Team chat"})
        self.assertEqual(r.status_code, 200)
        stored = self.reload_channel(slack)
        self.assertEqual(
            (stored.name, stored.config, stored.disabled), ("Team chat", {"token": "t"}, True)
        )
        r = self.post(self.detail(slack), {"token": "other"})
        self.assert_error(
            r,
            400,
            "slack integrations are set up interactively in the web UI: "
            "only their name can be changed through the API",
        )
        apprise = Channel.objects.create(project=self.project, kind=ChannelKind.APPRISE)
        r = self.post(self.detail(apprise), {"url": "x", "name": "y"})
        self.assert_error(
            r,
            400,
            "this server does not support changing the settings of apprise integrations: "
            "only their name can be changed",
        )
        self.assertEqual(self.reload_channel(apprise).name, "")

    def test_read_only_keys_may_not_update(self) -> None:
        channel = self.webhook()
        r = self.post(self.detail(channel), {"name": "x"}, key=self.read_key)
        self.assert_error(r, 401, "wrong api key")
        self.assertEqual(self.reload_channel(channel).name, "Hook")

    def test_a_channel_of_another_project_is_403_before_validation(self) -> None:
        channel = Channel.objects.create(project=self.charlies_project, kind=ChannelKind.EMAIL)
        for body in ({"name": "mine now"}, {"kind": "slack", "junk": 1}):
            with self.subTest(body=body):
                self.assert_empty(self.post(self.detail(channel), body), 403)
        self.assertEqual(self.reload_channel(channel).name, "")

    def test_an_unknown_channel_is_404(self) -> None:
        self.assert_error(self.post(f"channels/{uuid.uuid4()}", {"name": "x"}), 404, "not found")


@time_machine.travel(NOW, tick=False)
class DeleteTestCase(ChannelsApiTestCase):
    def test_it_deletes_with_notifications_and_check_links(self) -> None:
        channel = self.webhook()
        other = self.webhook()
        check = Check.objects.create(project=self.project, status=CheckStatus.DOWN)
        channel.checks.add(check)
        other.checks.add(check)
        flip = Flip.objects.create(
            owner=check, created=NOW, old_status=CheckStatus.UP, new_status=CheckStatus.DOWN
        )
        notification = Notification.objects.create(
            owner=check, flip=flip, channel=channel, check_status=NotificationStatus.DOWN
        )
        DeliveryAttempt.objects.create(
            notification=notification, started=NOW, duration=timedelta(seconds=1)
        )
        kept = Notification.objects.create(
            owner=check, flip=flip, channel=other, check_status=NotificationStatus.DOWN
        )

        r = self.delete(self.detail(channel))
        self.assert_empty(r, 204)
        self.assert_cors(r, ("GET", "POST", "DELETE"))
        self.assertFalse(Channel.objects.filter(id=channel.id).exists())
        self.assertEqual(list(Notification.objects.all()), [kept])
        self.assertFalse(DeliveryAttempt.objects.exists())
        self.assertEqual(list(check.channel_set.all()), [other])
        self.assertTrue(Flip.objects.filter(id=flip.id).exists())

    def test_a_later_request_is_404(self) -> None:
        channel = self.webhook()
        self.delete(self.detail(channel))
        self.assert_error(self.get(self.detail(channel)), 404, "not found")
        self.assert_error(self.delete(self.detail(channel)), 404, "not found")

    def test_read_only_keys_may_not_delete(self) -> None:
        channel = self.webhook()
        self.assert_error(
            self.delete(self.detail(channel), key=self.read_key), 401, "wrong api key"
        )
        self.assertTrue(Channel.objects.filter(id=channel.id).exists())

    def test_a_channel_of_another_project_is_403(self) -> None:
        channel = Channel.objects.create(project=self.charlies_project, kind=ChannelKind.EMAIL)
        self.assert_empty(self.delete(self.detail(channel)), 403)
        self.assertTrue(Channel.objects.filter(id=channel.id).exists())

    def test_any_kind_can_be_deleted(self) -> None:
        channel = Channel.objects.create(project=self.project, kind=ChannelKind.SLACK)
        self.assert_empty(self.delete(self.detail(channel)), 204)
        self.assertFalse(Channel.objects.exists())


class LinkingTestCase(ChannelsApiTestCase):
    def test_a_checks_channels_member_links_api_created_integrations(self) -> None:
        hook = self.json(self.post("channels/", WEBHOOK))["id"]
        mail = self.json(self.post("channels/", EMAIL))["id"]
        r = self.post("checks/", {"name": "Backup", "channels": f"{hook},Ops"})
        self.assertEqual(r.status_code, 201)
        check = self.json(r)
        self.assertEqual(check["channels"], ",".join(sorted((hook, mail))))
        for channel_id in (hook, mail):
            self.assertEqual(
                self.json(self.get(f"channels/{channel_id}"))["checks"], [check["uuid"]]
            )
        self.post(f"checks/{check['uuid']}", {"channels": mail})
        self.assertEqual(self.json(self.get(f"channels/{hook}"))["checks"], [])


class OpenApiTestCase(ChannelsApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.document = build_document()

    def validator(self, schema: dict[str, Any]) -> Any:
        root = {**schema, "components": self.document["components"]}
        return jsonschema_rs.validator_for(root, validate_formats=True)

    def ref(self, name: str) -> Any:
        return self.validator({"$ref": f"#/components/schemas/{name}"})

    def assert_conforms(self, path: str, method: str, response: Any) -> None:
        documented = self.document["paths"][path][method]["responses"][str(response.status_code)]
        for name, header in documented.get("headers", {}).items():
            if header["required"]:
                self.assertIn(name, response.headers)
        if "content" not in documented:
            self.assertEqual(response.content, b"")
            return
        media_type = response["Content-Type"].split(";")[0]
        schema = documented["content"][media_type]["schema"]
        if media_type == "application/json":
            self.validator(schema).validate(response.json())
        else:
            self.assertTrue(self.validator(schema).is_valid(response.content.decode()))

    def test_documented_status_codes(self) -> None:
        expected = {
            ("/channels/", "get"): {"200", "401"},
            ("/channels/", "post"): {"201", "400", "401"},
            ("/channels/{code}", "get"): {"200", "401", "403", "404"},
            ("/channels/{code}", "post"): {"200", "400", "401", "403", "404"},
            ("/channels/{code}", "delete"): {"204", "401", "403", "404"},
            ("/channels/{code}", "options"): {"204", "404"},
            ("/channels", "post"): {"301"},
        }
        for (path, method), statuses in expected.items():
            with self.subTest(path=path, method=method):
                operation = self.document["paths"][path][method]
                self.assertEqual(set(operation["responses"]), statuses)

    def test_the_create_body_has_a_variant_per_integration_package(self) -> None:
        schemas = self.document["components"]["schemas"]
        body = schemas["ChannelCreateBody"]
        self.assertEqual(set(body["discriminator"]["mapping"]), set(registry.PACKAGES))
        self.assertEqual(len(body["oneOf"]), len(registry.PACKAGES))
        for kind, ref in body["discriminator"]["mapping"].items():
            variant = schemas[ref.rsplit("/", 1)[1]]
            model_fields = set(registry.get(kind).config.model_fields)
            self.assertEqual(set(variant["properties"]), {"kind", "name", "api_key"} | model_fields)
            self.assertEqual(variant["properties"]["kind"]["const"], kind)
            self.assertFalse(variant["additionalProperties"])
        self.assertEqual(
            set(schemas["WebhookChannelCreate"]["properties"]) - {"kind", "name", "api_key"},
            {
                "method_down",
                "url_down",
                "body_down",
                "headers_down",
                "method_up",
                "url_up",
                "body_up",
                "headers_up",
            },
        )
        request = self.document["paths"]["/channels/"]["post"]["requestBody"]
        schema = request["content"]["application/json"]["schema"]
        self.assertEqual(schema, {"$ref": "#/components/schemas/ChannelCreateBody"})

    def test_the_request_schemas_agree_with_the_server(self) -> None:
        create = self.ref("ChannelCreateBody")
        update = self.ref("ChannelUpdateBody")
        for body in (WEBHOOK, EMAIL, {"kind": "email", "value": "a@example.org"}):
            self.assertTrue(create.is_valid(body))
        for body in (
            {**EMAIL, "url": "x"},
            {"kind": "slack"},
            {"value": "a@example.org"},
            {**EMAIL, "name": "x" * 101},
            {**EMAIL, "down": "yes"},
        ):
            with self.subTest(body=body):
                self.assertFalse(create.is_valid(body))
                self.assertEqual(self.post("channels/", body).status_code, 400)
        self.assertTrue(update.is_valid({}))
        self.assertTrue(update.is_valid({"url_up": "https://example.org"}))
        self.assertFalse(update.is_valid({"nope": 1}))

    def test_the_documented_examples_work(self) -> None:
        create = self.document["paths"]["/channels/"]["post"]["requestBody"]
        examples = create["content"]["application/json"]["examples"]
        self.assertEqual(set(examples), set(registry.PACKAGES))
        update = self.document["paths"]["/channels/{code}"]["post"]["requestBody"]
        update_examples = update["content"]["application/json"]["examples"]
        for name, example in examples.items():
            with self.subTest(example=name):
                self.assertTrue(self.ref("ChannelCreateBody").is_valid(example["value"]))
                r = self.post("channels/", example["value"])
                self.assertEqual(r.status_code, 201)
                path = f"channels/{self.json(r)['id']}"
                for change in update_examples.values():
                    self.assertTrue(self.ref("ChannelUpdateBody").is_valid(change["value"]))
                    self.assertEqual(self.post(path, change["value"]).status_code, 200)

    def test_real_responses_conform(self) -> None:
        r = self.post("channels/", WEBHOOK)
        self.assert_conforms("/channels/", "post", r)
        code = self.json(r)["id"]
        path = f"channels/{code}"
        self.assert_conforms("/channels/{code}", "get", self.get(path))
        self.assert_conforms("/channels/{code}", "get", self.get(path, key=self.read_key))
        self.assert_conforms("/channels/{code}", "post", self.post(path, {"name": "x"}))
        self.assert_conforms("/channels/{code}", "post", self.post(path, {"nope": 1}))
        self.assert_conforms("/channels/", "post", self.post("channels/", {"kind": "slack"}))
        self.assert_conforms("/channels/", "post", self.post("channels/", EMAIL, key=self.read_key))
        foreign = Channel.objects.create(project=self.charlies_project, kind=ChannelKind.EMAIL)
        self.assert_conforms("/channels/{code}", "get", self.get(f"channels/{foreign.code}"))
        self.assert_conforms("/channels/{code}", "delete", self.delete(path))
        self.assert_conforms("/channels/{code}", "delete", self.delete(path))
        self.assert_conforms("/channels/", "get", self.get("channels/"))
        self.assert_conforms("/channels/{code}", "options", self.client.options(f"/api/v3/{path}"))

    def test_channel_detail_lists_members_and_allows_kind_fields(self) -> None:
        channel = self.webhook()
        full = self.json(self.get(self.detail(channel)))
        readonly = self.json(self.get(self.detail(channel), key=self.read_key))
        detail = self.ref("ChannelDetail")
        self.assertTrue(detail.is_valid(full))
        self.assertTrue(detail.is_valid(readonly))
        self.assertFalse(detail.is_valid({**full, "failures": -1}))
        self.assertFalse(detail.is_valid({**full, "last_notify": "2026-01-01T00:00:00Z"}))
        self.assertFalse(detail.is_valid({k: v for k, v in full.items() if k != "disabled"}))

"""The email channel's config schema and the verification rules on save (spec §3.1)."""

from __future__ import annotations

import hashlib
from typing import Any
from unittest.mock import patch

from django.test import override_settings
from pydantic import ValidationError

from hc.api.models import Channel
from hc.integrations import registry
from hc.integrations.email.actions import email_saved, send_quietly, verification_message
from hc.integrations.email.config import EmailConfig, email_settings
from hc.integrations.email.transport import EmailTransport
from hc.lib import emails
from hc.test import BaseTestCase
from hc.test_smtp import SmtpSink

SITE = {"SITE_ROOT": "http://testserver", "SITE_NAME": "Mychecks", "SECRET_KEY": "abc"}


class EmailConfigTestCase(BaseTestCase):
    def errors(self, data: Any) -> list[tuple[tuple[str | int, ...], str]]:
        with self.assertRaises(ValidationError) as cm:
            EmailConfig.model_validate(data)
        return [(e["loc"], e["msg"]) for e in cm.exception.errors()]

    def test_it_trims_the_address_and_defaults_to_both_statuses(self) -> None:
        config = EmailConfig.model_validate({"value": "  ops@example.org \n"})
        self.assertEqual(
            config.model_dump(), {"value": "ops@example.org", "down": True, "up": True}
        )

    def test_it_rejects_bad_addresses(self) -> None:
        cases = {
            "not-an-address": "value must be a valid email address",
            "   ": "value must not be empty",
            "a" * 95 + "@b.org": "value must be at most 100 characters",
        }
        for value, message in cases.items():
            with self.subTest(value=value):
                self.assertEqual(self.errors({"value": value}), [(("value",), message)])
        self.assertEqual(self.errors({"value": 5}), [(("value",), "value must be a string")])

    def test_it_accepts_exactly_100_characters(self) -> None:
        value = "a" * 94 + "@b.org"
        self.assertEqual(EmailConfig.model_validate({"value": value}).value, value)

    def test_it_requires_one_status_and_blames_down(self) -> None:
        errors = self.errors({"value": "ops@example.org", "down": False, "up": False})
        self.assertEqual(len(errors), 1)
        loc, message = errors[0]
        self.assertEqual(loc, ("down",))
        self.assertIn("select at least one", message)

    def test_it_forbids_unknown_fields_and_non_booleans(self) -> None:
        self.assertEqual(self.errors({"value": "ops@example.org", "cc": "x"})[0][0], ("cc",))
        self.assertEqual(self.errors({"value": "ops@example.org", "up": "yes"})[0][0], ("up",))

    def test_email_settings_reads_legacy_and_current_configs(self) -> None:
        legacy = email_settings(" ops@example.org ")
        self.assertEqual((legacy.address, legacy.down, legacy.up), ("ops@example.org", True, True))
        current = email_settings({"value": "ops@example.org", "down": False, "up": True})
        self.assertEqual((current.down, current.up), (False, True))
        broken = email_settings(None)
        self.assertEqual((broken.address, broken.down, broken.up), ("", False, False))

    def test_it_is_registered(self) -> None:
        integration = registry.get("email")
        self.assertEqual(integration.label, "Email")
        self.assertIs(integration.transport, EmailTransport)
        self.assertIs(integration.config, EmailConfig)
        self.assertIs(integration.on_saved, email_saved)


class EmailSavedTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sink = self.enterContext(SmtpSink())
        self.enterContext(override_settings(**self.sink.settings(), **SITE))
        self.enterContext(patch.object(emails, "SMTP_PAUSE", 0))
        self.channel = Channel.objects.create(
            project=self.project,
            kind="email",
            config={"value": "ops@example.org", "down": True, "up": True},
            email_verified=True,
        )

    def save(self, old_config: dict[str, Any] | None, *, was_disabled: bool = False) -> bool:
        with self.captureOnCommitCallbacks(execute=True):
            email_saved(self.channel, old_config, was_disabled, "")
        self.channel.refresh_from_db()
        return self.channel.email_verified

    def test_a_new_channel_gets_a_verification_email(self) -> None:
        self.assertFalse(self.save(None))
        received = self.sink.wait(1)[0]
        self.assertEqual(received.rcpt_tos, ["ops@example.org"])
        message = received.message
        self.assertEqual(message["Subject"], "Verify email address on Mychecks")
        self.assertIsNotNone(message["Message-ID"])
        token = hashlib.sha256(f"{self.channel.code}abc".encode()).hexdigest()
        link = f"http://testserver/integrations/{self.channel.code}/verify/{token}/"
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert text is not None and html is not None
        self.assertIn(link, text.get_content())
        self.assertIn(f'href="{link}"', html.get_content())

    @override_settings(EMAIL_USE_VERIFICATION=False)
    def test_without_verification_a_new_channel_is_verified(self) -> None:
        self.channel.email_verified = False
        self.channel.save()
        self.assertTrue(self.save(None))
        self.assertEqual(self.sink.received, [])

    def test_toggling_statuses_keeps_the_verification_state(self) -> None:
        old = {"value": "ops@example.org", "down": True, "up": False}
        self.assertTrue(self.save(old))
        Channel.objects.filter(id=self.channel.id).update(email_verified=False)
        self.channel.refresh_from_db()
        self.assertFalse(self.save(old))
        self.assertEqual(self.sink.received, [])

    def test_a_changed_address_is_verified_again(self) -> None:
        self.assertFalse(self.save({"value": "old@example.org"}))
        self.assertEqual(self.sink.wait(1)[0].rcpt_tos, ["ops@example.org"])

    def test_a_re_enabled_channel_is_verified_again(self) -> None:
        self.assertFalse(self.save({"value": "ops@example.org"}, was_disabled=True))
        self.assertEqual(len(self.sink.wait(1)), 1)

    def test_a_legacy_old_config_is_compared_by_address(self) -> None:
        self.assertTrue(self.save("ops@example.org"))  # type: ignore[arg-type]  # legacy value

    def test_the_saving_users_own_address_needs_no_verification(self) -> None:
        Channel.objects.filter(id=self.channel.id).update(email_verified=False)
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            email_saved(self.channel, None, False, "OPS@example.org")
        self.assertEqual(callbacks, [])
        self.channel.refresh_from_db()
        self.assertTrue(self.channel.email_verified)

    def test_someone_elses_address_is_verified_by_mail(self) -> None:
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            email_saved(self.channel, None, False, "alice@example.org")
        self.assertEqual(len(callbacks), 1)
        self.channel.refresh_from_db()
        self.assertFalse(self.channel.email_verified)

    def test_nothing_is_sent_when_the_save_is_rolled_back(self) -> None:
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            email_saved(self.channel, None, False, "")
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(self.sink.received, [])

    def test_an_smtp_failure_is_logged_not_raised(self) -> None:
        self.sink.data_replies = ["554 5.7.1 No"] * 3
        message = verification_message(self.channel, "ops@example.org")
        with self.assertLogs("hc.integrations.email.actions", "WARNING") as logs:
            send_quietly(message)
        self.assertIn("Could not send a verification email", logs.output[0])
        self.assertEqual(self.sink.received, [])

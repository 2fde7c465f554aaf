"""The email integration's add and edit forms (web spec §9.3, integrations spec §3.1)."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from django.contrib.messages import get_messages
from django.test import override_settings

from hc.api.models import Channel, Check
from hc.integrations.email.tokens import verify_url
from hc.lib import emails
from hc.test import BaseTestCase
from hc.test_smtp import SmtpSink


class EmailFormTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sink = self.enterContext(SmtpSink())
        self.enterContext(override_settings(**self.sink.settings(), SITE_ROOT="http://testserver"))
        self.enterContext(patch.object(emails, "SMTP_PAUSE", 0))
        self.check_a = Check.objects.create(project=self.project, name="a")
        self.check_b = Check.objects.create(project=self.project, name="b")
        self.url = f"/projects/{self.project.code}/add_email/"

    def post(self, url: str, data: dict[str, Any], user: Any = None) -> Any:
        self.client.force_login(user or self.alice)
        # The verification email goes out after the commit.
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, data)


class AddEmailTestCase(EmailFormTestCase):
    def test_it_shows_the_form(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(self.url)
        self.assertContains(response, "Integration Settings")
        self.assertContains(response, "Notify When")
        self.assertContains(response, "Save Integration")
        # Both statuses are ticked by default.
        self.assertContains(response, 'name="down" id="id_down" checked')
        self.assertContains(response, 'name="up" id="id_up" checked')

    def test_another_address_is_unconfirmed_and_gets_a_verification_email(self) -> None:
        response = self.post(self.url, {"value": " ops@example.org ", "down": "on", "up": "on"})
        self.assertRedirects(response, f"/projects/{self.project.code}/integrations/")
        channel = Channel.objects.get()
        self.assertEqual(channel.kind, "email")
        self.assertEqual(channel.config, {"value": "ops@example.org", "down": True, "up": True})
        self.assertFalse(channel.email_verified)
        # A new integration is assigned to all existing checks.
        self.assertEqual(set(channel.checks.all()), {self.check_a, self.check_b})
        flashes = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertEqual(len(flashes), 1)
        self.assertIn("sent a verification link to ops@example.org", flashes[0])

        received = self.sink.wait(1)[0]
        self.assertEqual(received.rcpt_tos, ["ops@example.org"])
        self.assertIn("Verify email address", received.message["Subject"])
        text = received.message.get_body(preferencelist=("plain",))
        assert text is not None
        self.assertIn(verify_url(channel), text.get_content())

    def test_the_users_own_address_is_verified_at_once(self) -> None:
        response = self.post(self.url, {"value": "Alice@Example.org", "down": "on"})
        self.assertEqual(response.status_code, 302)
        channel = Channel.objects.get()
        self.assertTrue(channel.email_verified)
        self.assertEqual(channel.config, {"value": "Alice@Example.org", "down": True, "up": False})
        self.assertEqual(channel.checks.count(), 2)
        self.assertEqual(self.sink.received, [])
        self.assertEqual(list(get_messages(response.wsgi_request)), [])

    @override_settings(EMAIL_USE_VERIFICATION=False)
    def test_without_verification_every_address_is_verified(self) -> None:
        self.post(self.url, {"value": "ops@example.org", "up": "on"})
        self.assertTrue(Channel.objects.get().email_verified)
        self.assertEqual(self.sink.received, [])

    def test_it_needs_one_status(self) -> None:
        response = self.post(self.url, {"value": "ops@example.org"})
        self.assertContains(response, "Select at least one", status_code=400)
        self.assertFalse(Channel.objects.exists())

    def test_it_rejects_bad_addresses(self) -> None:
        for value in ("", "not an address", "a@b@c", "x" * 92 + "@example.org"):
            with self.subTest(value=value):
                response = self.post(self.url, {"value": value, "down": "on"})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "field-error", status_code=400)
        self.assertFalse(Channel.objects.exists())

    def test_read_only_members_cannot_add(self) -> None:
        self.client.force_login(self.rose)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        response = self.post(self.url, {"value": "ops@example.org", "down": "on"}, user=self.rose)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Channel.objects.exists())

    def test_non_members_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)


class EditEmailTestCase(EmailFormTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.channel = Channel.objects.create(
            project=self.project,
            kind="email",
            name="On-call",
            config={"value": "ops@example.org", "down": True, "up": True},
            email_verified=True,
        )
        self.channel.checks.add(self.check_a)
        self.edit_url = f"/integrations/{self.channel.code}/edit/"

    def test_it_shows_the_stored_settings(self) -> None:
        Channel.objects.filter(id=self.channel.id).update(
            config={"value": "ops@example.org", "down": False, "up": True}
        )
        self.client.force_login(self.alice)
        response = self.client.get(self.edit_url)
        self.assertContains(response, 'value="ops@example.org"')
        self.assertContains(response, 'name="down" id="id_down">')
        self.assertContains(response, 'name="up" id="id_up" checked')

    def test_toggling_statuses_keeps_the_verification(self) -> None:
        response = self.post(self.edit_url, {"value": "ops@example.org", "down": "on"})
        self.assertEqual(response.status_code, 302)
        self.channel.refresh_from_db()
        self.assertEqual(self.channel.config["up"], False)
        self.assertTrue(self.channel.email_verified)
        self.assertEqual(self.channel.name, "On-call")
        # The assignment stays as it was.
        self.assertEqual(list(self.channel.checks.all()), [self.check_a])
        self.assertEqual(self.sink.received, [])

    def test_a_new_address_is_verified_again(self) -> None:
        self.post(self.edit_url, {"value": "dev@example.org", "down": "on", "up": "on"})
        self.channel.refresh_from_db()
        self.assertFalse(self.channel.email_verified)
        self.assertEqual(self.sink.wait(1)[0].rcpt_tos, ["dev@example.org"])

    def test_saving_a_disabled_channel_enables_it(self) -> None:
        Channel.objects.filter(id=self.channel.id).update(disabled=True)
        self.post(self.edit_url, {"value": "alice@example.org", "down": "on", "up": "on"}, self.bob)
        self.channel.refresh_from_db()
        self.assertFalse(self.channel.disabled)
        # Bob's own address is not alice's: it needs confirming.
        self.assertFalse(self.channel.email_verified)
        self.assertEqual(self.sink.wait(1)[0].rcpt_tos, ["alice@example.org"])

    def test_fixing_a_disabled_channel_with_ones_own_address(self) -> None:
        Channel.objects.filter(id=self.channel.id).update(disabled=True, email_verified=False)
        self.post(self.edit_url, {"value": "bob@example.org", "down": "on"}, self.bob)
        self.channel.refresh_from_db()
        self.assertFalse(self.channel.disabled)
        self.assertTrue(self.channel.email_verified)
        self.assertEqual(self.channel.config["value"], "bob@example.org")
        self.assertEqual(self.sink.received, [])

    def test_invalid_input_changes_nothing(self) -> None:
        response = self.post(self.edit_url, {"value": "nope", "down": "on"})
        self.assertEqual(response.status_code, 400)
        self.channel.refresh_from_db()
        self.assertEqual(self.channel.config["value"], "ops@example.org")

    def test_read_only_members_cannot_edit(self) -> None:
        self.client.force_login(self.rose)
        self.assertEqual(self.client.get(self.edit_url).status_code, 403)

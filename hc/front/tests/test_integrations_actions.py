"""The integrations page's actions: assign, rename, edit, test, remove (web spec §9.2)."""

from __future__ import annotations

import uuid
from typing import Any
from unittest.mock import patch

from django.contrib.messages import get_messages
from django.test import override_settings

from hc.api.models import Channel, Check, Notification
from hc.lib import emails
from hc.test import BaseTestCase
from hc.test_receiver import Answer, SharedReceiver
from hc.test_smtp import SmtpSink

LOOPBACK = override_settings(
    INTEGRATIONS_ALLOW_PRIVATE_IPS=True, INTEGRATIONS_HTTP_TIMEOUT=10, WEBHOOKS_ENABLED=True
)


class ChannelTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_a = Check.objects.create(project=self.project, name="a")
        self.check_b = Check.objects.create(project=self.project, name="")
        self.channel = Channel.objects.create(
            project=self.project, kind="email", config={"value": "ops@example.org"}
        )
        self.channel.checks.add(self.check_a)
        self.list_url = f"/projects/{self.project.code}/integrations/"

    def flashes(self, response: Any) -> list[tuple[str, str]]:
        return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


class AssignChecksTestCase(ChannelTestCase):
    def post(self, data: dict[str, str], user: Any = None) -> Any:
        self.client.force_login(user or self.alice)
        return self.client.post(self.list_url, data)

    def test_it_replaces_the_assigned_checks(self) -> None:
        response = self.post(
            {"channel": str(self.channel.code), f"check-{self.check_b.code}": "on"}
        )
        self.assertRedirects(response, self.list_url)
        self.assertEqual(list(self.channel.checks.all()), [self.check_b])

    def test_nothing_ticked_unassigns_everything(self) -> None:
        response = self.post({"channel": str(self.channel.code)})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.channel.checks.exists())

    def test_it_rejects_checks_of_other_projects(self) -> None:
        foreign = Check.objects.create(project=self.charlies_project)
        response = self.post(
            {
                "channel": str(self.channel.code),
                f"check-{self.check_b.code}": "on",
                f"check-{foreign.code}": "on",
            }
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(self.channel.checks.all()), [self.check_a])
        self.assertFalse(foreign.channel_set.exists())

    def test_it_rejects_channels_of_other_projects(self) -> None:
        foreign = Channel.objects.create(project=self.charlies_project, kind="email")
        response = self.post({"channel": str(foreign.code), f"check-{self.check_b.code}": "on"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(foreign.checks.exists())

    def test_it_rejects_malformed_codes(self) -> None:
        self.assertEqual(self.post({"channel": "nope"}).status_code, 400)
        self.assertEqual(self.post({}).status_code, 400)
        response = self.post({"channel": str(self.channel.code), "check-nope": "on"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(self.channel.checks.all()), [self.check_a])

    def test_read_only_members_cannot_assign(self) -> None:
        response = self.post({"channel": str(self.channel.code)}, user=self.rose)
        self.assertEqual(response.status_code, 403)
        self.assertTrue(self.channel.checks.exists())


class AssignDialogTestCase(ChannelTestCase):
    def test_it_lists_every_check_with_its_box(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(f"/integrations/{self.channel.code}/checks/")
        html = response.content.decode()
        self.assertIn("Assign Checks to Integration (", html)
        self.assertIn('<span class="assign-count" aria-live="polite">1</span> of 2', html)
        self.assertIn(
            f'name="check-{self.check_a.code}" id="assign-{self.check_a.code}" checked', html
        )
        self.assertIn(f'name="check-{self.check_b.code}" id="assign-{self.check_b.code}">', html)
        self.assertIn("unnamed", html)
        self.assertIn(str(self.check_b.code), html)
        self.assertLess(html.index(str(self.check_a.code)), html.index(str(self.check_b.code)))
        self.assertIn(f'value="{self.channel.code}"', html)
        self.assertIn("Select All", html)
        self.assertIn("Unselect All", html)

    def test_it_explains_when_there_are_no_checks(self) -> None:
        Check.objects.all().delete()
        self.client.force_login(self.alice)
        response = self.client.get(f"/integrations/{self.channel.code}/checks/")
        self.assertContains(response, "Got It")
        self.assertNotContains(response, "Save Changes")

    def test_it_needs_write_access(self) -> None:
        self.client.force_login(self.rose)
        response = self.client.get(f"/integrations/{self.channel.code}/checks/")
        self.assertEqual(response.status_code, 403)


class RenameTestCase(ChannelTestCase):
    def post(self, name: str) -> Any:
        self.client.force_login(self.alice)
        return self.client.post(f"/integrations/{self.channel.code}/name/", {"name": name})

    def test_it_renames(self) -> None:
        self.assertRedirects(self.post("On-call"), self.list_url)
        self.channel.refresh_from_db()
        self.assertEqual(self.channel.name, "On-call")

    def test_it_allows_100_characters_and_no_more(self) -> None:
        self.assertEqual(self.post("x" * 100).status_code, 302)
        self.assertEqual(self.post("y" * 101).status_code, 400)
        self.channel.refresh_from_db()
        self.assertEqual(self.channel.name, "x" * 100)

    def test_it_keeps_the_settings_and_the_disabled_flag(self) -> None:
        Channel.objects.filter(id=self.channel.id).update(disabled=True, email_verified=True)
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            self.post("")
        self.assertEqual(callbacks, [])  # no verification email
        self.channel.refresh_from_db()
        self.assertTrue(self.channel.disabled)
        self.assertTrue(self.channel.email_verified)

    def test_it_rejects_null_characters(self) -> None:
        self.assertEqual(self.post("a\x00b").status_code, 400)


class EditDispatchTestCase(ChannelTestCase):
    def test_it_shows_the_kinds_own_form(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(f"/integrations/{self.channel.code}/edit/")
        self.assertContains(response, 'value="ops@example.org"')
        self.assertContains(response, "Save Integration")

    def test_kinds_without_an_edit_form_answer_400(self) -> None:
        for kind in ("slack", "group", "pd"):
            channel = Channel.objects.create(project=self.project, kind=kind)
            self.client.force_login(self.alice)
            with self.subTest(kind):
                response = self.client.get(f"/integrations/{channel.code}/edit/")
                self.assertEqual(response.status_code, 400)
                response = self.client.post(f"/integrations/{channel.code}/edit/", {})
                self.assertEqual(response.status_code, 400)

    @override_settings(WEBHOOKS_ENABLED=False)
    def test_a_disabled_kind_answers_404(self) -> None:
        webhook = Channel.objects.create(
            project=self.project, kind="webhook", config={"url_down": "https://example.org"}
        )
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(f"/integrations/{webhook.code}/edit/").status_code, 404)


class RemoveTestCase(ChannelTestCase):
    def test_it_removes_the_channel_and_its_history(self) -> None:
        Notification.objects.create(channel=self.channel, check_status="down")
        self.client.force_login(self.mike)
        response = self.client.post(f"/integrations/{self.channel.code}/remove/")
        self.assertRedirects(response, self.list_url)
        self.assertFalse(Channel.objects.filter(id=self.channel.id).exists())
        self.assertFalse(Notification.objects.exists())
        self.assertTrue(Check.objects.filter(id=self.check_a.id).exists())
        self.assertEqual(
            self.flashes(response), [("success", "The Email integration has been removed.")]
        )

    def test_it_needs_a_post(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(f"/integrations/{self.channel.code}/remove/")
        self.assertEqual(response.status_code, 405)
        self.assertTrue(Channel.objects.filter(id=self.channel.id).exists())

    def test_read_only_members_cannot_remove(self) -> None:
        self.client.force_login(self.rose)
        response = self.client.post(f"/integrations/{self.channel.code}/remove/")
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Channel.objects.filter(id=self.channel.id).exists())

    def test_other_projects_channels_are_not_found(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.post(f"/integrations/{self.channel.code}/remove/")
        self.assertEqual(response.status_code, 404)
        response = self.client.post(f"/integrations/{uuid.uuid4()}/remove/")
        self.assertEqual(response.status_code, 404)


@LOOPBACK
class WebhookTestSendTestCase(SharedReceiver, ChannelTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.webhook = Channel.objects.create(
            project=self.project,
            kind="webhook",
            config={
                "method_down": "POST",
                "url_down": self.receiver.url("/alert/$STATUS"),
                "body_down": "$NAME is $STATUS",
                "headers_down": {"X-Check": "$NAME"},
                "url_up": "",
            },
        )
        self.url = f"/integrations/{self.webhook.code}/test/"

    def test_it_sends_a_real_request(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url)
        self.assertRedirects(response, self.list_url)
        request = self.receiver.wait(1)[0]
        self.assertEqual(request.method, "POST")
        self.assertEqual(request.path, "/alert/down")
        self.assertEqual(request.body, b"TEST is down")
        self.assertEqual(request.header("X-Check"), "TEST")
        self.assertEqual(self.flashes(response), [("success", "Test notification sent!")])
        self.webhook.refresh_from_db()
        self.assertEqual(self.webhook.last_error, "")
        self.assertIsNotNone(self.webhook.last_notify)

    def test_read_only_members_may_send_a_test(self) -> None:
        self.client.force_login(self.rose)
        response = self.client.post(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(self.receiver.wait(1)), 1)

    def test_it_says_why_a_test_failed(self) -> None:
        self.receiver.script(Answer(500), Answer(500), Answer(500))
        self.client.force_login(self.alice)
        response = self.client.post(self.url)
        self.assertRedirects(response, self.list_url)
        self.assertEqual(
            self.flashes(response),
            [
                (
                    "warning",
                    "Could not send a test notification. Received status code 500.",
                )
            ],
        )
        # Test sends are tried once.
        self.assertEqual(len(self.receiver.wait(1)), 1)
        self.webhook.refresh_from_db()
        self.assertEqual(self.webhook.last_error, "Received status code 500")

    def test_an_up_only_webhook_gets_an_up_test(self) -> None:
        Channel.objects.filter(id=self.webhook.id).update(
            config={"url_down": "", "url_up": self.receiver.url("/up/$STATUS")}
        )
        self.client.force_login(self.alice)
        self.client.post(self.url)
        self.assertEqual(self.receiver.wait(1)[0].path, "/up/up")

    def test_it_needs_a_post(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 405)


class EmailTestSendTestCase(ChannelTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sink = self.enterContext(SmtpSink())
        self.enterContext(override_settings(**self.sink.settings(), SITE_ROOT="http://testserver"))
        self.enterContext(patch.object(emails, "SMTP_PAUSE", 0))
        Channel.objects.filter(id=self.channel.id).update(email_verified=True)

    def test_it_sends_a_real_email(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(f"/integrations/{self.channel.code}/test/")
        self.assertEqual(self.flashes(response), [("success", "Test notification sent!")])
        received = self.sink.wait(1)[0]
        self.assertEqual(received.rcpt_tos, ["ops@example.org"])
        self.assertEqual(received.message["Subject"], "DOWN | TEST")

    def test_an_unverified_address_gets_nothing(self) -> None:
        Channel.objects.filter(id=self.channel.id).update(email_verified=False)
        self.client.force_login(self.alice)
        response = self.client.post(f"/integrations/{self.channel.code}/test/")
        self.assertEqual(
            self.flashes(response),
            [("warning", "Could not send a test notification. Email not verified.")],
        )
        self.assertEqual(self.sink.received, [])

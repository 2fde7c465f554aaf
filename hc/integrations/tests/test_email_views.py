"""The verification and unsubscribe links of email channels (spec §3.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client, override_settings

from hc.api.models import Channel
from hc.integrations.email.tokens import unsubscribe_url, verify_token
from hc.test import BaseTestCase

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@override_settings(SITE_ROOT="http://testserver")
class EmailLinksTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.channel = Channel.objects.create(
            project=self.project, kind="email", config={"value": "ops@example.org"}
        )
        self.other = Channel.objects.create(
            project=self.project, kind="email", config={"value": "dev@example.org"}
        )
        self.webhook = Channel.objects.create(
            project=self.project, kind="webhook", config={"url_down": "http://example.org"}
        )

    def assert_bad_link(self, response: object) -> None:
        self.assertContains(response, "Incorrect Link", status_code=400)  # type: ignore[arg-type]


class VerifyTestCase(EmailLinksTestCase):
    def url(self, channel: Channel, token: str | None = None) -> str:
        return f"/integrations/{channel.code}/verify/{token or verify_token(channel)}/"

    def test_it_verifies_the_address(self) -> None:
        response = self.client.get(self.url(self.channel))
        self.assertContains(response, "ops@example.org")
        self.channel.refresh_from_db()
        self.assertTrue(self.channel.email_verified)
        self.other.refresh_from_db()
        self.assertFalse(self.other.email_verified)

    def test_it_needs_no_login_and_works_twice(self) -> None:
        self.assertEqual(self.client.get(self.url(self.channel)).status_code, 200)
        self.assertEqual(self.client.get(self.url(self.channel)).status_code, 200)

    def test_it_rejects_a_wrong_token(self) -> None:
        self.assert_bad_link(self.client.get(self.url(self.channel, "0" * 64)))
        self.assert_bad_link(self.client.get(self.url(self.channel, verify_token(self.other))))
        self.channel.refresh_from_db()
        self.assertFalse(self.channel.email_verified)

    def test_it_rejects_other_kinds(self) -> None:
        self.assert_bad_link(self.client.get(self.url(self.webhook)))
        self.webhook.refresh_from_db()
        self.assertFalse(self.webhook.email_verified)

    def test_it_rejects_an_unknown_channel(self) -> None:
        url = f"/integrations/{self.project.code}/verify/{verify_token(self.channel)}/"
        self.assert_bad_link(self.client.get(url))

    def test_it_only_answers_get(self) -> None:
        self.assertEqual(self.client.post(self.url(self.channel)).status_code, 405)
        self.channel.refresh_from_db()
        self.assertFalse(self.channel.email_verified)


class UnsubscribeTestCase(EmailLinksTestCase):
    def setUp(self) -> None:
        super().setUp()
        with time_machine.travel(NOW, tick=False):
            self.link = unsubscribe_url(self.channel).removeprefix("http://testserver")

    def disabled(self) -> bool:
        self.channel.refresh_from_db()
        return self.channel.disabled

    def test_a_fresh_link_asks_for_confirmation(self) -> None:
        with time_machine.travel(NOW + timedelta(minutes=4), tick=False):
            response = self.client.get(self.link)
        self.assertContains(response, '<form id="unsubscribe" method="post">')
        self.assertContains(response, "ops@example.org")
        self.assertNotContains(response, "<script>")
        self.assertFalse(self.disabled())

    def test_an_older_link_submits_itself(self) -> None:
        with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
            response = self.client.get(self.link)
        self.assertContains(response, "<script>")
        self.assertFalse(self.disabled())

    def test_post_unsubscribes_without_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        # RFC 8058 one-click: the mail client posts this body.
        response = client.post(
            self.link,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        self.assertContains(response, "Unsubscribed")
        self.assertTrue(self.disabled())
        self.other.refresh_from_db()
        self.assertFalse(self.other.disabled)

    def test_links_never_expire(self) -> None:
        with time_machine.travel(NOW + timedelta(days=400), tick=False):
            response = self.client.post(self.link)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.disabled())

    def test_it_rejects_a_tampered_signature(self) -> None:
        self.assert_bad_link(self.client.get(self.link[:-3] + "xx/"))
        self.assert_bad_link(self.client.post(self.link[:-3] + "xx/"))
        self.assertFalse(self.disabled())

    def test_it_rejects_another_channels_link(self) -> None:
        other_link = unsubscribe_url(self.other).removeprefix("http://testserver")
        url = other_link.replace(str(self.other.code), str(self.channel.code))
        self.assert_bad_link(self.client.post(url))
        self.assertFalse(self.disabled())

    def test_it_rejects_other_kinds(self) -> None:
        # Correctly signed for the webhook, but it is not an email channel.
        url = unsubscribe_url(self.webhook).removeprefix("http://testserver")
        self.assert_bad_link(self.client.post(url))
        self.webhook.refresh_from_db()
        self.assertFalse(self.webhook.disabled)

    def test_it_refuses_other_methods(self) -> None:
        self.assertEqual(self.client.put(self.link).status_code, 405)
        self.assertFalse(self.disabled())

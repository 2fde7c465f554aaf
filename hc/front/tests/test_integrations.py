"""The integrations list (web spec §9.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import override_settings

from hc.api.models import Channel, Check
from hc.test import BaseTestCase

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class IntegrationsPageTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/projects/{self.project.code}/integrations/"
        self.check_a = Check.objects.create(project=self.project, name="a")
        self.check_b = Check.objects.create(project=self.project, name="b")
        self.email = Channel.objects.create(
            project=self.project,
            kind="email",
            config={"value": "ops@example.org", "down": True, "up": False},
            email_verified=True,
            created=NOW - timedelta(days=2),
        )
        self.email.checks.add(self.check_a)
        self.webhook = Channel.objects.create(
            project=self.project,
            kind="webhook",
            name="Deploy hook",
            config={"url_down": "https://hooks.example.org/x?token=secret", "url_up": ""},
            created=NOW - timedelta(days=1),
        )

    def get(self, user: object = None) -> str:
        self.client.force_login(user or self.alice)  # type: ignore[arg-type]
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_it_lists_the_integrations_with_their_details(self) -> None:
        html = self.get()
        self.assertIn("Email to <strong>ops@example.org</strong> (down only)", html)
        self.assertIn("Deploy hook", html)
        self.assertIn("Webhook to <strong>hooks.example.org</strong>", html)
        # The details dialog shows writers the whole request.
        self.assertIn("https://hooks.example.org/x?token=secret", html)
        self.assertIn("1 of 2", html)
        self.assertIn("0 of 2", html)
        self.assertIn("unnamed", html)
        # Creation order.
        self.assertLess(html.index(str(self.email.code)), html.index(str(self.webhook.code)))

    def test_it_shows_groups_first(self) -> None:
        group = Channel.objects.create(project=self.project, kind="group", name="Everyone")
        html = self.get()
        self.assertLess(html.index(str(group.code)), html.index(str(self.email.code)))
        # No package for groups: listed, but not editable.
        self.assertNotIn(f"/integrations/{group.code}/edit/", html)

    def test_it_shows_status_labels(self) -> None:
        Channel.objects.filter(id=self.email.id).update(email_verified=False)
        html = self.get()
        self.assertIn("Unconfirmed", html)
        self.assertIn("Ready to deliver", html)
        self.assertNotIn(">Disabled<", html)

        Channel.objects.filter(id=self.email.id).update(disabled=True)
        html = self.get()
        self.assertIn(">Disabled<", html)
        self.assertNotIn("Unconfirmed", html)
        self.assertIn(">Fix…</a>", html)

    def test_it_shows_the_last_notification(self) -> None:
        Channel.objects.filter(id=self.email.id).update(last_notify=NOW - timedelta(hours=2))
        Channel.objects.filter(id=self.webhook.id).update(
            last_notify=NOW - timedelta(hours=3), last_error="Received status code 500"
        )
        html = self.get()
        self.assertIn("Delivered, 2\xa0hours ago", html)
        self.assertIn("<strong>Failed</strong>, 3\xa0hours ago", html)
        self.assertIn('title="Received status code 500"', html)

    def test_it_says_never_before_the_first_notification(self) -> None:
        self.assertEqual(self.get().count(">Never<"), 2)

    def test_it_shows_actions_to_writers(self) -> None:
        html = self.get(self.bob)
        self.assertIn(f"/integrations/{self.email.code}/edit/", html)
        self.assertIn(f"/integrations/{self.webhook.code}/remove/", html)
        self.assertIn(f"/integrations/{self.webhook.code}/test/", html)
        self.assertIn(f"/integrations/{self.webhook.code}/checks/", html)
        self.assertIn("Add More", html)
        self.assertIn(f"/projects/{self.project.code}/add_email/", html)
        self.assertIn(f"/projects/{self.project.code}/add_webhook/", html)

    def test_read_only_members_may_only_test(self) -> None:
        html = self.get(self.rose)
        self.assertIn(f"/integrations/{self.webhook.code}/test/", html)
        self.assertNotIn(f"/integrations/{self.webhook.code}/edit/", html)
        self.assertNotIn(f"/integrations/{self.webhook.code}/remove/", html)
        self.assertNotIn(f"/integrations/{self.webhook.code}/checks/", html)
        self.assertNotIn(f"/integrations/{self.webhook.code}/name/", html)
        self.assertNotIn("Add More", html)
        self.assertIn("1 of 2", html)
        # Only the host: the URL's query string may carry a token.
        self.assertIn("Webhook to <strong>hooks.example.org</strong>", html)
        self.assertNotIn("token=secret", html)

    def test_it_warns_when_there_are_no_integrations(self) -> None:
        Channel.objects.all().delete()
        html = self.get()
        self.assertIn('id="no-channels"', html)
        self.assertIn("no notifications will be sent", html)
        self.assertNotIn("channels-table", html)

    def test_the_rename_field_suggests_the_description(self) -> None:
        Channel.objects.filter(id=self.email.id).update(config={"value": "o'brien@example.org"})
        html = self.get()
        self.assertIn('data-placeholder="Email to o&#x27;brien@example.org"', html)

    def test_it_escapes_names(self) -> None:
        Channel.objects.filter(id=self.webhook.id).update(name="<b>hook</b>")
        html = self.get()
        self.assertIn("&lt;b&gt;hook&lt;/b&gt;", html)
        self.assertNotIn("<b>hook</b>", html)

    @override_settings(WEBHOOKS_ENABLED=False)
    def test_it_hides_disabled_kinds_from_the_add_list(self) -> None:
        html = self.get()
        self.assertNotIn("add_webhook", html)
        self.assertIn("add_email", html)
        # The existing webhook is still listed, but cannot be edited.
        self.assertIn(str(self.webhook.code), html)
        self.assertNotIn(f"/integrations/{self.webhook.code}/edit/", html)

    def test_it_lists_kinds_without_a_package(self) -> None:
        slack = Channel.objects.create(project=self.project, kind="slack", config={})
        html = self.get()
        self.assertIn(str(slack.code), html)
        self.assertIn('aria-label="Slack"', html)
        self.assertNotIn("add_slack", html)

    def test_it_hides_the_project_from_non_members(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_uses_a_bounded_number_of_queries(self) -> None:
        for i in range(5):
            channel = Channel.objects.create(
                project=self.project, kind="email", config={"value": f"{i}@example.org"}
            )
            channel.checks.add(self.check_a, self.check_b)
        self.client.force_login(self.alice)
        self.client.get(self.url)  # the session notes the project once
        # Session, user, project, channels with their counts, checks count, profile,
        # the Integrations tab's warning.
        with self.assertNumQueries(7):
            self.client.get(self.url)

"""The simple "My Checks" page (web spec §1.3, §6.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import override_settings

from hc.api.models import Check, CheckStatus
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
@override_settings(SITE_NAME="Example")
class ChecksPageTestCase(BaseTestCase):
    def url(self) -> str:
        return f"/projects/{self.project.code}/checks/"

    def test_it_requires_login(self) -> None:
        response = self.client.get(self.url())
        self.assertRedirects(
            response, f"/accounts/login/?next={self.url()}", fetch_redirect_response=False
        )

    def test_non_members_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_unknown_projects_get_404(self) -> None:
        self.client.force_login(self.alice)
        url = "/projects/00000000-0000-0000-0000-000000000000/checks/"
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_every_member_sees_the_checks(self) -> None:
        Check.objects.create(project=self.project, name="nightly-backup", tags="db prod")
        for user in (self.alice, self.bob, self.mike, self.rose):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(self.url())
                self.assertContains(response, "nightly-backup")
                self.assertContains(
                    response, '<span class="badge text-bg-light border ms-1">db</span>'
                )
                self.assertContains(
                    response, '<span class="badge text-bg-light border ms-1">prod</span>'
                )

    def test_it_renders_the_project_dropdown_and_tabs(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, 'id="project-menu-toggle"')
        self.assertContains(response, "Alice&#x27;s Project")
        self.assertContains(response, 'class="nav-link active" href="' + self.url())
        self.assertContains(response, 'class="container-fluid"')

    def test_unnamed_checks_and_never_pinged(self) -> None:
        Check.objects.create(project=self.project)
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, ">unnamed</span>")
        self.assertContains(response, "Never")
        self.assertContains(response, 'class="status-icon new"')

    def test_it_shows_the_last_ping_as_relative_time(self) -> None:
        Check.objects.create(
            project=self.project, status=CheckStatus.UP, last_ping=NOW - timedelta(hours=5)
        )
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, "5\xa0hours ago")
        self.assertNotContains(response, "Never")

    def test_title_counts_down_checks_and_they_come_first(self) -> None:
        Check.objects.create(
            project=self.project, name="first-up", status=CheckStatus.UP, last_ping=NOW
        )
        Check.objects.create(project=self.project, name="second-down", status=CheckStatus.DOWN)
        Check.objects.create(project=self.project, name="third-down", status=CheckStatus.DOWN)
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, "<title>2 down \u2013 Example</title>", html=False)
        self.assertContains(response, "favicon-down.svg", count=2)
        text = response.content.decode()
        order = [text.index(name) for name in ("second-down", "third-down", "first-up")]
        self.assertEqual(order, sorted(order))

    def test_title_is_the_site_name_when_nothing_is_down(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, "<title>Example</title>", html=False)

    def test_empty_project_shows_a_notice(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, "The project “Alice&#x27;s Project” has no checks yet.")
        self.assertNotContains(response, 'id="checks-table"')

    def test_it_shows_running_checks(self) -> None:
        Check.objects.create(
            project=self.project, status=CheckStatus.UP, last_ping=NOW, last_start=NOW
        )
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(self.url()), 'class="running-dots"')

    def test_it_does_not_show_other_projects_checks(self) -> None:
        Check.objects.create(project=self.charlies_project, name="charlies-check")
        self.client.force_login(self.alice)
        self.assertNotContains(self.client.get(self.url()), "charlies-check")

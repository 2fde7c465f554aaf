"""The lazily loaded project dropdown items (web spec §1.2)."""

from __future__ import annotations

from hc.accounts.models import Member, Project, Role
from hc.api.models import Check, CheckStatus
from hc.test import BaseTestCase


class ProjectMenuTestCase(BaseTestCase):
    url = "/projects/menu/"

    def test_it_requires_login(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(
            response, "/accounts/login/?next=/projects/menu/", fetch_redirect_response=False
        )

    def test_it_lists_accessible_projects_with_links_and_icons(self) -> None:
        Check.objects.create(project=self.project, status=CheckStatus.DOWN)
        self.client.force_login(self.bob)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        item = text[text.index(f'href="/projects/{self.project.code}/checks/"') :]
        item = item[: item.index("</li>")]
        self.assertIn('data-status="down"', item)
        self.assertIn('aria-label="Down"', item)
        self.assertIn("Alice&#x27;s Project</a>", item)
        self.assertNotContains(response, str(self.charlies_project.code))

    def test_projects_without_checks_are_up(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.get(self.url)
        self.assertContains(response, 'data-status="up"')
        self.assertContains(response, "charlie@example.org")

    def test_it_sorts_by_name_case_insensitively(self) -> None:
        for name in ["beta", "Alpha", "Gamma"]:
            Project.objects.create(owner=self.charlie, name=name, badge_key=name)
        joined = Project.objects.create(owner=self.alice, name="delta", badge_key="delta")
        Member.objects.create(project=joined, user=self.charlie, role=Role.READONLY)
        self.client.force_login(self.charlie)
        text = self.client.get(self.url).content.decode()
        names = ["Alpha", "beta", "charlie@example.org", "delta", "Gamma"]
        positions = [text.index(f"</span>{name}</a>") for name in names]
        self.assertEqual(positions, sorted(positions))

    def test_it_is_a_fragment(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertNotContains(response, "<html")
        self.assertTrue(response.content.decode().startswith("<li>"))

    def test_post_is_not_allowed(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(self.url).status_code, 405)

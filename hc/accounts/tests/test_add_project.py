"""Creating a project from the Create Project modal (web spec §5.2)."""

from __future__ import annotations

from django.test import Client

from hc.accounts.models import Project
from hc.api.models import Channel, Check
from hc.test import BaseTestCase


class AddProjectTestCase(BaseTestCase):
    url = "/projects/add/"

    def test_it_creates_an_empty_project_owned_by_the_creator(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(self.url, {"name": "Bob's Jobs"})
        project = Project.objects.get(name="Bob's Jobs")
        self.assertRedirects(
            response, f"/projects/{project.code}/checks/", fetch_redirect_response=False
        )
        self.assertEqual(project.owner, self.bob)
        self.assertEqual(project.badge_key, str(project.code))
        self.assertEqual((project.api_key, project.api_key_readonly), ("", ""))
        self.assertIsNone(project.ping_key)
        self.assertFalse(Check.objects.filter(project=project).exists())
        self.assertFalse(Channel.objects.filter(project=project).exists())

    def test_the_new_checks_page_opens(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(self.url, {"name": "Fresh"}, follow=True)
        self.assertContains(response, "The project “Fresh” has no checks yet.")

    def test_it_rejects_a_missing_name(self) -> None:
        self.client.force_login(self.alice)
        for data in ({}, {"name": ""}, {"name": "   "}):
            with self.subTest(name=str(data)):
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "Please enter a project name.", status_code=400)
        self.assertEqual(Project.objects.filter(owner=self.alice).count(), 1)

    def test_it_accepts_60_characters_and_rejects_61(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(self.url, {"name": "x" * 60}).status_code, 302)
        response = self.client.post(self.url, {"name": "y" * 61})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Project.objects.filter(name__startswith="y").exists())

    def test_it_requires_login(self) -> None:
        response = self.client.post(self.url, {"name": "Anonymous"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/login/"))
        self.assertFalse(Project.objects.filter(name="Anonymous").exists())

    def test_get_is_not_allowed(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_it_needs_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        response = client.post(self.url, {"name": "Forged"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Project.objects.filter(name="Forged").exists())

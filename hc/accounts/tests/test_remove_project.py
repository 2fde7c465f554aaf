"""Deleting a project, owner only (web spec §5.2)."""

from __future__ import annotations

from django.test import Client

from hc.accounts.models import Member, Project
from hc.api.models import Channel, ChannelKind, Check, Ping
from hc.test import BaseTestCase


class RemoveProjectTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project, name="backup")
        Ping.objects.create(owner=self.check_, n=1, created=self.check_.created)
        self.channel = Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL)
        self.channel.checks.add(self.check_)
        self.url = f"/projects/{self.project.code}/remove/"

    def test_the_owner_removes_the_project_with_its_checks_and_integrations(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url)
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertFalse(Project.objects.filter(id=self.project.id).exists())
        self.assertFalse(Check.objects.filter(id=self.check_.id).exists())
        self.assertFalse(Ping.objects.exists())
        self.assertFalse(Channel.objects.filter(id=self.channel.id).exists())
        self.assertFalse(Member.objects.filter(project_id=self.project.id).exists())
        # Only Alice's project went.
        self.assertTrue(Project.objects.filter(id=self.charlies_project.id).exists())

    def test_members_get_404(self) -> None:
        for user in (self.mike, self.bob, self.rose, self.charlie):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertTrue(Project.objects.filter(id=self.project.id).exists())

    def test_superusers_who_do_not_own_it_get_404(self) -> None:
        self.charlie.is_superuser = True
        self.charlie.save()
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertTrue(Project.objects.filter(id=self.project.id).exists())

    def test_get_is_not_allowed(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertTrue(Project.objects.filter(id=self.project.id).exists())

    def test_it_requires_login(self) -> None:
        response = self.client.post(self.url)
        self.assertTrue(response["Location"].startswith("/accounts/login/"))
        self.assertTrue(Project.objects.filter(id=self.project.id).exists())

    def test_it_needs_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        self.assertEqual(client.post(self.url).status_code, 403)
        self.assertTrue(Project.objects.filter(id=self.project.id).exists())

    def test_the_settings_page_offers_removal_to_the_owner_only(self) -> None:
        settings_url = f"/projects/{self.project.code}/settings/"
        self.client.force_login(self.alice)
        response = self.client.get(settings_url)
        self.assertContains(response, f'action="{self.url}"')
        self.assertContains(response, "Remove Project")
        self.client.force_login(self.mike)
        self.assertNotContains(self.client.get(settings_url), self.url)

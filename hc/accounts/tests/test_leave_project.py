"""Leaving a project from the Account page (web spec §4.1 "My Projects", §5.6)."""

from __future__ import annotations

import uuid

from django.test import Client

from hc.accounts.models import Member, Project
from hc.test import BaseTestCase

URL = "/accounts/profile/"


class LeaveProjectTestCase(BaseTestCase):
    def test_a_member_leaves(self) -> None:
        self.client.force_login(self.bob)
        r = self.client.post(URL, {"leave_project": "1", "code": str(self.project.code)})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, '<section class="panel panel-success" id="my-projects"')
        self.assertContains(r, "Left project Alice&#x27;s Project</div>")
        self.assertFalse(Member.objects.filter(user=self.bob, project=self.project).exists())
        # The others stay, and the list no longer shows the project.
        self.assertEqual(Member.objects.filter(project=self.project).count(), 2)
        self.assertNotContains(r, f'data-project-code="{self.project.code}"')

    def test_a_read_only_member_and_a_manager_may_leave(self) -> None:
        for user in (self.rose, self.mike):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                r = self.client.post(URL, {"leave_project": "1", "code": str(self.project.code)})
                self.assertEqual(r.status_code, 200)
                self.assertFalse(Member.objects.filter(user=user, project=self.project).exists())

    def test_leaving_one_project_keeps_the_others(self) -> None:
        Member.objects.create(user=self.bob, project=self.charlies_project)
        self.client.force_login(self.bob)
        self.client.post(URL, {"leave_project": "1", "code": str(self.project.code)})
        self.assertTrue(
            Member.objects.filter(user=self.bob, project=self.charlies_project).exists()
        )

    def test_it_names_an_unnamed_project_by_its_owner(self) -> None:
        Member.objects.create(user=self.bob, project=self.charlies_project)
        self.client.force_login(self.bob)
        r = self.client.post(URL, {"leave_project": "1", "code": str(self.charlies_project.code)})
        self.assertContains(r, "Left project charlie@example.org</div>")

    def test_the_owner_cannot_leave(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.post(URL, {"leave_project": "1", "code": str(self.project.code)})
        self.assertEqual(r.status_code, 400)
        self.assertTrue(Project.objects.filter(id=self.project.id, owner=self.alice).exists())
        self.assertEqual(Member.objects.filter(project=self.project).count(), 3)

    def test_a_non_member_gets_400(self) -> None:
        self.client.force_login(self.charlie)
        r = self.client.post(URL, {"leave_project": "1", "code": str(self.project.code)})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(Member.objects.filter(project=self.project).count(), 3)

    def test_bad_codes_get_400(self) -> None:
        self.client.force_login(self.bob)
        for code in ("", "not-a-uuid", str(uuid.uuid4())):
            with self.subTest(code=code):
                r = self.client.post(URL, {"leave_project": "1", "code": code})
                self.assertEqual(r.status_code, 400)
        r = self.client.post(URL, {"leave_project": "1"})
        self.assertEqual(r.status_code, 400)
        self.assertTrue(Member.objects.filter(user=self.bob, project=self.project).exists())

    def test_it_requires_login(self) -> None:
        r = self.client.post(URL, {"leave_project": "1", "code": str(self.project.code)})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Member.objects.filter(project=self.project).count(), 3)

    def test_it_requires_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.bob)
        r = client.post(URL, {"leave_project": "1", "code": str(self.project.code)})
        self.assertEqual(r.status_code, 403)
        self.assertTrue(Member.objects.filter(user=self.bob, project=self.project).exists())

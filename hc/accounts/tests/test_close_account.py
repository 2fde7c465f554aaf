"""/accounts/close/ (web §3.10)."""

from __future__ import annotations

from django.contrib.auth.models import User

from hc.accounts.models import Credential, Member, Profile, Project
from hc.accounts.tests.auth_helpers import AuthTestCase
from hc.api.models import Check

URL = "/accounts/close/"


class CloseAccountTestCase(AuthTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)
        self.enter_sudo_mode()

    def test_it_requires_sudo_mode(self) -> None:
        session = self.client.session
        del session["sudo"]
        session.save()
        r = self.client.post(URL, {"confirmation": "alice@example.org"})
        self.assertContains(r, "Enter a Confirmation Code")
        self.assertTrue(User.objects.filter(id=self.alice.id).exists())

    def test_it_counts_what_will_be_deleted(self) -> None:
        Check.objects.create(project=self.project)
        Check.objects.create(project=self.project)
        Check.objects.create(project=self.charlies_project)
        r = self.client.get(URL)
        self.assertContains(r, "Close Account?")
        self.assertContains(r, "<strong>1 project</strong>")
        self.assertContains(r, "<strong>2 checks</strong>")
        self.assertContains(r, '<span class="monospace">alice@example.org</span>')
        self.assertContains(r, "Close Account</button>")

    def test_it_pluralises_zero(self) -> None:
        self.client.force_login(self.bob)
        self.enter_sudo_mode()
        r = self.client.get(URL)
        self.assertContains(r, "<strong>0 projects</strong>")
        self.assertContains(r, "<strong>0 checks</strong>")

    def test_it_deletes_the_account_and_everything_owned(self) -> None:
        check = Check.objects.create(project=self.project)
        Credential.objects.create(user=self.alice, name="Key", data=b"x")
        Member.objects.create(user=self.alice, project=self.charlies_project)

        r = self.client.post(URL, {"confirmation": "alice@example.org"})
        self.assertRedirects(r, "/accounts/login/?account-closed=1", fetch_redirect_response=False)
        self.assertFalse(User.objects.filter(id=self.alice.id).exists())
        self.assertFalse(Profile.objects.filter(user_id=self.alice.id).exists())
        self.assertFalse(Project.objects.filter(id=self.project.id).exists())
        self.assertFalse(Check.objects.filter(id=check.id).exists())
        self.assertFalse(Credential.objects.filter(user_id=self.alice.id).exists())
        self.assertFalse(Member.objects.filter(user_id=self.alice.id).exists())
        # Other people's projects stay.
        self.assertTrue(Project.objects.filter(id=self.charlies_project.id).exists())
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertNotIn("sudo", self.client.session)

        r = self.client.get("/accounts/login/?account-closed=1")
        self.assertContains(r, "Account closed.")

    def test_a_member_leaves_the_project_behind(self) -> None:
        self.client.force_login(self.bob)
        self.enter_sudo_mode()
        self.client.post(URL, {"confirmation": "bob@example.org"})
        self.assertFalse(User.objects.filter(id=self.bob.id).exists())
        self.assertTrue(Project.objects.filter(id=self.project.id).exists())

    def test_the_confirmation_must_match_exactly(self) -> None:
        for value in ("", "ALICE@example.org", " alice@example.org", "bob@example.org"):
            with self.subTest(value=value):
                r = self.client.post(URL, {"confirmation": value})
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, "is-invalid")
        self.assertTrue(User.objects.filter(id=self.alice.id).exists())
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.id))

"""Inviting and removing team members on the settings page (web spec §5.3, §5.5, §3.13)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from unittest.mock import patch

from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings

from hc.accounts.models import Member, Profile, Project, Role
from hc.lib.emails import EmailError
from hc.test import BaseTestCase
from hc.test_smtp import SmtpSink

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

NO_SMTP = {
    "EMAIL_HOST": "",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


@override_settings(SITE_ROOT="http://testserver", SITE_NAME="Example")
class InviteTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/projects/{self.project.code}/settings/"

    def invite(self, email: str, role: str = "w") -> TestResponse:
        return self.client.post(self.url, {"invite_team_member": "1", "email": email, "role": role})

    def test_it_invites_a_new_person(self) -> None:
        self.client.force_login(self.alice)
        response = self.invite("Frank@Example.org", "r")
        self.assertContains(response, "frank@example.org invited to team")
        frank = User.objects.get(email="frank@example.org")
        self.assertTrue(Profile.objects.filter(user=frank).exists())
        member = Member.objects.get(user=frank)
        self.assertEqual((member.project, member.role), (self.project, Role.READONLY))
        # Invitees join our project; they get no starter project of their own.
        self.assertFalse(Project.objects.filter(owner=frank).exists())

        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["frank@example.org"])
        self.assertEqual(
            message.subject, "You have been invited to join Alice's Project on Example"
        )
        self.assertIn("alice@example.org has invited you", str(message.body))
        self.assertIn("see its checks and their history, but not change them", str(message.body))
        next_part = f"?next=%2Fprojects%2F{self.project.code}%2Fchecks%2F"
        link = re.search(r"http://testserver/accounts/check_token/\S+", str(message.body))
        assert link is not None
        self.assertTrue(link.group(0).endswith(next_part))

    def test_the_invitation_link_logs_the_invitee_in(self) -> None:
        self.client.force_login(self.alice)
        self.invite("frank@example.org")
        link = re.search(r"http://testserver(/accounts/check_token/\S+)", str(mail.outbox[0].body))
        assert link is not None
        self.client.logout()
        response = self.client.post(link.group(1))
        self.assertRedirects(
            response, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )

    def test_it_invites_an_existing_user_with_the_chosen_role(self) -> None:
        self.client.force_login(self.mike)
        response = self.invite("charlie@example.org", "m")
        self.assertContains(response, "charlie@example.org invited to team")
        self.assertEqual(Member.objects.get(user=self.charlie).role, Role.MANAGER)
        self.assertEqual(User.objects.filter(email="charlie@example.org").count(), 1)
        self.assertIn("manage the existing checks and create new ones", str(mail.outbox[0].body))
        self.assertIn("mike@example.org has invited you", str(mail.outbox[0].body))

    def test_members_and_the_owner_are_already_members(self) -> None:
        self.client.force_login(self.alice)
        for email in ("bob@example.org", "ALICE@example.org"):
            with self.subTest(email=email):
                response = self.invite(email, "m")
                self.assertContains(response, f"{email.lower()} is already a member")
        self.assertEqual(Member.objects.get(user=self.bob).role, Role.REGULAR)
        self.assertFalse(Member.objects.filter(user=self.alice).exists())
        self.assertEqual(mail.outbox, [])

    def test_it_validates_email_and_role(self) -> None:
        self.client.force_login(self.alice)
        cases = [
            ("not-an-email", "w", "Please enter a valid email address."),
            ("", "w", "Please enter an email address."),
            ("a" * 250 + "@example.org", "w", "at most 254 characters"),
            ("frank@example.org", "owner", "Please choose an access level."),
            ("frank@example.org", "", "Please choose an access level."),
        ]
        for email, role, error in cases:
            with self.subTest(email=email[:20], role=role):
                response = self.invite(email, role)
                self.assertContains(response, error, status_code=400)
        self.assertFalse(User.objects.filter(email="frank@example.org").exists())

    def test_only_managers_invite(self) -> None:
        for user in (self.bob, self.rose):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.invite("frank@example.org").status_code, 403)
        self.assertFalse(User.objects.filter(email="frank@example.org").exists())

    def test_superusers_invite(self) -> None:
        self.charlie.is_superuser = True
        self.charlie.save()
        self.client.force_login(self.charlie)
        self.assertContains(self.invite("frank@example.org"), "invited to team")

    def test_it_allows_twenty_invitations_a_day(self) -> None:
        self.client.force_login(self.alice)
        for i in range(20):
            self.assertContains(self.invite(f"user{i}@example.org"), "invited to team")
        response = self.invite("one-too-many@example.org")
        self.assertContains(response, "Too Many Requests")
        self.assertFalse(User.objects.filter(email="one-too-many@example.org").exists())
        self.assertEqual(len(mail.outbox), 20)

    def test_people_from_the_owners_other_projects_are_not_rate_limited(self) -> None:
        other = Project.objects.create(owner=self.alice, name="Other", badge_key="other")
        Member.objects.create(project=other, user=self.charlie)
        self.client.force_login(self.alice)
        for i in range(20):
            self.invite(f"user{i}@example.org")
        response = self.invite("charlie@example.org")
        self.assertContains(response, "charlie@example.org invited to team")
        self.assertTrue(Member.objects.filter(project=self.project, user=self.charlie).exists())

    def test_it_suggests_people_from_the_owners_other_projects(self) -> None:
        other = Project.objects.create(owner=self.alice, name="Other", badge_key="other")
        Member.objects.create(project=other, user=self.charlie)
        Member.objects.create(project=other, user=self.bob)
        unrelated = Project.objects.create(owner=self.charlie, name="Unrelated", badge_key="u")
        stranger = self.make_user("stranger")
        Member.objects.create(project=unrelated, user=stranger)
        self.client.force_login(self.mike)
        response = self.client.get(self.url)
        self.assertContains(response, "Add Users from Other Projects")
        self.assertContains(response, 'data-email="charlie@example.org"')
        # Bob is already in the team; the stranger is in someone else's project.
        self.assertNotContains(response, 'class="btn btn-link p-0 add-to-team" data-email="bob')
        self.assertNotContains(response, "stranger@example.org")
        # Regular members do not manage the team, so they get no suggestions.
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(self.url), "Add Users from Other Projects")

    def test_it_lists_the_team_with_roles(self) -> None:
        self.client.force_login(self.rose)
        text = self.client.get(self.url).content.decode()
        rows = re.findall(r'<td class="text-break">([^<]+)</td>\s*<td>([^<]+)</td>', text)
        self.assertEqual(
            rows,
            [
                ("alice@example.org", "Owner"),
                ("bob@example.org", "Member"),
                ("mike@example.org", "Manager"),
                ("rose@example.org", "Read-only"),
            ],
        )

    def test_a_team_of_one_gets_a_pitch_instead_of_a_table(self) -> None:
        self.client.force_login(self.charlie)
        url = f"/projects/{self.charlies_project.code}/settings/"
        response = self.client.get(url)
        self.assertContains(response, "Working with others?")
        self.assertContains(response, "Invite a Team Member")

    @override_settings(**NO_SMTP)
    def test_without_smtp_it_adds_the_member_without_mail(self) -> None:
        self.client.force_login(self.alice)
        response = self.invite("frank@example.org")
        self.assertContains(response, "frank@example.org invited to team")
        self.assertContains(response, "the person will not be notified")
        self.assertTrue(Member.objects.filter(user__email="frank@example.org").exists())
        self.assertEqual(mail.outbox, [])

    def test_a_failed_email_still_adds_the_member_and_says_so(self) -> None:
        self.client.force_login(self.alice)
        with patch("hc.accounts.team.send_templated", side_effect=EmailError("boom")):
            response = self.invite("frank@example.org")
        self.assertContains(response, "the invitation email could not be sent")
        self.assertTrue(Member.objects.filter(user__email="frank@example.org").exists())

    def test_the_invitation_goes_through_smtp(self) -> None:
        self.client.force_login(self.alice)
        with SmtpSink() as sink, override_settings(**sink.settings()):
            self.assertContains(self.invite("frank@example.org"), "invited to team")
            received = sink.wait(1)[0]
        self.assertEqual(received.rcpt_tos, ["frank@example.org"])
        message = received.message
        self.assertEqual(
            message["Subject"], "You have been invited to join Alice's Project on Example"
        )
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert text is not None and html is not None
        self.assertIn("/accounts/check_token/", text.get_content())
        self.assertIn(">Log In</a>", html.get_content())


class RemoveMemberTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/projects/{self.project.code}/settings/"

    def remove(self, email: str) -> TestResponse:
        return self.client.post(self.url, {"remove_team_member": "1", "email": email})

    def test_managers_remove_members(self) -> None:
        self.client.force_login(self.mike)
        response = self.remove("bob@example.org")
        self.assertContains(response, "bob@example.org removed from team")
        self.assertFalse(Member.objects.filter(user=self.bob).exists())
        # The account stays.
        self.assertTrue(User.objects.filter(id=self.bob.id).exists())

    def test_the_owner_removes_managers(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.remove("mike@example.org"), "removed from team")
        self.assertFalse(Member.objects.filter(user=self.mike).exists())

    def test_removing_yourself_is_rejected(self) -> None:
        self.client.force_login(self.mike)
        response = self.remove("mike@example.org")
        self.assertContains(response, "You cannot remove yourself", status_code=400)
        self.assertTrue(Member.objects.filter(user=self.mike).exists())

    def test_removing_a_non_member_is_rejected(self) -> None:
        self.client.force_login(self.alice)
        for email in ("charlie@example.org", "alice@example.org", "nobody@example.org", "bad"):
            with self.subTest(email=email):
                response = self.remove(email)
                self.assertContains(response, "not a member of this project", status_code=400)

    def test_regular_and_read_only_members_cannot_remove(self) -> None:
        for user in (self.bob, self.rose):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.remove("mike@example.org").status_code, 403)
        self.assertTrue(Member.objects.filter(user=self.mike).exists())

    def test_managers_see_remove_links_except_on_their_own_row(self) -> None:
        self.client.force_login(self.mike)
        response = self.client.get(self.url)
        for email in ("bob@example.org", "rose@example.org"):
            self.assertContains(response, f'remove-member" data-email="{email}"')
        self.assertNotContains(response, 'remove-member" data-email="mike@example.org"')
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(self.url), "remove-member")

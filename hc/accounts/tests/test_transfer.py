"""Ownership transfer: offering, cancelling, accepting and rejecting (web spec §5.7, §12.3)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from unittest.mock import patch

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from hc.accounts.models import Member, Profile, Project, Role
from hc.api.models import Check
from hc.lib.emails import EmailError
from hc.test import BaseTestCase
from hc.test_smtp import SmtpSink

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

NO_SMTP = {
    "EMAIL_HOST": "",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


@override_settings(SITE_ROOT="http://testserver")
class StartTransferTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/projects/{self.project.code}/settings/"

    def offer(self, email: str) -> TestResponse:
        return self.client.post(self.url, {"transfer_project": "1", "email": email})

    def pending(self) -> list[str]:
        members = Member.objects.filter(project=self.project, transfer_request_date__isnull=False)
        return [m.user.email for m in members]

    def test_the_owner_offers_the_project_to_a_member(self) -> None:
        self.client.force_login(self.alice)
        response = self.offer("bob@example.org")
        self.assertContains(response, "Transfer initiated")
        self.assertContains(response, "awaiting confirmation from <strong>bob@example.org</strong>")
        self.assertContains(response, "Cancel Transfer")
        self.assertEqual(self.pending(), ["bob@example.org"])

        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["bob@example.org"])
        self.assertEqual(message.subject, "Ownership Transfer Request")
        self.assertIn(
            "alice@example.org would like to hand over the project \"Alice's", message.body
        )
        next_part = f"?next=%2Fprojects%2F{self.project.code}%2Fsettings%2F"
        link = re.search(r"http://testserver/accounts/check_token/\S+", str(message.body))
        assert link is not None
        self.assertTrue(link.group(0).endswith(next_part))

    def test_a_new_offer_replaces_the_previous_one(self) -> None:
        self.client.force_login(self.alice)
        self.offer("bob@example.org")
        self.offer("rose@example.org")
        self.assertEqual(self.pending(), ["rose@example.org"])

    def test_only_members_can_be_chosen(self) -> None:
        self.client.force_login(self.alice)
        for email in ("charlie@example.org", "alice@example.org", "nobody@example.org", "x"):
            with self.subTest(email=email):
                response = self.offer(email)
                self.assertContains(response, "Please choose a member", status_code=400)
        self.assertEqual(self.pending(), [])
        self.assertEqual(mail.outbox, [])

    def test_only_the_owner_offers(self) -> None:
        for user in (self.mike, self.bob, self.rose):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.offer("bob@example.org").status_code, 403)
        self.charlie.is_superuser = True
        self.charlie.save()
        self.client.force_login(self.charlie)
        self.assertEqual(self.offer("bob@example.org").status_code, 403)
        self.assertEqual(self.pending(), [])

    def test_the_owner_cancels(self) -> None:
        self.client.force_login(self.alice)
        self.offer("bob@example.org")
        response = self.client.post(self.url, {"cancel_transfer": "1"})
        self.assertContains(response, "Transfer cancelled")
        self.assertContains(response, "Transfer Project…")
        self.assertEqual(self.pending(), [])

    def test_only_the_owner_cancels(self) -> None:
        Member.objects.filter(user=self.bob).update(transfer_request_date=timezone.now())
        self.client.force_login(self.mike)
        self.assertEqual(self.client.post(self.url, {"cancel_transfer": "1"}).status_code, 403)
        self.assertEqual(self.pending(), ["bob@example.org"])

    @override_settings(**NO_SMTP)
    def test_without_smtp_it_explains_and_offers_nothing(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(self.url)
        self.assertContains(page, "Outgoing email is not configured")
        response = self.offer("bob@example.org")
        self.assertContains(response, "Outgoing email is not configured on this site.")
        self.assertEqual(self.pending(), [])

    def test_a_failed_email_withdraws_the_offer(self) -> None:
        self.client.force_login(self.alice)
        with patch("hc.accounts.team.send_templated", side_effect=EmailError("boom")):
            response = self.offer("bob@example.org")
        self.assertContains(response, "could not be sent")
        self.assertEqual(self.pending(), [])

    def test_the_request_goes_through_smtp(self) -> None:
        self.client.force_login(self.alice)
        with SmtpSink() as sink, override_settings(**sink.settings()):
            self.assertContains(self.offer("rose@example.org"), "Transfer initiated")
            received = sink.wait(1)[0]
        self.assertEqual(received.rcpt_tos, ["rose@example.org"])
        self.assertEqual(received.message["Subject"], "Ownership Transfer Request")
        html = received.message.get_body(("html",))
        assert html is not None
        self.assertIn(">Project Settings</a>", html.get_content())

    def test_the_transfer_modal_lists_members(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, '<option value="bob@example.org">')
        self.assertContains(response, 'id="transfer-confirm" disabled')
        self.client.force_login(self.charlie)
        response = self.client.get(f"/projects/{self.charlies_project.code}/settings/")
        self.assertContains(response, "Invite the new owner to the team first.")


class AnswerTransferTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/projects/{self.project.code}/settings/"
        Member.objects.filter(user=self.bob).update(transfer_request_date=timezone.now())

    def test_the_candidate_sees_the_request(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(self.url)
        self.assertContains(response, "Ownership Transfer Request")
        self.assertContains(
            response, "<strong>alice@example.org</strong> would like to transfer the ownership"
        )
        self.assertContains(response, 'name="accept_transfer" value="1" class="btn btn-primary">')
        # Others do not.
        self.client.force_login(self.mike)
        self.assertNotContains(self.client.get(self.url), "Ownership Transfer Request")

    def test_accepting_makes_the_candidate_the_owner(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(self.url, {"accept_transfer": "1"})
        self.assertContains(response, "you are now the owner of Alice&#x27;s Project")
        project = Project.objects.get(id=self.project.id)
        self.assertEqual(project.owner, self.bob)
        self.assertEqual(project.ping_key, self.project.ping_key)
        self.assertEqual(project.badge_key, self.project.badge_key)
        # Alice took Bob's seat as a regular member.
        seat = Member.objects.get(project=project, user=self.alice)
        self.assertEqual(seat.role, Role.REGULAR)
        self.assertIsNone(seat.transfer_request_date)
        self.assertFalse(Member.objects.filter(project=project, user=self.bob).exists())
        # The new owner now sees the owner's panels.
        self.assertContains(response, '<h2 class="h5">Transfer Ownership</h2>')
        self.assertNotContains(response, "would like to transfer")

    def test_others_cannot_answer(self) -> None:
        for user in (self.mike, self.rose, self.alice):
            for action in ("accept_transfer", "reject_transfer"):
                with self.subTest(user=user.username, action=action):
                    self.client.force_login(user)
                    self.assertEqual(self.client.post(self.url, {action: "1"}).status_code, 403)
        self.assertEqual(Project.objects.get(id=self.project.id).owner, self.alice)
        self.assertIsNotNone(Member.objects.get(user=self.bob).transfer_request_date)

    def test_a_cancelled_offer_cannot_be_accepted(self) -> None:
        Member.objects.filter(user=self.bob).update(transfer_request_date=None)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(self.url, {"accept_transfer": "1"}).status_code, 403)
        self.assertEqual(Project.objects.get(id=self.project.id).owner, self.alice)

    def test_accepting_needs_room_for_the_checks(self) -> None:
        Check.objects.create(project=self.project)
        Check.objects.create(project=self.project)
        bobs = Project.objects.create(owner=self.bob, name="Bob's", badge_key="bob")
        Check.objects.create(project=bobs)
        Profile.objects.filter(user=self.bob).update(check_limit=2)
        self.client.force_login(self.bob)
        page = self.client.get(self.url)
        self.assertContains(
            page, "This project has 2 checks, but your account has room for 1 more."
        )
        self.assertContains(page, 'class="btn btn-primary" disabled>Accept</button>')

        response = self.client.post(self.url, {"accept_transfer": "1"})
        self.assertContains(response, "do not fit in your account", status_code=400)
        self.assertEqual(Project.objects.get(id=self.project.id).owner, self.alice)

        # Exactly enough room is enough.
        Profile.objects.filter(user=self.bob).update(check_limit=3)
        response = self.client.post(self.url, {"accept_transfer": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Project.objects.get(id=self.project.id).owner, self.bob)

    def test_rejecting_clears_the_request(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(self.url, {"reject_transfer": "1"})
        self.assertContains(response, "You have declined the ownership")
        self.assertNotContains(response, "would like to transfer")
        self.assertIsNone(Member.objects.get(user=self.bob).transfer_request_date)
        self.assertEqual(Project.objects.get(id=self.project.id).owner, self.alice)

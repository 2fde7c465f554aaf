"""/accounts/change_email/ and its emailed link (web §3.9)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from hc.accounts import login_tokens
from hc.accounts.login_flow import PENDING_KEY
from hc.accounts.models import Profile
from hc.accounts.tests.auth_helpers import NO_SMTP, AuthTestCase

URL = "/accounts/change_email/"


class ChangeEmailFormTestCase(AuthTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)
        self.enter_sudo_mode()

    def test_it_requires_sudo_mode(self) -> None:
        session = self.client.session
        del session["sudo"]
        session.save()
        r = self.client.get(URL)
        self.assertContains(r, "Enter a Confirmation Code")

    def test_it_shows_the_form(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "Change Account's Email Address")
        self.assertContains(r, 'value="alice@example.org" disabled')
        self.assertContains(r, 'name="email"')
        self.assertContains(r, "Change Email</button>")
        self.assertNotContains(r, "Two-factor authentication is active")

    def test_it_warns_about_two_factor_authentication(self) -> None:
        Profile.objects.filter(user=self.alice).update(totp="JBSWY3DPEHPK3PXP")
        r = self.client.get(URL)
        self.assertContains(r, "Two-factor authentication is active")

    def test_it_emails_a_link_to_the_new_address(self) -> None:
        r = self.client.post(URL, {"email": "Alice.New@Example.org"})
        self.assertRedirects(r, URL, fetch_redirect_response=False)
        self.assertEqual(r.cookies["auto-login"].value, "1")
        self.assertEqual(r.cookies["auto-login"]["max-age"], 300)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["alice.new@example.org"])
        self.assertEqual(mail.outbox[0].subject, "Log in to Mychecks")
        self.assertIn("15 minutes", mail.outbox[0].body)
        self.last_link("/accounts/change_email/")
        # Nothing changes until the link is followed.
        self.assertEqual(User.objects.get(id=self.alice.id).email, "alice@example.org")

        r = self.client.get(URL)
        self.assertContains(r, "One Last Step…")
        self.assertContains(r, "<strong>alice.new@example.org</strong>")
        # Shown once: a reload offers the form again.
        r = self.client.get(URL)
        self.assertContains(r, 'name="email"')

    def test_it_rejects_a_registered_address(self) -> None:
        r = self.client.post(URL, {"email": "BOB@example.org"})
        self.assertContains(r, "bob@example.org is already registered.")
        self.assertContains(r, "is-invalid")
        self.assertEqual(mail.outbox, [])

    def test_it_rejects_its_own_address(self) -> None:
        r = self.client.post(URL, {"email": "alice@example.org"})
        self.assertContains(r, "alice@example.org is already registered.")

    def test_it_rejects_invalid_addresses(self) -> None:
        for value in ("", "not-an-email", "a" * 250 + "@example.org"):
            with self.subTest(value=value):
                r = self.client.post(URL, {"email": value})
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, "is-invalid")
        self.assertEqual(mail.outbox, [])

    @override_settings(**NO_SMTP)
    def test_it_explains_that_email_is_not_configured(self) -> None:
        # Without SMTP sudo mode asks for the password; this test is past it.
        r = self.client.get(URL)
        self.assertContains(r, 'id="no-smtp"')
        self.assertContains(r, "Outgoing email is not configured on this server")
        r = self.client.post(URL, {"email": "alice.new@example.org"})
        self.assertContains(r, "Outgoing email is not configured on this server.")
        self.assertNotIn("change_email_sent", self.client.session)


class ChangeEmailLinkTestCase(AuthTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)
        self.enter_sudo_mode()
        self.client.post(URL, {"email": "alice.new@example.org"})
        self.link = self.last_link("/accounts/change_email/")
        self.client.logout()
        self.set_auto_login_cookie()

    def email(self) -> str:
        return User.objects.get(id=self.alice.id).email

    def test_it_changes_the_email_and_logs_in(self) -> None:
        r = self.client.get(self.link)
        self.assertRedirects(
            r, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )
        self.assertEqual(self.email(), "alice.new@example.org")
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.id))
        self.assertEqual(Profile.objects.get(user=self.alice).token, "")

    def test_a_get_without_the_cookie_shows_the_interstitial(self) -> None:
        del self.client.cookies["auto-login"]
        r = self.client.get(self.link)
        self.assertContains(r, "Continue to Mychecks</button>")
        self.assertEqual(self.email(), "alice@example.org")
        r = self.client.post(self.link)
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.email(), "alice.new@example.org")

    def test_it_works_once(self) -> None:
        self.client.get(self.link)
        self.client.logout()
        self.set_auto_login_cookie()
        User.objects.filter(id=self.alice.id).update(email="alice@example.org")
        r = self.client.get(self.link)
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        self.assertEqual(self.email(), "alice@example.org")
        self.assertTrue(self.client.session["bad_link"])

    def test_it_expires_after_15_minutes(self) -> None:
        with time_machine.travel(timezone.now() + timedelta(minutes=16)):
            r = self.client.get(self.link)
        self.assertContains(r, "Incorrect Link", status_code=400)
        self.assertEqual(self.email(), "alice@example.org")

    def test_a_tampered_link_is_a_bad_link(self) -> None:
        for link in (self.link[:-5] + "xxxx/", "/accounts/change_email/nonsense/"):
            with self.subTest(link=link):
                r = self.client.get(link)
                self.assertContains(r, "Incorrect Link", status_code=400)
        self.assertEqual(self.email(), "alice@example.org")

    def test_a_newer_login_link_voids_it(self) -> None:
        login_tokens.issue(self.alice)
        r = self.client.get(self.link)
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        self.assertEqual(self.email(), "alice@example.org")

    def test_it_fails_when_someone_took_the_address_meanwhile(self) -> None:
        self.make_user("dana")
        User.objects.filter(username="dana").update(email="alice.new@example.org")
        r = self.client.get(self.link)
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        self.assertEqual(self.email(), "alice@example.org")
        self.assertNotIn("_auth_user_id", self.client.session)
        r = self.client.get("/accounts/login/")
        self.assertContains(r, "That login link is not valid")

    def test_it_logs_out_whoever_was_logged_in(self) -> None:
        self.client.force_login(self.bob)
        self.set_auto_login_cookie()
        self.client.get(self.link)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.id))

    def test_it_asks_for_the_second_factor(self) -> None:
        Profile.objects.filter(user=self.alice).update(totp="JBSWY3DPEHPK3PXP")
        r = self.client.get(self.link)
        self.assertRedirects(r, "/accounts/login/two_factor/totp/", fetch_redirect_response=False)
        self.assertEqual(self.email(), "alice.new@example.org")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(
            self.client.session[PENDING_KEY][:2], [self.alice.id, "alice.new@example.org"]
        )

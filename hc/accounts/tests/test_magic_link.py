"""Email-link login: asking for a link and landing on it (web §3.3, §3.3.2)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from hc.accounts import login_tokens
from hc.accounts.login_flow import PENDING_KEY
from hc.accounts.models import Profile
from hc.accounts.tests.auth_helpers import NO_SMTP, AuthTestCase

URL = "/accounts/login/"


class RequestLinkTestCase(AuthTestCase):
    def test_it_emails_a_link_to_an_existing_account(self) -> None:
        r = self.client.post(URL, {"identity": "alice@example.org"})
        self.assertRedirects(r, "/accounts/login_link_sent/", fetch_redirect_response=False)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["alice@example.org"])
        self.assertEqual(message.subject, "Log in to Mychecks")
        path = self.last_link("/accounts/check_token/")
        self.assertTrue(path.startswith(f"/accounts/check_token/{self.alice.username}/"))
        self.assertNotIn("?next=", path)
        self.assertNotEqual(Profile.objects.get(user=self.alice).token, "")

    def test_it_sets_the_auto_login_cookie(self) -> None:
        r = self.client.post(URL, {"identity": "alice@example.org"})
        cookie = r.cookies["auto-login"]
        self.assertEqual(cookie.value, "1")
        self.assertEqual(cookie["max-age"], 300)
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")
        self.assertFalse(cookie["secure"])

    @override_settings(SESSION_COOKIE_SECURE=True)
    def test_the_cookie_is_secure_when_sessions_are(self) -> None:
        r = self.client.post(URL, {"identity": "alice@example.org"})
        self.assertTrue(r.cookies["auto-login"]["secure"])

    def test_it_answers_the_same_for_an_unknown_address(self) -> None:
        r = self.client.post(URL, {"identity": "nobody@example.org"})
        self.assertRedirects(r, "/accounts/login_link_sent/", fetch_redirect_response=False)
        self.assertIn("auto-login", r.cookies)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(User.objects.filter(email="nobody@example.org").exists())

    def test_it_sends_nothing_to_an_inactive_account(self) -> None:
        User.objects.filter(id=self.alice.id).update(is_active=False)
        r = self.client.post(URL, {"identity": "alice@example.org"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(mail.outbox, [])

    def test_it_lower_cases_the_address(self) -> None:
        self.client.post(URL, {"identity": "Alice@EXAMPLE.org"})
        self.assertEqual(mail.outbox[0].to, ["alice@example.org"])

    def test_it_rejects_an_invalid_address(self) -> None:
        for value in ("", "alice", "alice@", "a" * 250 + "@example.org"):
            with self.subTest(value=value):
                r = self.client.post(URL, {"identity": value})
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, 'class="text-danger login-error"')
                self.assertContains(r, "is-invalid")
        self.assertEqual(mail.outbox, [])

    def test_it_forwards_a_whitelisted_next(self) -> None:
        target = f"/projects/{self.project.code}/checks/"
        self.client.post(URL + "?next=" + target, {"identity": "alice@example.org"})
        path = self.last_link("/accounts/check_token/")
        self.assertTrue(
            path.endswith("?next=%2Fprojects%2F" + str(self.project.code) + "%2Fchecks%2F")
        )

    def test_it_drops_any_other_next(self) -> None:
        self.client.post(URL + "?next=https://evil.example.com/", {"identity": "alice@example.org"})
        self.assertNotIn("next=", self.last_link("/accounts/check_token/"))

    def test_it_limits_links_per_mailbox(self) -> None:
        for _ in range(10):
            r = self.client.post(URL, {"identity": "alice@example.org"})
            self.assertEqual(r.status_code, 302)
        # Dots and +suffixes name the same mailbox.
        r = self.client.post(URL, {"identity": "a.lice+x@example.org"})
        self.assertContains(r, "Too many attempts, please try again later.")
        self.assertEqual(len(mail.outbox), 10)
        # An hour later the bucket has refilled.
        with time_machine.travel(timezone.now() + timedelta(hours=1)):
            r = self.client.post(URL, {"identity": "alice@example.org"})
        self.assertEqual(r.status_code, 302)

    def test_it_limits_requests_per_ip(self) -> None:
        for i in range(20):
            r = self.client.post(
                URL, {"identity": f"user{i}@example.org"}, REMOTE_ADDR="203.0.113.7"
            )
            self.assertEqual(r.status_code, 302)
        r = self.client.post(URL, {"identity": "alice@example.org"}, REMOTE_ADDR="203.0.113.7")
        self.assertContains(r, "Too many attempts, please try again later.")
        self.assertEqual(mail.outbox, [])
        # The first X-Forwarded-For entry is the client.
        r = self.client.post(
            URL,
            {"identity": "alice@example.org"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR="198.51.100.1:5555, 203.0.113.7",
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(len(mail.outbox), 1)

    @override_settings(**NO_SMTP)
    def test_it_refuses_without_smtp(self) -> None:
        r = self.client.post(URL, {"identity": "alice@example.org"})
        self.assertContains(r, "Outgoing email is not configured on this server.")
        self.assertEqual(Profile.objects.get(user=self.alice).token, "")

    def test_the_sent_page_does_not_say_whether_the_account_exists(self) -> None:
        r = self.client.get("/accounts/login_link_sent/")
        self.assertContains(r, "Check Your Email!")
        self.assertContains(r, "If an account exists")


class CheckTokenTestCase(AuthTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = login_tokens.login_url(self.alice).removeprefix("http://localhost:8000")

    def token_is_unused(self) -> bool:
        return Profile.objects.get(user=self.alice).token != ""

    def assert_logged_in_as(self, user: User | None) -> None:
        session_user = self.client.session.get("_auth_user_id")
        self.assertEqual(session_user, str(user.id) if user else None)

    def test_a_get_without_the_cookie_shows_the_interstitial(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "Continue to Mychecks</button>")
        self.assertContains(r, 'name="csrfmiddlewaretoken"')
        self.assertNotContains(r, "navbar")  # a bare page
        self.assertTrue(self.token_is_unused())
        self.assert_logged_in_as(None)

    def test_a_post_uses_the_token_and_logs_in(self) -> None:
        r = self.client.post(self.url)
        self.assertRedirects(
            r, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )
        self.assert_logged_in_as(self.alice)
        self.assertFalse(self.token_is_unused())

    def test_a_get_with_the_cookie_logs_in(self) -> None:
        self.set_auto_login_cookie()
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 302)
        self.assert_logged_in_as(self.alice)

    def test_the_interstitial_posts_with_csrf(self) -> None:
        client = Client(enforce_csrf_checks=True)
        r = client.post(self.url)
        self.assertEqual(r.status_code, 403)
        r = client.get(self.url)
        token = r.context["csrf_token"]
        r = client.post(self.url, {"csrfmiddlewaretoken": str(token)})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(client.session["_auth_user_id"], str(self.alice.id))

    def test_a_link_works_once(self) -> None:
        self.client.post(self.url)
        self.client.logout()
        r = self.client.post(self.url)
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        self.assert_logged_in_as(None)
        r = self.client.get("/accounts/login/")
        self.assertContains(r, "That login link is not valid")

    def test_only_the_newest_link_works(self) -> None:
        newer = login_tokens.login_url(self.alice).removeprefix("http://localhost:8000")
        r = self.client.post(self.url)
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        r = self.client.post(newer)
        self.assertEqual(r.status_code, 302)
        self.assert_logged_in_as(self.alice)

    def test_a_link_expires_after_an_hour(self) -> None:
        with time_machine.travel(timezone.now() + timedelta(minutes=61)):
            r = self.client.post(self.url)
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        self.assert_logged_in_as(None)
        self.assertTrue(self.token_is_unused())

    def test_garbage_is_a_bad_link(self) -> None:
        for url in (
            f"/accounts/check_token/{self.alice.username}/nonsense/",
            "/accounts/check_token/nobody/nonsense/",
            self.url.replace(self.alice.username, self.bob.username),
        ):
            with self.subTest(url=url):
                r = self.client.post(url)
                self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        self.assert_logged_in_as(None)

    def test_an_inactive_user_cannot_log_in(self) -> None:
        User.objects.filter(id=self.alice.id).update(is_active=False)
        r = self.client.post(self.url)
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        self.assert_logged_in_as(None)

    def test_it_logs_out_whoever_was_logged_in(self) -> None:
        self.client.force_login(self.bob)
        r = self.client.get(self.url)
        self.assertContains(r, "Continue to Mychecks")
        self.assert_logged_in_as(None)
        self.client.post(self.url)
        self.assert_logged_in_as(self.alice)

    def test_it_follows_the_next_in_the_link(self) -> None:
        target = f"/projects/{self.project.code}/settings/"
        url = login_tokens.login_url(self.bob, target).removeprefix("http://localhost:8000")
        r = self.client.post(url)
        self.assertRedirects(r, target, fetch_redirect_response=False)

    def test_it_asks_for_the_second_factor(self) -> None:
        Profile.objects.filter(user=self.alice).update(totp="JBSWY3DPEHPK3PXP")
        r = self.client.post(self.url)
        self.assertRedirects(r, "/accounts/login/two_factor/totp/", fetch_redirect_response=False)
        self.assert_logged_in_as(None)
        self.assertEqual(self.client.session[PENDING_KEY][0], self.alice.id)

"""/accounts/signup/ and /accounts/signup/csrf/ (web §3.4)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings

from hc.accounts.models import Profile, Project
from hc.accounts.tests.auth_helpers import NO_SMTP, AuthTestCase
from hc.api.models import Channel, Check

URL = "/accounts/signup/"
CSRF_URL = "/accounts/signup/csrf/"


class SignupTestCase(AuthTestCase):
    def test_it_creates_the_account_with_the_starter_set(self) -> None:
        r = self.client.post(URL, {"identity": "Dana@Example.org", "tz": "Europe/Riga"})
        self.assertContains(r, 'id="signup-ok"')
        self.assertContains(r, "check your inbox")

        user = User.objects.get(email="dana@example.org")
        self.assertEqual(len(user.username), 30)
        self.assertFalse(user.has_usable_password())
        self.assertEqual(Profile.objects.get(user=user).tz, "Europe/Riga")
        project = Project.objects.get(owner=user)
        self.assertEqual(project.name, "")
        self.assertEqual(project.badge_key, user.username)
        check = Check.objects.get(project=project)
        self.assertEqual(check.name, "My First Check")
        channel = Channel.objects.get(project=project)
        self.assertEqual(channel.config["value"], "dana@example.org")
        self.assertTrue(channel.email_verified)

        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["dana@example.org"])
        self.assertEqual(mail.outbox[0].subject, "Log in to Mychecks")
        self.assertIn(f"/accounts/check_token/{user.username}/", mail.outbox[0].body)

    def test_it_sets_the_auto_login_cookie(self) -> None:
        r = self.client.post(URL, {"identity": "dana@example.org", "tz": "UTC"})
        cookie = r.cookies["auto-login"]
        self.assertEqual(cookie.value, "1")
        self.assertEqual(cookie["max-age"], 300)
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")

    def test_it_keeps_utc_for_an_unknown_time_zone(self) -> None:
        for tz in ("Mars/Olympus_Mons", "", "x" * 200):
            with self.subTest(tz=tz):
                email = f"tz{len(tz)}@example.org"
                r = self.client.post(URL, {"identity": email, "tz": tz})
                self.assertEqual(r.status_code, 200)
                self.assertEqual(Profile.objects.get(user__email=email).tz, "UTC")

    def test_an_existing_address_gets_a_login_link_instead(self) -> None:
        r = self.client.post(URL, {"identity": "ALICE@example.org", "tz": "UTC"})
        self.assertContains(r, 'id="signup-ok"')
        self.assertEqual(User.objects.filter(email__iexact="alice@example.org").count(), 1)
        self.assertEqual(Project.objects.filter(owner=self.alice).count(), 1)
        self.assertEqual(mail.outbox[0].to, ["alice@example.org"])
        self.assertIn(f"/accounts/check_token/{self.alice.username}/", mail.outbox[0].body)

    def test_it_rejects_bad_addresses(self) -> None:
        cases = {
            "": "This field is required.",
            "dana": "Enter a valid email address.",
            "a" * 243 + "@example.org": "at most 254 characters",
        }
        for value, error in cases.items():
            with self.subTest(value=value):
                r = self.client.post(URL, {"identity": value, "tz": "UTC"})
                self.assertContains(r, 'id="signup-error"', status_code=400)
                self.assertContains(r, error, status_code=400)
        self.assertEqual(User.objects.count(), 5)
        self.assertEqual(mail.outbox, [])

    def test_it_rate_limits_per_mailbox(self) -> None:
        for _ in range(10):
            self.client.post(URL, {"identity": "dana@example.org", "tz": "UTC"})
        r = self.client.post(URL, {"identity": "d.ana+x@example.org", "tz": "UTC"})
        self.assertContains(r, "Too many attempts", status_code=429)
        self.assertEqual(len(mail.outbox), 10)

    def test_it_rate_limits_per_ip(self) -> None:
        for i in range(20):
            self.client.post(URL, {"identity": f"user{i}@example.org", "tz": "UTC"})
        r = self.client.post(URL, {"identity": "dana@example.org", "tz": "UTC"})
        self.assertContains(r, "Too many attempts", status_code=429)
        self.assertFalse(User.objects.filter(email="dana@example.org").exists())

    @override_settings(REGISTRATION_OPEN=False)
    def test_it_is_forbidden_when_registration_is_closed(self) -> None:
        r = self.client.post(URL, {"identity": "dana@example.org", "tz": "UTC"})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(self.client.get(CSRF_URL).status_code, 403)
        self.assertFalse(User.objects.filter(email="dana@example.org").exists())

    @override_settings(**NO_SMTP)
    def test_it_is_forbidden_without_smtp(self) -> None:
        r = self.client.post(URL, {"identity": "dana@example.org", "tz": "UTC"})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(self.client.get(CSRF_URL).status_code, 403)
        self.assertFalse(User.objects.filter(email="dana@example.org").exists())

    def test_it_is_forbidden_when_logged_in(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.post(URL, {"identity": "dana@example.org", "tz": "UTC"})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(self.client.get(CSRF_URL).status_code, 403)

    def test_it_accepts_only_the_right_methods(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 405)
        self.assertEqual(self.client.post(CSRF_URL).status_code, 405)


class SignupCsrfTestCase(AuthTestCase):
    def test_the_fetched_token_lets_the_signup_through(self) -> None:
        client = Client(enforce_csrf_checks=True)
        r = client.get(CSRF_URL)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "text/plain")
        token = r.content.decode()
        self.assertEqual(len(token), 64)

        r = client.post(URL, {"identity": "dana@example.org", "tz": "UTC"}, HTTP_X_CSRFTOKEN=token)
        self.assertContains(r, 'id="signup-ok"')
        self.assertTrue(User.objects.filter(email="dana@example.org").exists())

    def test_a_post_without_the_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        r = client.post(URL, {"identity": "dana@example.org", "tz": "UTC"})
        self.assertEqual(r.status_code, 403)
        self.assertFalse(User.objects.filter(email="dana@example.org").exists())

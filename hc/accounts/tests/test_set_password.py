"""/accounts/set_password/ (web §3.8)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client

from hc.accounts import login_tokens
from hc.accounts.models import Profile
from hc.accounts.tests.auth_helpers import AuthTestCase

URL = "/accounts/set_password/"


class SetPasswordTestCase(AuthTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_requires_sudo_mode(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "Enter a Confirmation Code")
        self.assertNotContains(r, "Set a Password")

    def test_it_requires_login(self) -> None:
        self.client.logout()
        r = self.client.get(URL)
        self.assertRedirects(r, "/accounts/login/?next=" + URL, fetch_redirect_response=False)

    def test_it_shows_the_form_with_the_strength_meter(self) -> None:
        self.enter_sudo_mode()
        r = self.client.get(URL)
        self.assertContains(r, "Set a Password")
        self.assertContains(r, 'placeholder="at least 8 characters"')
        self.assertContains(r, 'id="password-meter"')
        self.assertContains(r, "<span></span>", count=4)
        self.assertContains(r, "vendor/zxcvbn/zxcvbn.js")
        self.assertContains(r, "js/set_password.js")

    def test_it_sets_the_password_and_keeps_the_session(self) -> None:
        self.enter_sudo_mode()
        r = self.client.post(URL, {"password": "correct horse"})
        self.assertRedirects(r, "/accounts/profile/", fetch_redirect_response=False)
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password("correct horse"))
        shown = [str(m) for m in get_messages(r.wsgi_request)]
        self.assertEqual(shown, ["Your new password has been set."])
        # The session hash was updated: this session is still logged in.
        r = self.client.get(URL)
        self.assertContains(r, "Set a Password")

    def test_other_sessions_end(self) -> None:
        other = Client()
        other.login(username="alice@example.org", password="password")
        self.assertEqual(other.session["_auth_user_id"], str(self.alice.id))
        self.enter_sudo_mode()
        self.client.post(URL, {"password": "correct horse"})
        r = other.get(URL)
        self.assertRedirects(r, "/accounts/login/?next=" + URL, fetch_redirect_response=False)

    def test_it_clears_a_pending_login_link(self) -> None:
        login_tokens.issue(self.alice)
        self.enter_sudo_mode()
        self.client.post(URL, {"password": "correct horse"})
        self.assertEqual(Profile.objects.get(user=self.alice).token, "")

    def test_it_rejects_short_passwords(self) -> None:
        self.enter_sudo_mode()
        for value in ("", "1234567"):
            with self.subTest(value=value):
                r = self.client.post(URL, {"password": value})
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, "is-invalid")
        r = self.client.post(URL, {"password": "1234567"})
        self.assertContains(r, "The password must be at least 8 characters long.")
        self.assertTrue(User.objects.get(id=self.alice.id).check_password("password"))

    def test_spaces_count_and_are_kept(self) -> None:
        self.enter_sudo_mode()
        self.client.post(URL, {"password": "  spaced  "})
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password("  spaced  "))

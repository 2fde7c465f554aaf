"""The authenticator-app login step: /accounts/login/two_factor/totp/ (web spec §3.6.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import time_machine
from django.test import Client

from hc.accounts.login_flow import PENDING_KEY
from hc.accounts.tests.two_factor_helpers import park_for_second_factor
from hc.api.models import TokenBucket
from hc.test import BaseTestCase

URL = "/accounts/login/two_factor/totp/"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2027, 3, 1, 12, 0, 10, tzinfo=UTC)


class LoginTotpTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Frozen time: codes depend on the clock, the pending record expires by it.
        traveller = time_machine.travel(NOW, tick=False)
        self.traveller = traveller.start()
        self.addCleanup(traveller.stop)
        self.profile.totp = SECRET
        self.profile.save()
        park_for_second_factor(self.client, self.alice)
        self.totp = pyotp.TOTP(SECRET)

    def assert_logged_in(self, user_id: int | None) -> None:
        self.assertEqual(self.client.session.get("_auth_user_id"), user_id and str(user_id))

    def test_it_shows_the_code_form(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "Two-factor Authentication")
        self.assertContains(r, 'pattern="[0-9]{6}"')
        self.assertContains(r, 'autocomplete="off"')
        self.assertContains(r, "autofocus")
        self.assertContains(r, "js/totp_login.js")

    def test_a_correct_code_logs_in(self) -> None:
        r = self.client.post(URL, {"code": self.totp.now()})
        self.assertRedirects(
            r, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )
        self.assert_logged_in(self.alice.id)
        self.assertNotIn(PENDING_KEY, self.client.session)

    def test_codes_one_step_off_are_accepted(self) -> None:
        for offset in (-30, 30):
            with self.subTest(offset=offset):
                self.client.logout()
                park_for_second_factor(self.client, self.alice)
                code = self.totp.at(NOW + timedelta(seconds=offset))
                self.assertEqual(self.client.post(URL, {"code": code}).status_code, 302)
                self.assert_logged_in(self.alice.id)

    def test_it_follows_a_whitelisted_next_only(self) -> None:
        target = f"/projects/{self.project.code}/settings/"
        r = self.client.post(f"{URL}?next={target}", {"code": self.totp.now()})
        self.assertRedirects(r, target, fetch_redirect_response=False)

        self.client.logout()
        park_for_second_factor(self.client, self.alice)
        code = self.totp.at(NOW + timedelta(seconds=30))
        r = self.client.post(f"{URL}?next=https://evil.example.org/", {"code": code})
        self.assertRedirects(
            r, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )

    def test_a_wrong_code_is_a_field_error(self) -> None:
        for code in (self.totp.at(NOW - timedelta(seconds=60)), "000000"):
            with self.subTest(code=code):
                r = self.client.post(URL, {"code": code})
                self.assertContains(r, "The code you entered is incorrect.")
                self.assertContains(r, "is-invalid")
        self.assert_logged_in(None)
        self.assertIn(PENDING_KEY, self.client.session)

    def test_malformed_codes_are_field_errors(self) -> None:
        for code in ("", "12345", "abcdef", "1234567"):
            with self.subTest(code=code):
                r = self.client.post(URL, {"code": code})
                self.assertContains(r, "is-invalid")
        self.assert_logged_in(None)

    def test_a_used_code_cannot_be_reused_within_90_seconds(self) -> None:
        code = self.totp.now()
        self.client.post(URL, {"code": code})
        self.assert_logged_in(self.alice.id)

        self.client.logout()
        self.traveller.shift(20)  # same code, still inside the valid window
        park_for_second_factor(self.client, self.alice)
        r = self.client.post(URL, {"code": code})
        self.assertContains(r, "Too Many Requests")
        self.assert_logged_in(None)

    def test_the_reuse_guard_is_per_user(self) -> None:
        self.client.post(URL, {"code": self.totp.now()})
        self.client.logout()
        bobs = self.bob.profile
        bobs.totp = SECRET
        bobs.save()
        park_for_second_factor(self.client, self.bob)
        r = self.client.post(URL, {"code": self.totp.now()})
        self.assertEqual(r.status_code, 302)
        self.assert_logged_in(self.bob.id)

    def test_attempts_are_counted_before_checking_the_code(self) -> None:
        self.client.post(URL, {"code": "000000"})
        bucket = TokenBucket.objects.get(value=f"totp-{self.alice.id}")
        self.assertAlmostEqual(bucket.tokens, 1 - 1 / 96)

    def test_after_96_attempts_a_day_it_says_try_later(self) -> None:
        TokenBucket.objects.create(value=f"totp-{self.alice.id}", tokens=0.5 / 96, updated=NOW)
        r = self.client.post(URL, {"code": self.totp.now()})
        self.assertContains(r, "Too Many Requests")
        self.assert_logged_in(None)
        # A day later the bucket has refilled.
        self.traveller.shift(timedelta(days=1))
        park_for_second_factor(self.client, self.alice)
        r = self.client.post(URL, {"code": self.totp.now()})
        self.assertEqual(r.status_code, 302)

    def test_it_needs_a_pending_record(self) -> None:
        self.client.logout()
        self.assertEqual(self.client.get(URL).status_code, 400)
        self.assertEqual(self.client.post(URL, {"code": self.totp.now()}).status_code, 400)
        self.assert_logged_in(None)

    def test_logged_in_users_get_400(self) -> None:
        self.client.force_login(self.alice)
        park_for_second_factor(self.client, self.alice)
        self.assertEqual(self.client.get(URL).status_code, 400)

    def test_an_old_pending_record_goes_back_to_login(self) -> None:
        self.traveller.shift(301)
        r = self.client.post(URL, {"code": self.totp.now()})
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        self.assert_logged_in(None)

    def test_users_without_totp_get_400(self) -> None:
        self.profile.totp = ""
        self.profile.save()
        self.assertEqual(self.client.get(URL).status_code, 400)
        self.assertEqual(self.client.post(URL, {"code": "123456"}).status_code, 400)

    def test_it_needs_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        park_for_second_factor(client, self.alice)
        r = client.post(URL, {"code": self.totp.now()})
        self.assertEqual(r.status_code, 403)
        self.assertNotIn("_auth_user_id", client.session)

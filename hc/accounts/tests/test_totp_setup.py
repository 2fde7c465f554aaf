"""Setting up an authenticator app: /accounts/two_factor/totp/ (web spec §3.6.3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import segno
import time_machine
from django.core import mail
from django.test import Client

from hc.accounts.models import Profile
from hc.accounts.tests.two_factor_helpers import enter_sudo_mode, flashed
from hc.accounts.views.two_factor import TOTP_SETUP
from hc.test import BaseTestCase

URL = "/accounts/two_factor/totp/"
NOW = datetime(2026, 3, 1, 12, 0, 10, tzinfo=UTC)


class AddTotpTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Frozen time: TOTP codes depend on the clock, sessions expire by it.
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        self.client.force_login(self.alice)
        enter_sudo_mode(self.client)

    def secret(self) -> str:
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        secret: str = r.context["secret"]
        return secret

    def stored(self) -> Profile:
        return Profile.objects.get(user=self.alice)

    def test_it_shows_the_qr_code_and_the_secret(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "Set Up Authenticator App")
        self.assertContains(r, "Step 1")
        self.assertContains(r, "Step 2")
        secret = r.context["secret"]
        self.assertRegex(secret, r"^[A-Z2-7]{32}$")
        self.assertContains(r, f'<code class="monospace fs-5" id="totp-secret">{secret}</code>')
        uri = f"otpauth://totp/Mychecks:alice%40example.org?secret={secret}&issuer=Mychecks"
        qr = segno.make_qr(uri).png_data_uri(scale=8)
        self.assertTrue(qr.startswith("data:image/png;base64,"))
        self.assertContains(r, f'src="{qr}"')
        self.assertEqual(self.client.session[TOTP_SETUP], secret)
        self.assertEqual(self.stored().totp, "")

    def test_the_secret_survives_reloads(self) -> None:
        self.assertEqual(self.secret(), self.secret())

    def test_a_correct_code_enables_the_app(self) -> None:
        secret = self.secret()
        r = self.client.post(URL, {"code": pyotp.TOTP(secret).now()})
        self.assertRedirects(r, "/accounts/profile/", fetch_redirect_response=False)
        profile = self.stored()
        self.assertEqual(profile.totp, secret)
        self.assertEqual(profile.totp_created, NOW)
        self.assertNotIn(TOTP_SETUP, self.client.session)
        self.assertEqual(flashed(r), ["Set up the authenticator app"])

    def test_codes_one_step_off_are_accepted(self) -> None:
        for offset in (-30, 30):
            with self.subTest(offset=offset):
                Profile.objects.filter(user=self.alice).update(totp="")
                secret = self.secret()
                code = pyotp.TOTP(secret).at(NOW + timedelta(seconds=offset))
                r = self.client.post(URL, {"code": code})
                self.assertEqual(r.status_code, 302)
                self.assertEqual(self.stored().totp, secret)

    def test_wrong_or_stale_codes_are_refused(self) -> None:
        secret = self.secret()
        totp = pyotp.TOTP(secret)
        for code in (totp.at(NOW - timedelta(seconds=60)), totp.at(NOW + timedelta(seconds=60))):
            with self.subTest(code=code):
                r = self.client.post(URL, {"code": code})
                self.assertContains(r, "The code you entered is incorrect.")
                self.assertContains(r, "is-invalid")
        self.assertEqual(self.stored().totp, "")
        self.assertEqual(self.client.session[TOTP_SETUP], secret)

    def test_malformed_codes_get_a_field_error(self) -> None:
        self.secret()
        for code in ("", "12345", "1234567", "abcdef", "12 456"):
            with self.subTest(code=code):
                r = self.client.post(URL, {"code": code})
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, "is-invalid")
        self.assertEqual(self.stored().totp, "")

    def test_it_is_400_when_already_set_up(self) -> None:
        Profile.objects.filter(user=self.alice).update(totp="JBSWY3DPEHPK3PXP")
        self.assertEqual(self.client.get(URL).status_code, 400)
        self.assertEqual(self.client.post(URL, {"code": "123456"}).status_code, 400)
        self.assertEqual(self.stored().totp, "JBSWY3DPEHPK3PXP")

    def test_it_requires_sudo_mode(self) -> None:
        session = self.client.session
        del session["sudo"]
        session.save()
        r = self.client.get(URL)
        self.assertContains(r, "Enter a Confirmation Code")
        self.assertEqual(len(mail.outbox), 1)
        self.assertNotIn(TOTP_SETUP, self.client.session)

    def test_it_requires_login(self) -> None:
        self.client.logout()
        r = self.client.get(URL)
        self.assertRedirects(r, f"/accounts/login/?next={URL}", fetch_redirect_response=False)

    def test_it_needs_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        enter_sudo_mode(client)
        secret = client.get(URL).context["secret"]
        r = client.post(URL, {"code": pyotp.TOTP(secret).now()})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(self.stored().totp, "")

"""Disabling the authenticator app: /accounts/two_factor/totp/remove/ (web spec §3.6.3)."""

from __future__ import annotations

from django.core import mail
from django.test import Client, override_settings

from hc.accounts.models import Credential, Profile
from hc.accounts.tests.soft_authenticator import RP_ID, SoftAuthenticator
from hc.accounts.tests.two_factor_helpers import enter_sudo_mode, flashed
from hc.test import BaseTestCase

URL = "/accounts/two_factor/totp/remove/"
SECRET = "JBSWY3DPEHPK3PXP"
LAST_FACTOR_WARNING = 'id="last-factor-warning"'


class RemoveTotpTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.profile.totp = SECRET
        self.profile.save()
        self.client.force_login(self.alice)
        enter_sudo_mode(self.client)

    def stored(self) -> Profile:
        return Profile.objects.get(user=self.alice)

    def add_key(self) -> None:
        data = SoftAuthenticator().attested_credential_data()
        Credential.objects.create(user=self.alice, name="Key", data=data)

    def test_it_asks_for_confirmation_with_the_last_factor_warning(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "Disable Authenticator App", count=3)
        self.assertContains(r, LAST_FACTOR_WARNING)
        self.assertEqual(self.stored().totp, SECRET)

    @override_settings(RP_ID=RP_ID)
    def test_no_warning_while_a_usable_key_remains(self) -> None:
        self.add_key()
        self.assertNotContains(self.client.get(URL), LAST_FACTOR_WARNING)

    @override_settings(RP_ID=None)
    def test_keys_do_not_count_while_webauthn_is_off(self) -> None:
        self.add_key()
        self.assertContains(self.client.get(URL), LAST_FACTOR_WARNING)

    def test_it_disables_the_app(self) -> None:
        self.profile.totp_created = self.profile.user.date_joined
        self.profile.save()
        r = self.client.post(URL)
        self.assertRedirects(r, "/accounts/profile/", fetch_redirect_response=False)
        profile = self.stored()
        self.assertEqual(profile.totp, "")
        self.assertIsNone(profile.totp_created)
        self.assertEqual(flashed(r), ["Disabled the authenticator app"])

    def test_it_is_400_when_not_set_up(self) -> None:
        Profile.objects.filter(user=self.alice).update(totp="")
        self.assertEqual(self.client.get(URL).status_code, 400)
        self.assertEqual(self.client.post(URL).status_code, 400)

    def test_it_requires_sudo_mode(self) -> None:
        session = self.client.session
        del session["sudo"]
        session.save()
        r = self.client.post(URL)
        self.assertContains(r, "Enter a Confirmation Code")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(self.stored().totp, SECRET)

    def test_it_requires_login(self) -> None:
        self.client.logout()
        r = self.client.post(URL)
        self.assertRedirects(r, f"/accounts/login/?next={URL}", fetch_redirect_response=False)
        self.assertEqual(self.stored().totp, SECRET)

    def test_it_needs_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        enter_sudo_mode(client)
        self.assertEqual(client.post(URL).status_code, 403)
        self.assertEqual(self.stored().totp, SECRET)

"""Removing a security key: /accounts/two_factor/<code>/remove/ (web spec §3.6.2)."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings

from hc.accounts.models import Credential
from hc.accounts.tests.soft_authenticator import RP_ID, SoftAuthenticator
from hc.accounts.tests.two_factor_helpers import enter_sudo_mode, flashed
from hc.test import BaseTestCase

LAST_FACTOR_WARNING = 'id="last-factor-warning"'


@override_settings(RP_ID=RP_ID)
class RemoveCredentialTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.credential = self.add_key(self.alice, "Blue Key")
        self.url = f"/accounts/two_factor/{self.credential.code}/remove/"
        self.client.force_login(self.alice)
        enter_sudo_mode(self.client)

    @staticmethod
    def add_key(user: User, name: str) -> Credential:
        data = SoftAuthenticator().attested_credential_data()
        return Credential.objects.create(user=user, name=name, data=data)

    def test_it_asks_for_confirmation_naming_the_key(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "Remove Security Key?")
        self.assertContains(r, "<strong>Blue Key</strong>", html=False)
        self.assertContains(r, "Cancel")
        self.assertContains(r, 'class="btn btn-danger">Remove Security Key</button>')
        self.assertTrue(Credential.objects.filter(id=self.credential.id).exists())

    def test_it_warns_when_this_is_the_last_factor(self) -> None:
        self.assertContains(self.client.get(self.url), LAST_FACTOR_WARNING)

    def test_no_warning_when_another_key_or_the_app_remains(self) -> None:
        other = self.add_key(self.alice, "Spare")
        self.assertNotContains(self.client.get(self.url), LAST_FACTOR_WARNING)
        other.delete()
        self.profile.totp = "JBSWY3DPEHPK3PXP"
        self.profile.save()
        self.assertNotContains(self.client.get(self.url), LAST_FACTOR_WARNING)

    def test_it_removes_the_key(self) -> None:
        spare = self.add_key(self.alice, "Spare")
        r = self.client.post(self.url)
        self.assertRedirects(r, "/accounts/profile/", fetch_redirect_response=False)
        self.assertEqual(list(Credential.objects.filter(user=self.alice)), [spare])
        self.assertEqual(flashed(r), ["Removed security key Blue Key"])

    def test_another_users_key_is_400_and_stays(self) -> None:
        bobs = self.add_key(self.bob, "Bob's Key")
        url = f"/accounts/two_factor/{bobs.code}/remove/"
        self.assertEqual(self.client.get(url).status_code, 400)
        self.assertEqual(self.client.post(url).status_code, 400)
        self.assertTrue(Credential.objects.filter(id=bobs.id).exists())

    def test_an_unknown_key_is_400(self) -> None:
        url = f"/accounts/two_factor/{uuid.uuid4()}/remove/"
        self.assertEqual(self.client.post(url).status_code, 400)
        self.assertEqual(
            self.client.get("/accounts/two_factor/not-a-uuid/remove/").status_code, 404
        )

    def test_it_requires_sudo_mode(self) -> None:
        session = self.client.session
        del session["sudo"]
        session.save()
        r = self.client.post(self.url)
        self.assertContains(r, "Enter a Confirmation Code")
        self.assertEqual(len(mail.outbox), 1)
        self.assertTrue(Credential.objects.filter(id=self.credential.id).exists())

    def test_it_requires_login(self) -> None:
        self.client.logout()
        r = self.client.post(self.url)
        self.assertRedirects(r, f"/accounts/login/?next={self.url}", fetch_redirect_response=False)
        self.assertTrue(Credential.objects.filter(id=self.credential.id).exists())

    @override_settings(RP_ID=None)
    def test_it_is_404_without_rp_id(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertTrue(Credential.objects.filter(id=self.credential.id).exists())

    def test_it_needs_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        enter_sudo_mode(client)
        self.assertEqual(client.post(self.url).status_code, 403)
        self.assertTrue(Credential.objects.filter(id=self.credential.id).exists())

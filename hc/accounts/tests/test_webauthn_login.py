"""The security-key login step: /accounts/login/two_factor/ (web spec §3.6.1)."""

from __future__ import annotations

import time
from typing import Any

import time_machine
from django.test import Client, override_settings

from hc.accounts.login_flow import PENDING_KEY
from hc.accounts.models import Credential
from hc.accounts.tests.soft_authenticator import RP_ID, SoftAuthenticator, b64
from hc.accounts.tests.two_factor_helpers import as_field, park_for_second_factor
from hc.accounts.views.two_factor import LOGIN_STATE
from hc.test import BaseTestCase

URL = "/accounts/login/two_factor/"
LOGGER = "hc.accounts.views.two_factor"


@override_settings(RP_ID=RP_ID)
class LoginWebAuthnTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.key = SoftAuthenticator()
        Credential.objects.create(
            user=self.alice, name="Key", data=self.key.attested_credential_data()
        )
        park_for_second_factor(self.client, self.alice)

    def options(self, url: str = URL) -> dict[str, Any]:
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        options: dict[str, Any] = r.context["options"]
        return options

    def post(self, response: dict[str, Any] | str, url: str = URL) -> Any:
        value = response if isinstance(response, str) else as_field(response)
        return self.client.post(url, {"response": value})

    def assert_logged_in(self, user_id: int | None) -> None:
        self.assertEqual(self.client.session.get("_auth_user_id"), user_id and str(user_id))

    def test_it_starts_the_ceremony_for_the_users_keys(self) -> None:
        other = SoftAuthenticator()
        Credential.objects.create(
            user=self.alice, name="Two", data=other.attested_credential_data()
        )
        Credential.objects.create(
            user=self.bob, name="Bob's", data=SoftAuthenticator().attested_credential_data()
        )
        r = self.client.get(URL)
        self.assertContains(r, "Two-factor Authentication")
        self.assertContains(r, "Waiting for security key")
        self.assertContains(r, "data-autostart")
        self.assertNotContains(r, "Use authenticator app")
        public_key = r.context["options"]["publicKey"]
        allowed = [c["id"] for c in public_key["allowCredentials"]]
        self.assertEqual(allowed, [b64(self.key.credential_id), b64(other.credential_id)])
        self.assertEqual(public_key["rpId"], RP_ID)
        self.assertEqual(public_key["userVerification"], "discouraged")
        self.assertIn(LOGIN_STATE, self.client.session)

    def test_with_totp_too_it_offers_a_choice_first(self) -> None:
        self.profile.totp = "JBSWY3DPEHPK3PXP"
        self.profile.save()
        target = f"/projects/{self.project.code}/settings/"
        r = self.client.get(URL, {"next": target})
        self.assertContains(r, "Use security key")
        self.assertContains(r, "Use authenticator app")
        self.assertContains(
            r, f'href="/accounts/login/two_factor/totp/?next={target.replace("/", "%2F")}"'
        )
        self.assertNotContains(r, "data-autostart")

    def test_it_logs_in(self) -> None:
        r = self.post(self.key.authenticate(self.options()))
        self.assertRedirects(
            r, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )
        self.assert_logged_in(self.alice.id)
        self.assertNotIn(PENDING_KEY, self.client.session)

    def test_it_follows_a_whitelisted_next_only(self) -> None:
        for target, expected in (
            (
                f"/projects/{self.project.code}/settings/",
                f"/projects/{self.project.code}/settings/",
            ),
            ("https://evil.example.org/", f"/projects/{self.project.code}/checks/"),
        ):
            with self.subTest(target=target):
                self.client.logout()
                park_for_second_factor(self.client, self.alice)
                url = f"{URL}?next={target}"
                r = self.post(self.key.authenticate(self.options(url)), url=url)
                self.assertRedirects(r, expected, fetch_redirect_response=False)

    def test_a_bad_signature_is_refused(self) -> None:
        with self.assertLogs(LOGGER, "WARNING") as logs:
            r = self.post(self.key.authenticate(self.options(), tamper=True))
        self.assertContains(r, "Security Key Not Accepted", status_code=400)
        self.assert_logged_in(None)
        self.assertIn("Invalid signature", logs.output[0])

    def test_another_users_key_is_refused(self) -> None:
        bobs = SoftAuthenticator()
        Credential.objects.create(user=self.bob, name="Bob's", data=bobs.attested_credential_data())
        with self.assertLogs(LOGGER, "WARNING"):
            r = self.post(bobs.authenticate(self.options()))
        self.assertEqual(r.status_code, 400)
        self.assert_logged_in(None)

    def test_a_foreign_origin_or_rp_id_is_refused(self) -> None:
        cases = (("https://evil.example.org", RP_ID), ("https://testserver", "evil.example.org"))
        for origin, rp_id in cases:
            with self.subTest(origin=origin, rp_id=rp_id), self.assertLogs(LOGGER, "WARNING"):
                response = self.key.authenticate(self.options(), origin=origin, rp_id=rp_id)
                self.assertEqual(self.post(response).status_code, 400)
        self.assert_logged_in(None)

    def test_malformed_responses_are_400(self) -> None:
        for value in ("", "{", "[]", "{}", '{"rawId": 1}'):
            with self.subTest(value=value):
                self.options()
                self.assertEqual(self.post(value).status_code, 400)
        self.assert_logged_in(None)

    def test_an_assertion_cannot_be_replayed(self) -> None:
        response = self.key.authenticate(self.options())
        self.client.post(URL, {"response": as_field(response)})
        self.client.logout()
        park_for_second_factor(self.client, self.alice)
        r = self.post(response)
        self.assertContains(r, "missing or malformed", status_code=400)
        self.assert_logged_in(None)

    def test_it_needs_a_pending_record(self) -> None:
        self.client.logout()
        self.assertEqual(self.client.get(URL).status_code, 400)
        self.client.force_login(self.alice)
        park_for_second_factor(self.client, self.alice)
        self.assertEqual(self.client.get(URL).status_code, 400)

    def test_an_old_pending_record_goes_back_to_login(self) -> None:
        park_for_second_factor(self.client, self.alice, started=time.time() - 301)
        r = self.client.get(URL)
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)

    def test_the_step_must_finish_within_five_minutes(self) -> None:
        with time_machine.travel("2026-01-01 12:00:00Z", tick=False) as traveller:
            park_for_second_factor(self.client, self.alice)
            options = self.options()
            traveller.shift(301)
            r = self.post(self.key.authenticate(options))
            self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
            self.assert_logged_in(None)

    def test_a_changed_email_ends_the_step(self) -> None:
        self.alice.email = "alice2@example.org"
        self.alice.save()
        self.assertEqual(self.client.get(URL).status_code, 400)

    def test_without_keys_it_falls_back_to_totp_or_400(self) -> None:
        Credential.objects.all().delete()
        self.assertEqual(self.client.get(URL).status_code, 400)
        self.profile.totp = "JBSWY3DPEHPK3PXP"
        self.profile.save()
        r = self.client.get(URL)
        self.assertRedirects(r, "/accounts/login/two_factor/totp/", fetch_redirect_response=False)

    @override_settings(RP_ID=None)
    def test_it_is_404_without_rp_id(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 404)
        self.assertEqual(self.client.post(URL, {"response": "{}"}).status_code, 404)

    def test_it_needs_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        park_for_second_factor(client, self.alice)
        options = client.get(URL).context["options"]
        r = client.post(URL, {"response": as_field(self.key.authenticate(options))})
        self.assertEqual(r.status_code, 403)
        self.assertNotIn("_auth_user_id", client.session)

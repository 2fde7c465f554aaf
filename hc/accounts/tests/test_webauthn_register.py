"""Adding a security key: /accounts/two_factor/webauthn/ (web spec §3.6.2)."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client, override_settings

from hc.accounts.models import Credential
from hc.accounts.tests.soft_authenticator import RP_ID, SoftAuthenticator, b64, unb64
from hc.accounts.tests.two_factor_helpers import as_field, enter_sudo_mode, flashed
from hc.accounts.views.two_factor import REGISTER_STATE
from hc.accounts.webauthn import RP_NAME
from hc.test import BaseTestCase

URL = "/accounts/two_factor/webauthn/"
LOGGER = "hc.accounts.views.two_factor"


@override_settings(RP_ID=RP_ID)
class AddWebAuthnTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)
        enter_sudo_mode(self.client)
        self.key = SoftAuthenticator()

    def options(self) -> dict[str, Any]:
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        options: dict[str, Any] = r.context["options"]
        return options

    def post(self, response: dict[str, Any] | str, name: str = "My Key") -> Any:
        value = response if isinstance(response, str) else as_field(response)
        return self.client.post(URL, {"name": name, "response": value})

    def test_it_shows_the_name_step_and_the_options(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "Add Security Key")
        self.assertContains(r, "Confirm Name and Continue")
        self.assertContains(r, "Save Security Key")
        self.assertContains(r, 'id="webauthn-options"')
        public_key = r.context["options"]["publicKey"]
        self.assertEqual(public_key["rp"], {"id": RP_ID, "name": RP_NAME})
        self.assertEqual(public_key["user"]["name"], "alice@example.org")
        self.assertEqual(public_key["user"]["displayName"], "alice@example.org")
        self.assertEqual(len(unb64(public_key["user"]["id"])), 16)
        self.assertEqual([p["alg"] for p in public_key["pubKeyCredParams"]], [-7, -257])
        selection = public_key["authenticatorSelection"]
        self.assertEqual(selection["userVerification"], "discouraged")
        self.assertEqual(selection["residentKey"], "preferred")
        self.assertEqual(public_key["excludeCredentials"], [])
        self.assertIn(REGISTER_STATE, self.client.session)

    def test_the_user_handle_is_fresh_random_bytes_each_time(self) -> None:
        first = self.options()["publicKey"]["user"]["id"]
        second = self.options()["publicKey"]["user"]["id"]
        self.assertNotEqual(first, second)

    def test_it_excludes_the_users_existing_keys(self) -> None:
        Credential.objects.create(
            user=self.alice, name="Old", data=self.key.attested_credential_data()
        )
        other = SoftAuthenticator()
        Credential.objects.create(
            user=self.bob, name="Bob's", data=other.attested_credential_data()
        )
        excluded = self.options()["publicKey"]["excludeCredentials"]
        self.assertEqual([c["id"] for c in excluded], [b64(self.key.credential_id)])

    def test_it_adds_the_key(self) -> None:
        r = self.post(self.key.register(self.options()))
        self.assertRedirects(r, "/accounts/profile/", fetch_redirect_response=False)
        credential = Credential.objects.get()
        self.assertEqual(credential.user, self.alice)
        self.assertEqual(credential.name, "My Key")
        self.assertEqual(bytes(credential.data), self.key.attested_credential_data())
        self.assertEqual(flashed(r), ["Added security key My Key"])
        self.assertNotIn(REGISTER_STATE, self.client.session)

    def test_it_accepts_rs256_keys_and_none_attestation(self) -> None:
        for alg, fmt in (("RS256", "packed"), ("ES256", "none")):
            with self.subTest(alg=alg, fmt=fmt):
                key = SoftAuthenticator(alg)
                r = self.post(key.register(self.options(), fmt=fmt), name=alg)
                self.assertEqual(r.status_code, 302)
                credential = Credential.objects.get(name=alg)
                self.assertEqual(bytes(credential.data), key.attested_credential_data())

    def test_it_refuses_ed25519_keys(self) -> None:
        key = SoftAuthenticator("EdDSA")
        with self.assertLogs(LOGGER, "WARNING") as logs:
            r = self.post(key.register(self.options()))
        self.assertContains(r, "Security Key Not Added", status_code=400)
        self.assertFalse(Credential.objects.exists())
        self.assertIn("algorithm -8", logs.output[0])

    def test_it_refuses_and_logs_a_wrong_challenge(self) -> None:
        options = self.options()
        response = self.key.register(options, challenge=b64(b"x" * 32))
        with self.assertLogs(LOGGER, "WARNING") as logs:
            r = self.post(response)
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Credential.objects.exists())
        self.assertIn("challenge", logs.output[0])
        # The log names the failure, never the browser's data.
        self.assertNotIn(response["response"]["clientDataJSON"], logs.output[0])

    def test_it_refuses_a_foreign_origin_or_rp_id(self) -> None:
        cases = (
            ("https://evil.example.org", RP_ID),
            ("http://testserver", RP_ID),
            ("https://testserver", "evil.example.org"),
        )
        for origin, rp_id in cases:
            with self.subTest(origin=origin, rp_id=rp_id), self.assertLogs(LOGGER, "WARNING"):
                response = self.key.register(self.options(), origin=origin, rp_id=rp_id)
                self.assertEqual(self.post(response).status_code, 400)
        self.assertFalse(Credential.objects.exists())

    def test_it_requires_a_name_of_at_most_100_characters(self) -> None:
        for name in ("", "   ", "x" * 101):
            with self.subTest(name=name), self.assertLogs(LOGGER, "WARNING"):
                r = self.post(self.key.register(self.options()), name=name)
                self.assertContains(r, "Name:", status_code=400)
        r = self.post(self.key.register(self.options()), name="x" * 100)
        self.assertEqual(r.status_code, 302)

    def test_malformed_responses_are_400_not_500(self) -> None:
        for value in ("", "not json", "[1, 2]", "{}", '{"rawId": "!!", "response": 5}', "null"):
            with self.subTest(value=value), self.assertLogs(LOGGER, "WARNING"):
                self.options()
                r = self.post(value)
                self.assertEqual(r.status_code, 400)
        self.assertFalse(Credential.objects.exists())

    def test_a_response_needs_a_ceremony_started_in_this_session(self) -> None:
        response = self.key.register(self.options())
        session = self.client.session
        del session[REGISTER_STATE]
        session.save()
        with self.assertLogs(LOGGER, "WARNING"):
            r = self.post(response)
        self.assertContains(r, "The registration expired", status_code=400)

    def test_a_response_cannot_be_replayed(self) -> None:
        response = self.key.register(self.options())
        self.assertEqual(self.post(response).status_code, 302)
        with self.assertLogs(LOGGER, "WARNING"):
            self.assertEqual(self.post(response, name="Again").status_code, 400)
        self.assertEqual(Credential.objects.count(), 1)

    def test_it_requires_sudo_mode(self) -> None:
        session = self.client.session
        del session["sudo"]
        session.save()
        r = self.client.get(URL)
        self.assertContains(r, "Enter a Confirmation Code")
        self.assertEqual(len(mail.outbox), 1)
        self.assertNotIn(REGISTER_STATE, self.client.session)

    def test_it_requires_login(self) -> None:
        self.client.logout()
        r = self.client.get(URL)
        self.assertRedirects(r, f"/accounts/login/?next={URL}", fetch_redirect_response=False)

    @override_settings(RP_ID=None)
    def test_it_is_404_without_rp_id_and_sends_no_sudo_code(self) -> None:
        session = self.client.session
        del session["sudo"]
        session.save()
        self.assertEqual(self.client.get(URL).status_code, 404)
        self.assertEqual(self.client.post(URL).status_code, 404)
        self.assertEqual(mail.outbox, [])

    def test_it_needs_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        enter_sudo_mode(client)
        options = client.get(URL).context["options"]
        r = client.post(URL, {"name": "Key", "response": as_field(self.key.register(options))})
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Credential.objects.exists())

"""Passkey login: /accounts/login/passkey/ and the login page's button."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings

from hc.accounts.login_flow import PENDING_KEY
from hc.accounts.models import Credential
from hc.accounts.tests.soft_authenticator import RP_ID, SoftAuthenticator
from hc.accounts.tests.two_factor_helpers import as_field, park_for_second_factor
from hc.accounts.views.two_factor import PASSKEY_STATE
from hc.api.models import TokenBucket
from hc.test import BaseTestCase

URL = "/accounts/login/passkey/"
LOGGER = "hc.accounts.views.two_factor"


@override_settings(RP_ID=RP_ID)
class LoginPasskeyTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.key = SoftAuthenticator()
        Credential.objects.create(
            user=self.alice, name="Phone", data=self.key.attested_credential_data()
        )
        self.bobs_key = SoftAuthenticator()
        Credential.objects.create(
            user=self.bob, name="Laptop", data=self.bobs_key.attested_credential_data()
        )

    def options(self, client: Client | None = None) -> dict[str, Any]:
        r = (client or self.client).get(URL)
        self.assertEqual(r.status_code, 200)
        options: dict[str, Any] = self.json(r)
        return options

    def post(self, response: dict[str, Any] | str, url: str = URL, **extra: Any) -> Any:
        value = response if isinstance(response, str) else as_field(response)
        return self.client.post(url, {"response": value}, **extra)

    def assert_logged_in(self, user_id: int | None) -> None:
        self.assertEqual(self.client.session.get("_auth_user_id"), user_id and str(user_id))

    def test_options_ask_for_any_discoverable_credential_with_verification(self) -> None:
        public_key = self.options()["publicKey"]
        self.assertEqual(public_key["allowCredentials"], [])
        self.assertEqual(public_key["userVerification"], "required")
        self.assertEqual(public_key["rpId"], RP_ID)
        self.assertGreaterEqual(len(public_key["challenge"]), 22)
        self.assertIn(PASSKEY_STATE, self.client.session)

    def test_options_are_never_cached(self) -> None:
        r = self.client.get(URL)
        self.assertIn("no-store", r["Cache-Control"])

    def test_it_logs_in_the_owner_of_the_passkey(self) -> None:
        r = self.post(self.key.authenticate(self.options(), uv=True))
        self.assertRedirects(
            r, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )
        self.assert_logged_in(self.alice.id)
        self.assertNotIn(PASSKEY_STATE, self.client.session)

    def test_it_finds_the_user_among_all_users(self) -> None:
        r = self.post(self.bobs_key.authenticate(self.options(), uv=True))
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assert_logged_in(self.bob.id)

    def test_it_replaces_a_pending_second_step(self) -> None:
        park_for_second_factor(self.client, self.alice)
        self.post(self.key.authenticate(self.options(), uv=True))
        self.assert_logged_in(self.alice.id)
        self.assertNotIn(PENDING_KEY, self.client.session)

    def test_it_follows_a_whitelisted_next_only(self) -> None:
        for target, expected in (
            (
                f"/projects/{self.project.code}/settings/",
                f"/projects/{self.project.code}/settings/",
            ),
            ("//evil.example.org/", f"/projects/{self.project.code}/checks/"),
        ):
            with self.subTest(target=target):
                self.client.logout()
                response = self.key.authenticate(self.options(), uv=True)
                r = self.post(response, url=f"{URL}?next={target}")
                self.assertRedirects(r, expected, fetch_redirect_response=False)

    def test_it_requires_user_verification(self) -> None:
        with self.assertLogs(LOGGER, "WARNING") as logs:
            r = self.post(self.key.authenticate(self.options(), uv=False))
        self.assertContains(r, "did not confirm it is you", status_code=400)
        self.assertIn("verif", logs.output[0])
        self.assert_logged_in(None)

    def test_an_unknown_passkey_gets_a_clear_message(self) -> None:
        stranger = SoftAuthenticator()
        r = self.post(stranger.authenticate(self.options(), uv=True))
        self.assertContains(r, "not registered on this site", status_code=400)
        self.assert_logged_in(None)

    def test_a_bad_signature_is_refused(self) -> None:
        with self.assertLogs(LOGGER, "WARNING") as logs:
            r = self.post(self.key.authenticate(self.options(), uv=True, tamper=True))
        self.assertContains(r, "signature could not be verified", status_code=400)
        self.assertIn("Invalid signature", logs.output[0])
        self.assert_logged_in(None)

    def test_a_foreign_origin_is_refused(self) -> None:
        response = self.key.authenticate(self.options(), uv=True, origin="https://evil.example.org")
        with self.assertLogs(LOGGER, "WARNING"):
            self.assertEqual(self.post(response).status_code, 400)
        self.assert_logged_in(None)

    def test_it_needs_options_from_this_session_and_uses_them_once(self) -> None:
        response = self.key.authenticate(self.options(), uv=True)
        other = Client()
        r = other.post(URL, {"response": as_field(response)})
        self.assertContains(r, "missing or malformed", status_code=400)

        self.assertEqual(self.post(response).status_code, 302)
        self.client.logout()
        r = self.post(response)
        self.assertContains(r, "missing or malformed", status_code=400)

    def test_malformed_responses_are_400(self) -> None:
        for value in ("", "nope", "[]", "{}", '{"rawId": "AAAA", "response": {}}'):
            with self.subTest(value=value):
                self.options()
                r = self.post(value)
                self.assertEqual(r.status_code, 400)
        self.assert_logged_in(None)

    def test_inactive_users_are_refused(self) -> None:
        self.alice.is_active = False
        self.alice.save()
        r = self.post(self.key.authenticate(self.options(), uv=True))
        self.assertContains(r, "disabled", status_code=400)
        self.assert_logged_in(None)

    def test_unreadable_stored_keys_are_skipped(self) -> None:
        Credential.objects.create(user=self.charlie, name="Broken", data=b"\x00garbage")
        r = self.post(self.key.authenticate(self.options(), uv=True))
        self.assertEqual(r.status_code, 302)
        self.assert_logged_in(self.alice.id)

    def test_attempts_are_rate_limited_per_ip(self) -> None:
        ip = "203.0.113.9"
        TokenBucket.objects.create(value=f"passkey-{ip}", tokens=0.04)
        response = self.key.authenticate(self.options(), uv=True)
        r = self.post(response, REMOTE_ADDR=ip)
        self.assertContains(r, "Too Many Requests")
        self.assert_logged_in(None)
        # Another address is not affected.
        r = self.post(response, REMOTE_ADDR="203.0.113.10")
        self.assertEqual(r.status_code, 302)

    def test_twenty_failures_use_up_the_hour(self) -> None:
        for _ in range(20):
            self.assertEqual(self.post("{}").status_code, 400)
        r = self.post(self.key.authenticate(self.options(), uv=True))
        self.assertContains(r, "Too Many Requests")
        self.assert_logged_in(None)

    def test_logged_in_users_get_400(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(URL).status_code, 400)
        self.assertEqual(self.post("{}").status_code, 400)

    @override_settings(RP_ID=None)
    def test_it_is_404_without_rp_id(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 404)
        self.assertEqual(self.post("{}").status_code, 404)

    def test_other_methods_are_405(self) -> None:
        self.assertEqual(self.client.put(URL).status_code, 405)

    def test_it_needs_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        options = self.options(client)
        response = self.key.authenticate(options, uv=True)
        r = client.post(URL, {"response": as_field(response)})
        self.assertEqual(r.status_code, 403)
        self.assertNotIn("_auth_user_id", client.session)


class PasskeyButtonTestCase(BaseTestCase):
    def render(self, query: str = "") -> str:
        request = RequestFactory().get("/accounts/login/" + query)
        return render_to_string("accounts/passkey_login.html", request=request)

    @override_settings(RP_ID=RP_ID)
    def test_it_shows_the_button_posting_to_the_passkey_view(self) -> None:
        html = self.render()
        self.assertIn("Log In with a Passkey", html)
        self.assertIn('data-options-url="/accounts/login/passkey/"', html)
        self.assertIn('action="/accounts/login/passkey/"', html)
        self.assertIn('name="csrfmiddlewaretoken"', html)

    @override_settings(RP_ID=RP_ID)
    def test_it_carries_next_along(self) -> None:
        html = self.render("?next=/projects/x/checks/")
        self.assertIn('action="/accounts/login/passkey/?next=/projects/x/checks/"', html)

    @override_settings(RP_ID=None)
    def test_it_renders_nothing_without_rp_id(self) -> None:
        self.assertNotIn("Passkey", self.render())

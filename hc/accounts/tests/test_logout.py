"""/accounts/logout/ (web §3.5)."""

from __future__ import annotations

from django.test import Client

from hc.test import BaseTestCase

URL = "/accounts/logout/"


class LogoutTestCase(BaseTestCase):
    def test_it_logs_out_and_flushes_the_session(self) -> None:
        self.client.force_login(self.alice)
        session = self.client.session
        session["sudo"] = "something"
        session.save()
        old_key = session.session_key

        r = self.client.post(URL)
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertNotIn("sudo", self.client.session)
        self.assertNotEqual(self.client.session.session_key, old_key)

    def test_get_is_not_allowed(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 405)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.id))

    def test_it_requires_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        r = client.post(URL)
        self.assertEqual(r.status_code, 403)
        self.assertEqual(client.session["_auth_user_id"], str(self.alice.id))

    def test_anonymous_visitors_just_land_on_the_index(self) -> None:
        r = self.client.post(URL)
        self.assertRedirects(r, "/", fetch_redirect_response=False)

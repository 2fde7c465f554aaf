"""REMOTE_USER_HEADER: an authenticating proxy names the user (web §3.12)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import modify_settings, override_settings

from hc.accounts import login_tokens
from hc.accounts.models import Profile, Project
from hc.accounts.tests.auth_helpers import AuthTestCase
from hc.api.models import Check

PAGE = "/accounts/login_link_sent/"
HEADER = "HTTP_X_AUTHENTICATED_USER"


@override_settings(
    REMOTE_USER_HEADER=HEADER,
    AUTHENTICATION_BACKENDS=["hc.accounts.backends.RemoteUserHeaderBackend"],
)
@modify_settings(MIDDLEWARE={"append": "hc.accounts.middleware.RemoteUserHeaderMiddleware"})
class RemoteUserTestCase(AuthTestCase):
    def get(self, email: str | None) -> User | None:
        """Request a page with the header (None: without it); whom it ran as."""
        if email is None:
            r = self.client.get(PAGE)
        else:
            r = self.client.get(PAGE, headers={"X-Authenticated-User": email})
        self.assertEqual(r.status_code, 200)
        user = r.wsgi_request.user
        return user if isinstance(user, User) else None

    def test_it_logs_in_a_known_user(self) -> None:
        self.assertEqual(self.get("alice@example.org"), self.alice)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.id))

    def test_it_lower_cases_the_header(self) -> None:
        self.assertEqual(self.get("  Alice@Example.ORG "), self.alice)

    def test_it_creates_an_unknown_user_with_the_starter_set(self) -> None:
        user = self.get("Dana@example.org")
        assert user is not None
        self.assertEqual(user.email, "dana@example.org")
        self.assertTrue(Profile.objects.filter(user=user).exists())
        project = Project.objects.get(owner=user)
        self.assertTrue(Check.objects.filter(project=project, name="My First Check").exists())
        # The next request finds the same account.
        self.assertEqual(self.get("dana@example.org"), user)
        self.assertEqual(User.objects.filter(email="dana@example.org").count(), 1)

    def test_it_skips_the_second_factor(self) -> None:
        Profile.objects.filter(user=self.alice).update(totp="JBSWY3DPEHPK3PXP")
        self.assertEqual(self.get("alice@example.org"), self.alice)

    def test_a_missing_header_logs_out(self) -> None:
        self.get("alice@example.org")
        self.assertIsNone(self.get(None))
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertIsNone(self.get(""))

    def test_a_different_header_switches_the_user(self) -> None:
        self.get("alice@example.org")
        self.assertEqual(self.get("bob@example.org"), self.bob)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.bob.id))

    def test_an_inactive_user_stays_anonymous(self) -> None:
        User.objects.filter(id=self.alice.id).update(is_active=False)
        self.assertIsNone(self.get("alice@example.org"))

    def test_a_value_that_is_no_email_is_ignored(self) -> None:
        with self.assertLogs("hc.accounts.middleware", "WARNING"):
            self.assertIsNone(self.get("not an email"))
        self.assertFalse(User.objects.filter(email="not an email").exists())

    def test_password_login_stops_working(self) -> None:
        r = self.client.post(
            "/accounts/login/",
            {"action": "login", "email": "alice@example.org", "password": "password"},
        )
        self.assertContains(r, "Incorrect email or password.")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_login_links_stop_working(self) -> None:
        url = login_tokens.login_url(self.alice).removeprefix("http://localhost:8000")
        r = self.client.post(url)
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

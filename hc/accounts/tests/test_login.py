"""/accounts/login/: the page, and logging in with a password (web §3.2, §3.3.3)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client, override_settings

from hc.accounts.login_flow import PENDING_KEY
from hc.accounts.models import Profile
from hc.accounts.tests.auth_helpers import NO_SMTP, AuthTestCase

URL = "/accounts/login/"


class LoginPageTestCase(AuthTestCase):
    def test_it_shows_both_columns_with_smtp(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "Log In to Mychecks")
        self.assertContains(r, 'name="identity"')
        self.assertContains(r, "Email Me a Link</button>", count=2)  # column and signup modal
        self.assertContains(r, 'class="col-md-2 login-divider"')
        self.assertContains(r, 'name="password"')
        self.assertContains(r, "Lost your password?")
        self.assertContains(r, 'id="lost-password-modal"')

    def test_it_offers_signup_when_registration_is_open(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, 'id="signup-button"')
        self.assertContains(r, "Create Your Account")
        self.assertContains(r, 'data-signup-url="/accounts/signup/"')
        # The "Log In" link of other anonymous pages makes no sense here.
        self.assertNotContains(r, 'class="nav-link" href="/accounts/login/"')

    @override_settings(REGISTRATION_OPEN=False)
    def test_it_hides_signup_when_registration_is_closed(self) -> None:
        r = self.client.get(URL)
        self.assertNotContains(r, 'id="signup-button"')
        self.assertNotContains(r, "Create Your Account")

    @override_settings(**NO_SMTP)
    def test_it_shows_only_the_password_column_without_smtp(self) -> None:
        r = self.client.get(URL)
        self.assertNotContains(r, 'name="identity"')
        self.assertNotContains(r, "Email Me a Link</button>")
        self.assertContains(r, "ask the administrator of this site to set")
        self.assertNotContains(r, "login-divider")
        self.assertNotContains(r, 'id="signup-button"')
        self.assertContains(r, "justify-content-center")
        self.assertContains(r, 'name="password"')

    @override_settings(SUPPORT_EMAIL="help@example.org")
    def test_lost_password_modal_names_the_support_address(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, 'href="mailto:help@example.org"')

    def test_it_says_the_account_was_closed(self) -> None:
        r = self.client.get(URL + "?account-closed=1")
        self.assertContains(r, "Account closed.")
        r = self.client.get(URL)
        self.assertNotContains(r, "Account closed.")

    def test_it_shows_the_bad_link_warning_once(self) -> None:
        session = self.client.session
        session["bad_link"] = True
        session.save()
        r = self.client.get(URL)
        self.assertContains(r, "That login link is not valid")
        r = self.client.get(URL)
        self.assertNotContains(r, "That login link is not valid")

    def test_it_redirects_a_logged_in_owner_of_one_project_to_its_checks(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.get(URL)
        self.assertRedirects(
            r, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )

    def test_it_redirects_a_logged_in_user_to_a_whitelisted_next(self) -> None:
        self.client.force_login(self.bob)
        target = f"/projects/{self.project.code}/settings/"
        r = self.client.get(URL + "?next=" + target)
        self.assertRedirects(r, target, fetch_redirect_response=False)

    def test_it_serves_the_admin_login_too(self) -> None:
        r = self.client.get("/admin/login/?next=/admin/")
        self.assertContains(r, "Log In to Mychecks")

    def test_it_rejects_other_methods(self) -> None:
        r = self.client.put(URL)
        self.assertEqual(r.status_code, 405)


class PasswordLoginTestCase(AuthTestCase):
    def assert_logged_in_as(self, user: User | None) -> None:
        session_user = self.client.session.get("_auth_user_id")
        self.assertEqual(session_user, str(user.id) if user else None)

    def test_it_logs_in_and_goes_to_the_only_owned_project(self) -> None:
        r = self.client.post(
            URL, {"action": "login", "email": "alice@example.org", "password": "password"}
        )
        self.assertRedirects(
            r, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )
        self.assert_logged_in_as(self.alice)

    def test_it_lower_cases_the_email(self) -> None:
        r = self.client.post(
            URL, {"action": "login", "email": "Alice@Example.ORG", "password": "password"}
        )
        self.assertEqual(r.status_code, 302)
        self.assert_logged_in_as(self.alice)

    def test_it_goes_to_the_projects_overview_without_exactly_one_owned_project(self) -> None:
        r = self.client.post(
            URL, {"action": "login", "email": "bob@example.org", "password": "password"}
        )
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assert_logged_in_as(self.bob)

    def test_it_follows_a_whitelisted_next(self) -> None:
        target = f"/projects/{self.project.code}/settings/"
        r = self.client.post(
            URL + "?next=" + target,
            {"action": "login", "email": "bob@example.org", "password": "password"},
        )
        self.assertRedirects(r, target, fetch_redirect_response=False)

    def test_it_ignores_an_offsite_next(self) -> None:
        for target in ("https://evil.example.com/", "//evil.example.com/", "/admin/"):
            with self.subTest(target=target):
                self.client.logout()
                r = self.client.post(
                    URL + "?next=" + target,
                    {"action": "login", "email": "bob@example.org", "password": "password"},
                )
                self.assertRedirects(r, "/", fetch_redirect_response=False)

    def test_it_rejects_a_wrong_password_with_a_generic_error(self) -> None:
        r = self.client.post(
            URL, {"action": "login", "email": "alice@example.org", "password": "nope"}
        )
        self.assertContains(r, "Incorrect email or password.")
        self.assert_logged_in_as(None)

    def test_it_gives_the_same_error_for_an_unknown_email(self) -> None:
        r = self.client.post(
            URL, {"action": "login", "email": "nobody@example.org", "password": "password"}
        )
        self.assertContains(r, "Incorrect email or password.")
        self.assert_logged_in_as(None)

    def test_it_gives_the_same_error_for_malformed_input(self) -> None:
        r = self.client.post(URL, {"action": "login", "email": "not an email", "password": ""})
        self.assertContains(r, "Incorrect email or password.")
        self.assert_logged_in_as(None)

    def test_it_rejects_an_inactive_user(self) -> None:
        User.objects.filter(id=self.alice.id).update(is_active=False)
        r = self.client.post(
            URL, {"action": "login", "email": "alice@example.org", "password": "password"}
        )
        self.assertContains(r, "Incorrect email or password.")
        self.assert_logged_in_as(None)

    def test_it_rate_limits_attempts_per_email_before_checking(self) -> None:
        for _ in range(20):
            self.client.post(
                URL, {"action": "login", "email": "alice@example.org", "password": "x"}
            )
        r = self.client.post(
            URL, {"action": "login", "email": "ALICE@example.org", "password": "password"}
        )
        self.assertContains(r, "Too many attempts, please try again later.")
        self.assert_logged_in_as(None)
        # Another address has its own budget.
        r = self.client.post(
            URL, {"action": "login", "email": "bob@example.org", "password": "password"}
        )
        self.assertEqual(r.status_code, 302)

    def test_it_asks_for_the_second_factor(self) -> None:
        Profile.objects.filter(user=self.alice).update(totp="JBSWY3DPEHPK3PXP")
        r = self.client.post(
            URL, {"action": "login", "email": "alice@example.org", "password": "password"}
        )
        self.assertRedirects(r, "/accounts/login/two_factor/totp/", fetch_redirect_response=False)
        self.assert_logged_in_as(None)
        self.assertEqual(self.client.session[PENDING_KEY][0], self.alice.id)

    def test_it_rotates_the_session_key(self) -> None:
        self.client.get(URL)
        session = self.client.session
        session["something"] = "x"
        session.save()
        before = session.session_key
        self.client.post(
            URL, {"action": "login", "email": "alice@example.org", "password": "password"}
        )
        self.assertNotEqual(self.client.session.session_key, before)

    def test_it_requires_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        r = client.post(
            URL, {"action": "login", "email": "alice@example.org", "password": "password"}
        )
        self.assertEqual(r.status_code, 403)
        self.assertNotIn("_auth_user_id", client.session)

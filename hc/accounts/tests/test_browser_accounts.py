"""The accounts issue's main flows, walked in headless Chromium.

Mail is read from the SMTP sink the browser test case starts; WebAuthn uses
Chromium's virtual authenticator.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

import pyotp
from django.conf import settings
from django.contrib.auth.models import User
from selenium.webdriver.common.virtual_authenticator import (
    Protocol,
    Transport,
    VirtualAuthenticatorOptions,
)

from hc.accounts.models import Credential, Member, Profile, Project, Role
from hc.accounts.services import do_create_user
from hc.test_browser import BrowserTestCase

CHECKS_PAGE = r"/projects/[0-9a-f-]{36}/checks/"


class AccountBrowserTestCase(BrowserTestCase):
    def sign_up(self, email: str) -> None:
        self.open("/accounts/login/")
        self.click("Sign Up")
        self.type(".modal.show input[name=identity]", email)
        self.click("Email Me a Link", within=".modal.show")
        # The link only logs in directly once the answer's auto-login cookie is set.
        self.find("#signup-ok")
        self.follow_login_link()

    def follow_login_link(self) -> None:
        self.open(self.link_in(self.next_mail(), "/accounts/check_token/"))

    def enter_sudo_code(self) -> None:
        mail = self.next_mail()
        match = re.search(r"\d{6}", mail.message["Subject"])
        assert match, mail.message["Subject"]
        self.type("input[name=sudo_code]", match.group(0))
        self.click("Continue")

    def log_out(self) -> None:
        self.click("Account")
        self.click("Log Out")
        self.wait_for_path(r"/accounts/login/")

    def log_in_with_password(self, email: str, password: str) -> None:
        self.open("/accounts/login/")
        self.type("input[name=email]", email)
        self.type("input[name=password]", password)
        self.click("Log In", within="form.password-login")


class SignupAndPasswordTestCase(AccountBrowserTestCase):
    def test_sign_up_set_password_log_out_and_in(self) -> None:
        self.sign_up("Dana@Example.org")
        self.wait_for_path(CHECKS_PAGE)
        self.wait_for_text("My First Check")
        user = User.objects.get(email="dana@example.org")
        self.screenshot("checks-starter")

        self.open("/accounts/profile/")
        self.click("Set Password")
        self.enter_sudo_code()
        self.type("input[name=password]", "correct horse battery staple")
        self.click("Set Password")
        self.wait_for_path(r"/accounts/profile/")
        user.refresh_from_db()
        self.assertTrue(user.check_password("correct horse battery staple"))

        self.log_out()
        self.log_in_with_password("dana@example.org", "wrong password")
        self.wait_for_text("Incorrect email or password")
        self.log_in_with_password("dana@example.org", "correct horse battery staple")
        self.wait_for_path(CHECKS_PAGE)
        self.assertEqual(self.console_errors(), [])

    def test_totp_set_up_and_login(self) -> None:
        user = do_create_user("erin@example.org", "a strong password 1")
        Project.objects.create(owner=user, badge_key="erin")
        self.log_in_with_password("erin@example.org", "a strong password 1")
        self.wait_for_path(CHECKS_PAGE)

        self.open("/accounts/profile/")
        self.click("Set Up Authenticator App")
        self.enter_sudo_code()
        secret = self.find("#totp-secret").text.replace(" ", "")
        self.type("input[name=code]", pyotp.TOTP(secret).now())
        self.click("Continue")
        self.wait_for_path(r"/accounts/profile/")
        self.assertEqual(Profile.objects.get(user=user).totp, secret)

        self.log_out()
        self.log_in_with_password("erin@example.org", "a strong password 1")
        self.wait_for_path(r"/accounts/login/two_factor/totp/")
        # The setup code may not be used again within 90 s: use the next step's.
        self.type("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
        self.wait_for_path(CHECKS_PAGE)


class ProjectsAndTeamsTestCase(AccountBrowserTestCase):
    def api_status(self, key: str) -> int:
        """The live server's answer to a Management API call with this key."""
        request = urllib.request.Request(  # noqa: S310 (the live server, over http)
            self.live_server_url + "/api/v3/checks/", headers={"X-Api-Key": key}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as e:
            return e.code

    def test_create_project_invite_member_and_manage_api_keys(self) -> None:
        owner = do_create_user("frank@example.org", "frank's password")
        self.log_in_with_password("frank@example.org", "frank's password")
        self.wait_for_path(r"/")
        self.click("New Project…")
        self.type(".modal.show input[name=name]", "Backups")
        self.click("Create Project", within=".modal.show")
        self.wait_for_path(CHECKS_PAGE)
        project = Project.objects.get(owner=owner, name="Backups")

        self.open(f"/projects/{project.code}/settings/")
        self.click("Invite a Team Member")
        self.type(".modal.show input[name=email]", "gina@example.org")
        self.click("Send Invite", within=".modal.show")
        self.wait_for_text("gina@example.org invited to team")
        invitation = self.next_mail()
        self.assertIn("Backups", invitation.message["Subject"])

        self.click("Create", within="#api_key-row")
        self.wait_for_text("API Key Created!")
        key = self.find(".modal.show #new-key").get_attribute("value") or ""
        self.assertTrue(key.startswith("hcw_"))
        self.click("OK, I copied the key", within=".modal.show")
        self.assertEqual(self.api_status(key), 200)

        self.click("Revoke", within="#api_key-row")
        self.click("Revoke API key", within=".modal.show")
        self.wait_for_text("Key revoked")
        self.assertEqual(self.api_status(key), 401)

        # The invitee follows the emailed link in a fresh session.
        self.log_out()
        self.open(self.link_in(invitation, "/accounts/check_token/"))
        self.click(f"Continue to {settings.SITE_NAME}")
        self.wait_for_path(f"/projects/{project.code}/checks/")
        gina = User.objects.get(email="gina@example.org")
        self.assertEqual(Member.objects.get(user=gina, project=project).role, Role.REGULAR)


class WebAuthnTestCase(AccountBrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        options = VirtualAuthenticatorOptions(
            protocol=Protocol.CTAP2,
            transport=Transport.INTERNAL,
            has_resident_key=True,
            has_user_verification=True,
            is_user_verified=True,
        )
        self.driver.add_virtual_authenticator(options)
        self.addCleanup(self.driver.remove_virtual_authenticator)

    def test_security_key_as_second_factor_and_passkey_login(self) -> None:
        user = do_create_user("hana@example.org", "hana's password")
        Project.objects.create(owner=user, badge_key="hana")
        self.log_in_with_password("hana@example.org", "hana's password")
        self.wait_for_path(CHECKS_PAGE)

        self.open("/accounts/profile/")
        self.click("Add Security Key")
        self.enter_sudo_code()
        self.type("input[name=name]", "Virtual key")
        self.click("Confirm Name and Continue")
        self.wait_for_text("Credential acquired")
        self.click("Save Security Key")
        self.wait_for_path(r"/accounts/profile/")
        self.wait_for_text("Virtual key")
        self.assertEqual(Credential.objects.filter(user=user).count(), 1)

        # Second factor after the password.
        self.log_out()
        self.log_in_with_password("hana@example.org", "hana's password")
        self.wait_for_path(CHECKS_PAGE)

        # A passkey alone, no password.
        self.log_out()
        self.click("Log In with a Passkey")
        self.wait_for_path(CHECKS_PAGE)
        self.assertEqual(self.console_errors(), [])

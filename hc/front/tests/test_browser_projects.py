"""The projects overview and project settings scripts, in headless Chromium."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User

from hc.accounts.models import Member, Project
from hc.api.models import Check, CheckStatus
from hc.test import PING_KEY, BaseTestCase
from hc.test_browser import BrowserTestCase


class ProjectsBrowserTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice = BaseTestCase.make_user("alice")
        self.bob = BaseTestCase.make_user("bob")
        self.charlie = BaseTestCase.make_user("charlie")
        self.project = Project.objects.create(
            owner=self.alice, name="Alice's Project", badge_key="alice", ping_key=PING_KEY
        )
        Member.objects.create(project=self.project, user=self.bob)

    def log_in(self, user: User) -> None:
        """Reuse a test-client session instead of walking the login form."""
        self.client.force_login(user)
        self.open("/accounts/login/")
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME]
        self.driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookie.value})

    def test_overview_follows_status_changes_and_creates_projects(self) -> None:
        check = Check.objects.create(project=self.project, status=CheckStatus.UP)
        self.log_in(self.alice)
        self.open("/")
        icon = self.find(f'.project-card[data-code="{self.project.code}"] .status-icon')
        self.assertIn("up", icon.get_attribute("class") or "")

        check.status = CheckStatus.DOWN
        check.save()
        self.wait_until(lambda: "down" in (icon.get_attribute("class") or ""), "icon not updated")
        favicon = self.driver.find_element("id", "favicon")
        self.wait_until(
            lambda: "favicon-down" in (favicon.get_attribute("href") or ""), "favicon not updated"
        )
        self.screenshot("projects-overview")

        self.click("New Project…")
        self.type("#add-project-name", "Browser Made")
        self.click("Create Project", within=".modal.show")
        self.wait_for_text("has no checks yet")
        self.assertTrue(Project.objects.filter(name="Browser Made", owner=self.alice).exists())
        self.assertEqual(self.console_errors(), [])

    def test_settings_page_dialogs(self) -> None:
        other = Project.objects.create(owner=self.alice, name="Other", badge_key="other")
        Member.objects.create(project=other, user=self.charlie)
        self.log_in(self.alice)
        self.open(f"/projects/{self.project.code}/settings/")

        # The ping key reveals itself on a click.
        self.click(PING_KEY[:4] + "*" * 18)
        self.wait_for_text(PING_KEY)

        # A new key opens its dialog at once.
        self.click("Create", within="#api_key-row")
        self.wait_for_text("API Key Created!")
        key = self.find("#new-key").get_attribute("value") or ""
        self.screenshot("project-settings-key-created")
        self.assertTrue(key.startswith("hcw_"))
        self.click("OK, I copied the key")

        # "Add to Team" fills in the invite dialog.
        self.click("Add to Team")
        email = self.find("#invite-email")
        self.wait_until(lambda: email.get_attribute("value") == "charlie@example.org", "no email")
        self.click("Send Invite", within=".modal.show")
        self.wait_for_text("charlie@example.org invited to team")
        self.assertTrue(Member.objects.filter(project=self.project, user=self.charlie).exists())
        self.assertIn("You have been invited", self.next_mail().message["Subject"])

        # Choosing a new owner enables the transfer button.
        button = self.button("Transfer Project…")
        # Bootstrap scrolls smoothly, and a click would land mid-scroll.
        script = "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})"
        self.driver.execute_script(script, button)
        button.click()
        confirm = self.find("#transfer-confirm")
        self.assertFalse(confirm.is_enabled())
        self.find("#transfer-email").send_keys("bob@example.org")
        self.wait_until(confirm.is_enabled, "button still disabled")
        confirm.click()
        self.wait_for_text("awaiting confirmation from bob@example.org")
        self.screenshot("project-settings")
        self.assertIn("Ownership Transfer Request", self.next_mail().message["Subject"])
        self.assertEqual(self.console_errors(), [])

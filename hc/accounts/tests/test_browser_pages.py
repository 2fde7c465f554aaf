"""Every page of the accounts issue renders cleanly in Chromium.

Light and dark themes, desktop and phone widths: no JavaScript errors and
no sideways scrolling. With HC_SCREENSHOTS=<dir> it also saves a screenshot
of each, which is how the pages are reviewed by eye.
"""

from __future__ import annotations

from hc.accounts.models import Member, Profile, Project, Role, Theme
from hc.accounts.services import do_create_user
from hc.accounts.starter import do_create_starter_set
from hc.api.models import Check, CheckStatus
from hc.test_browser import DESKTOP, PHONE, BrowserTestCase


class PagesTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = do_create_user("olivia@example.org", "olivia's password")
        self.user.is_superuser = self.user.is_staff = True
        self.user.save()
        self.project = do_create_starter_set(self.user)
        self.project.name = "Backups"
        self.project.save()
        Check.objects.create(
            project=self.project, name="nightly dump", status=CheckStatus.DOWN, tags="db prod"
        )
        other_owner = do_create_user("paul@example.org")
        shared = Project.objects.create(owner=other_owner, name="Web servers", badge_key="web")
        Member.objects.create(user=self.user, project=shared, role=Role.READONLY)
        Member.objects.create(user=other_owner, project=self.project, role=Role.MANAGER)

    def pages(self) -> dict[str, str]:
        code = self.project.code
        return {
            "projects": "/",
            "checks": f"/projects/{code}/checks/",
            "project-settings": f"/projects/{code}/settings/",
            "profile": "/accounts/profile/",
            "appearance": "/accounts/profile/appearance/",
            "notifications": "/accounts/profile/notifications/",
            "admin": "/admin/",
        }

    def visit(self, name: str, path: str, suffix: str) -> None:
        self.open(path)
        self.find("body")
        self.assertEqual(self.console_errors(), [], f"{name} {suffix}")
        self.assertFalse(self.overflows(), f"{name} {suffix} is wider than the window")
        self.screenshot(f"{name}-{suffix}")

    def test_anonymous_pages(self) -> None:
        for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            self.driver.set_window_size(*size)
            self.visit("login", "/accounts/login/", width_name)
            self.visit("login-link-sent", "/accounts/login_link_sent/", width_name)

    def test_logged_in_pages_in_both_themes_and_widths(self) -> None:
        self.log_in_as(self.user)
        for theme in (Theme.LIGHT, Theme.DARK):
            Profile.objects.filter(user=self.user).update(theme=theme)
            for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                self.driver.set_window_size(*size)
                for name, path in self.pages().items():
                    with self.subTest(f"{name} {theme.label} {width_name}"):
                        self.visit(name, path, f"{theme.label.lower()}-{width_name}")
                        dark = self.driver.execute_script(
                            "return document.documentElement.getAttribute('data-bs-theme')"
                        )
                        if name != "admin":
                            self.assertEqual(dark == "dark", theme == Theme.DARK, name)

"""Docs, cron cheatsheet and TV dashboard in headless Chromium (web spec §11.2-11.5).

With HC_SCREENSHOTS=<dir> the tests also save light and dark, desktop and
phone screenshots of the three pages.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from selenium.webdriver.common.by import By

from hc.accounts.models import Profile, Project, Theme
from hc.accounts.services import do_create_user, do_issue_api_key
from hc.api.models import Check, CheckStatus
from hc.test_browser import DESKTOP, PHONE, BrowserTestCase


class DocsBrowserTestCase(BrowserTestCase):
    def assert_clean(self, where: str) -> None:
        # log_in_as() visits robots.txt, whose favicon.ico 404 can be logged
        # after it drained the console: not an error of these pages.
        errors = [e for e in self.console_errors() if "/favicon.ico" not in e]
        self.assertEqual(errors, [], where)
        self.assertFalse(self.overflows(), f"{where} is wider than the window")

    def test_search_shows_results_then_restores_the_nav(self) -> None:
        self.open("/docs/")
        nav = self.find("#docs-nav")
        self.type("#docs-search", "run time")
        self.find("#docs-search-results .docs-results")
        self.assertFalse(nav.is_displayed())
        self.button("Measuring script run time", within="#docs-search-results")
        html = self.find("#docs-search-results").get_attribute("innerHTML") or ""
        self.assertIn('class="search-hit"', html)
        self.screenshot("docs-search")

        # Fewer than three characters: the nav comes back, the results go.
        self.type("#docs-search", "ru")
        self.find("#docs-nav")
        results = self.driver.find_element(By.ID, "docs-search-results")
        self.assertFalse(results.is_displayed())

        self.type("#docs-search", "xyzzy plugh")
        self.wait_for_text("Nothing in the documentation matches your search.")

        # A result is a link to its page.
        self.type("#docs-search", "ambiguous slug")
        self.click("Slug URLs", within="#docs-search-results")
        self.wait_for_path("/docs/slug_urls/")
        self.assert_clean("docs search")

    def test_code_blocks_get_copy_buttons(self) -> None:
        self.open("/docs/bash/")
        button = self.find(".code-block .copy-code")
        self.assertEqual(button.get_attribute("aria-label"), "Copy code")
        copied = button.get_attribute("data-copy") or ""
        self.assertIn("curl -fsS -m 10 --retry 5", copied)
        self.assertIn("/ping/your-uuid-here", copied)
        self.assert_clean("docs code blocks")

    def test_cron_tester_describes_an_expression(self) -> None:
        self.open("/docs/cron/")
        self.type("#cron-expression", "0 2 * * *")
        self.wait_for_text("At 02:00 every day")
        preview = self.find("#cron-preview table")
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", preview
        )
        self.screenshot("cron-tester")

        # An example from the table loads into the tester.
        example = self.find("button.cron-try[data-expr='0 9 * * 1-5']")
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", example
        )
        example.click()
        self.wait_for_text("At 09:00 on Monday through Friday")
        self.assertEqual(self.find("#cron-expression").get_attribute("value"), "0 9 * * 1-5")

        self.type("#cron-expression", "0 2 * *")
        self.wait_for_text("This cron expression is not valid.")
        self.assert_clean("cron tester")

    def test_pages_in_both_themes_and_widths(self) -> None:
        user = do_create_user("dana@example.org")
        for theme in (Theme.LIGHT, Theme.DARK):
            Profile.objects.filter(user=user).update(theme=theme)
            if theme == Theme.DARK:
                self.log_in_as(user)
            for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                self.driver.set_window_size(*size)
                suffix = f"{theme.label.lower()}-{width_name}"
                for name, path in (
                    ("docs", "/docs/"),
                    ("docs-api", "/docs/api/"),
                    ("cron", "/docs/cron/"),
                ):
                    with self.subTest(f"{name} {suffix}"):
                        self.open(path)
                        self.find("#docs-search")
                        if name == "cron":
                            self.wait_for_text("Expected Ping Dates")
                        self.assert_clean(f"{name} {suffix}")
                        self.screenshot(f"{name}-{suffix}")


class TvBrowserTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        owner = do_create_user("tom@example.org")
        self.project = Project.objects.create(owner=owner, name="Servers", badge_key="servers")
        self.key = do_issue_api_key(self.project, readonly=True)
        now = timezone.now()
        Check.objects.create(
            project=self.project, name="web backup", status=CheckStatus.UP, last_ping=now
        )
        Check.objects.create(
            project=self.project,
            name="db dump",
            status=CheckStatus.DOWN,
            last_ping=now - timedelta(days=3),
        )
        Check.objects.create(
            project=self.project,
            name="a very long check name that cannot fit on one tile at all",
            status=CheckStatus.UP,
            last_ping=now - timedelta(minutes=2),
            last_start=now,
            last_duration=timedelta(seconds=95),
        )
        Check.objects.create(project=self.project, name="new one")

    def test_it_shows_tiles_for_a_project_by_read_only_key(self) -> None:
        self.open(f"/tv/#{self.key}=Production%20servers")
        self.wait_for_text("Production servers")
        self.find(".tile.down")
        names = [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, ".tile .name")]
        self.assertEqual(
            names[:2], ["a very long check name that cannot fit on one tile at all", "db dump"]
        )
        self.assertEqual(len(names), 4)
        self.assertIn("3 days", self.find(".tile.down").text)
        self.find(".tile .spinner")
        self.find(".tile .duration")
        self.wait_for_text("4 checks, 1 down")
        self.assertEqual(self.console_errors(), [])

        # A check going down shows within a refresh.
        Check.objects.filter(name="web backup").update(status=CheckStatus.DOWN)
        self.wait_for_text("4 checks, 2 down")

    def test_a_wrong_key_and_no_key(self) -> None:
        self.open("/tv/#hcr_" + "x" * 28 + "=Nope")
        self.wait_for_text("That API key is not valid.")
        # The browser logs the refused API request; nothing else.
        errors = self.console_errors()
        self.assertTrue(errors)
        self.assertTrue(all("401" in e for e in errors), errors)
        self.open("/tv/")
        self.driver.refresh()
        self.wait_for_text("read-only")

    def test_screenshots_light_and_dark(self) -> None:
        for theme in ("light", "dark"):
            for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                self.driver.set_window_size(*size)
                self.open(f"/tv/#{self.key}=Production&theme={theme}")
                self.driver.refresh()
                self.find(".tile.down")
                dark = self.driver.execute_script(
                    "return document.documentElement.classList.contains('dark')"
                )
                self.assertEqual(dark, theme == "dark")
                self.assertFalse(self.overflows(), f"tv {theme} {width_name}")
                self.screenshot(f"tv-{theme}-{width_name}")
        self.assertEqual(self.console_errors(), [])

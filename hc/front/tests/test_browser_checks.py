"""The "My Checks" page in headless Chromium (web spec §6).

One walk through the page's scripts: adding a check with a tag, the tag,
search and status filters (and the address bar they rewrite), an
integration toggle, pausing with the confirming second click, a row
updating itself after a ping and its Last Ping cell opening the ping's
details. Then screenshots in both themes and widths.
"""

from __future__ import annotations

import urllib.request
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from hc.accounts.models import Profile, Project, Theme
from hc.api.models import Channel, Check, CheckStatus
from hc.test import PING_KEY, BaseTestCase
from hc.test_browser import DESKTOP, PHONE, BrowserTestCase


class ChecksBrowserTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice = BaseTestCase.make_user("alice")
        self.project = Project.objects.create(
            owner=self.alice, name="Alice's Project", badge_key="alice", ping_key=PING_KEY
        )
        self.channel = Channel.objects.create(project=self.project, kind="webhook", name="Chat")
        now = timezone.now()
        self.backup = Check.objects.create(
            project=self.project,
            name="db-backup",
            slug="db-backup",
            tags="db",
            status=CheckStatus.UP,
            last_ping=now - timedelta(minutes=5),
            last_duration=timedelta(seconds=42),
        )
        self.backup.channel_set.add(self.channel)
        self.web = Check.objects.create(
            project=self.project, name="web-heartbeat", tags="web", status=CheckStatus.DOWN
        )
        self.url = f"/projects/{self.project.code}/checks/"

    def row(self, check: Check) -> WebElement:
        return self.driver.find_element(By.ID, str(check.code))

    def visible_names(self) -> list[str]:
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#checks-table tbody tr")
        return [r.find_element(By.CSS_SELECTOR, ".name").text for r in rows if r.is_displayed()]

    def errors(self) -> list[str]:
        # log_in_as() opens /robots.txt, whose missing /favicon.ico Chromium may
        # report late, after the page under test opened: not this page's error.
        return [e for e in self.console_errors() if "/favicon.ico" not in e]

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.driver.current_url).query)

    def test_the_page_works_end_to_end(self) -> None:
        self.log_in_as(self.alice)
        self.open(self.url)
        self.assertEqual(self.visible_names(), ["web-heartbeat", "db-backup"])

        # Add a check with a tag through the dialog.
        self.click("Add Check")
        self.type("#add-check-name", "Nightly Report")
        self.wait_for_text("Suggested value: nightly-report")
        self.click("Use Suggested", within="#add-check-modal")
        self.type("#add-check-tags-ts-control", "reports" + Keys.ENTER)
        self.click("Save", within="#add-check-modal")
        self.wait_for_text("Nightly Report")
        report = Check.objects.get(name="Nightly Report")
        self.assertEqual((report.slug, report.tags), ("nightly-report", "reports"))
        self.assertEqual(list(report.channel_set.all()), [self.channel])

        # Filter by the new tag: the address bar follows.
        self.click("reports", within="#tag-pills")
        self.wait_until(lambda: self.visible_names() == ["Nightly Report"], "tag filter")
        self.assertEqual(self.query(), {"tag": ["reports"]})
        self.click("reports", within="#tag-pills")
        self.wait_until(lambda: len(self.visible_names()) == 3, "tag filter off")

        # Search.
        self.type("#search", "BACK")
        self.wait_until(lambda: self.visible_names() == ["db-backup"], "search")
        self.assertEqual(self.query(), {"search": ["back"]})
        self.find("#search").send_keys(Keys.CONTROL + "a", Keys.BACKSPACE)
        self.wait_until(lambda: len(self.visible_names()) == 3, "search cleared")

        # Status filter: a chip appears and removes itself when clicked.
        self.find("#status-menu-toggle").click()
        self.click("Down", within="#status-menu")
        self.wait_until(lambda: self.visible_names() == ["web-heartbeat"], "status filter")
        self.assertEqual(self.query(), {"status": ["down"]})
        self.find('[data-status-chip="down"]').click()
        self.wait_until(lambda: len(self.visible_names()) == 3, "status filter off")
        self.assertEqual(self.query(), {})

        # Integration icons toggle at once and are saved.
        toggle = self.row(report).find_element(By.CSS_SELECTOR, "button.ch")
        self.assertEqual(toggle.get_attribute("aria-pressed"), "true")
        toggle.click()
        self.wait_until(lambda: toggle.get_attribute("aria-pressed") == "false", "toggle off")
        self.wait_until(lambda: not report.channel_set.exists(), "integration not removed")

        # Pausing takes a second click.
        pause = self.row(self.backup).find_element(By.CSS_SELECTOR, ".pause-btn")
        pause.click()
        self.wait_for_text("Click again to pause monitoring.")
        self.backup.refresh_from_db()
        self.assertEqual(self.backup.status, CheckStatus.UP)
        pause.click()
        icon = self.row(self.backup).find_element(By.CSS_SELECTOR, ".status-icon")
        self.wait_until(lambda: "paused" in (icon.get_attribute("class") or ""), "icon paused")
        self.wait_until(
            lambda: Check.objects.get(id=self.backup.id).status == CheckStatus.PAUSED,
            "check not paused",
        )

        # A ping turns the down row up without a reload; the title follows.
        self.assertTrue(self.driver.title.startswith("1 down"))
        marker = self.driver.execute_script("return window.hcMarker = 'same page'")
        ping_url = f"{self.live_server_url}/ping/{self.web.code}"
        with urllib.request.urlopen(ping_url, timeout=10) as response:  # noqa: S310 - loopback
            self.assertEqual(response.status, 200)
        icon = self.row(self.web).find_element(By.CSS_SELECTOR, ".status-icon")
        self.wait_until(lambda: "up" in (icon.get_attribute("class") or "").split(), "row not up")
        cell = self.row(self.web).find_element(By.CSS_SELECTOR, ".col-last-ping")
        self.wait_until(lambda: cell.text == "just now", "last ping not updated")
        self.wait_until(lambda: not self.driver.title.startswith("1 down"), "title not updated")
        self.assertEqual(self.driver.execute_script("return window.hcMarker"), marker)

        # The Last Ping cell opens that ping's details.
        cell.find_element(By.CSS_SELECTOR, ".last-ping").click()
        self.find("#ping-details-modal")
        self.button("Show Earlier Events", within="#ping-details-modal")
        self.assertEqual(self.errors(), [])

    def test_a_pause_the_server_refused_is_undone(self) -> None:
        self.log_in_as(self.alice)
        self.open(self.url)
        # The check goes away behind the page's back: the pause answers 404.
        Check.objects.filter(id=self.backup.id).delete()
        pause = self.row(self.backup).find_element(By.CSS_SELECTOR, ".pause-btn")
        pause.click()
        self.wait_for_text("Click again to pause monitoring.")
        pause.click()
        self.wait_for_text("Could not pause this check. Please try again.")
        icon = self.row(self.backup).find_element(By.CSS_SELECTOR, ".status-icon")
        self.assertEqual(icon.get_attribute("data-status"), "up")

    def test_screenshots_in_both_themes_and_widths(self) -> None:
        Check.objects.create(
            project=self.project,
            name="report_generation_for_the_finance_department",
            tags="finance prod",
            status=CheckStatus.UP,
            last_ping=timezone.now() - timedelta(hours=3),
            last_start=timezone.now(),
            kind="cron",
            schedule="0 2 * * 1-5",
            tz="Europe/Riga",
        )
        Check.objects.create(project=self.project, status=CheckStatus.PAUSED, tags="db")
        Check.objects.create(
            project=self.project,
            name="hourly-sync",
            slug="hourly-sync",
            tags="sync",
            status=CheckStatus.UP,
            timeout=timedelta(hours=1),
            grace=timedelta(minutes=30),
            last_ping=timezone.now() - timedelta(hours=1, minutes=5),
            has_confirmation_link=True,
        )
        self.log_in_as(self.alice)
        for theme in (Theme.LIGHT, Theme.DARK):
            Profile.objects.filter(user=self.alice).update(theme=theme)
            for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                self.driver.set_window_size(*size)
                with self.subTest(f"{theme.label} {width_name}"):
                    self.open(self.url)
                    self.find("#checks-table")
                    self.assertFalse(self.overflows(), f"{theme.label} {width_name} overflows")
                    self.screenshot(f"checks-{theme.label.lower()}-{width_name}")
                    if width_name == "desktop":
                        self.click("Add Check")
                        self.find("#add-check-name")
                        self.find("label[for=add-check-cron]").click()
                        self.find("#add-check-cron-expr")
                        self.screenshot(f"checks-add-{theme.label.lower()}")
                    self.assertEqual(self.errors(), [])

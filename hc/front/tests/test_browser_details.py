"""The check details and event log pages in headless Chromium (web spec §7, §8)."""

from __future__ import annotations

import urllib.request
from email.message import EmailMessage

from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from hc.accounts.models import Profile, Project, Theme
from hc.api.models import Channel, Check
from hc.api.services.email_pings import do_record_email_ping
from hc.test import PING_KEY, BaseTestCase
from hc.test_browser import DESKTOP, PHONE, BrowserTestCase

# Keeps every label an element shows, in window.labels.
LABEL_RECORDER = """
    var element = arguments[0];
    window.labels = [];
    new MutationObserver(function () { window.labels.push(element.textContent); })
        .observe(element, {childList: true, characterData: true, subtree: true});
"""


def _email() -> bytes:
    message = EmailMessage()
    message["From"] = "cron@example.org"
    message["To"] = "check@example.org"
    message["Subject"] = "Backup report"
    message.set_content("Backup finished: 42 files.")
    message.add_alternative(
        "<p id='report'>Backup <b>finished</b></p>"
        "<script>document.title = 'pwned'</script>"
        "<img src=x onerror=\"document.title='pwned'\">",
        subtype="html",
    )
    return message.as_bytes()


class DetailsBrowserTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice = BaseTestCase.make_user("alice")
        Profile.objects.filter(user=self.alice).update(tz="Europe/Riga")
        self.project = Project.objects.create(
            owner=self.alice, name="Alice's Project", badge_key="alice", ping_key=PING_KEY
        )
        self.check_ = Check.objects.create(
            project=self.project, name="nightly backup", slug="nightly-backup", tags="db prod"
        )
        channel = Channel.objects.create(
            project=self.project, kind="email", config={"value": "ops@example.org"}
        )
        channel.checks.add(self.check_)
        endpoint = override_settings(PING_ENDPOINT=self.live_server_url + "/ping/")
        endpoint.enable()
        self.addCleanup(endpoint.disable)

    def log_in(self, user: User) -> None:
        # Not log_in_as(): the favicon.ico miss of robots.txt can arrive in
        # the console log after it was cleared.
        self.client.force_login(user)
        self.open("/accounts/login/")
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME]
        self.driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookie.value})

    def click_in_place(self, element: WebElement) -> None:
        # Bootstrap scrolls smoothly, and a click would land mid-scroll.
        script = "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})"
        self.driver.execute_script(script, element)
        element.click()

    def ping(self, body: bytes) -> None:
        url = f"{self.live_server_url}/ping/{self.check_.code}"
        request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - loopback
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            self.assertEqual(response.status, 200)

    def rows(self, css: str = "#events-body tr.event") -> int:
        return len(self.driver.find_elements(By.CSS_SELECTOR, css))

    def test_details_page_follows_pings_and_shows_their_bodies(self) -> None:
        self.log_in(self.alice)
        self.open(f"/checks/{self.check_.code}/details/")
        self.wait_for_text("has not received any pings yet")
        # The first poll is immediate: a ping shows up without a reload.
        self.ping(b"dumped 1.2 GB to s3://backups")
        self.wait_until(lambda: self.rows() == 2, "no ping and flip rows")
        self.wait_for_text("This check is up.")
        self.wait_for_text("dumped 1.2 GB")
        self.assertEqual(
            self.find("#current-status .status-icon").get_attribute("data-status"), "up"
        )
        # The flip caused by the ping is listed above it.
        first = self.find("#events-body tr.event")
        self.assertIn("flip-row", first.get_attribute("class") or "")

        # The zone switcher reformats dates; Riga is never at UTC's offset.
        utc_time = self.find("#events-body tr.ping-row .event-time").text
        self.click("UTC", within=".tz-switcher")
        self.wait_until(
            lambda: self.find("#events-body tr.ping-row .event-time").text != utc_time,
            "dates not reformatted",
        )

        # A click on the row opens the ping with its body.
        self.find("#events-body tr.ping-row .event-details").click()
        self.wait_for_text("Ping #1")
        body = self.find("#ping-details-modal pre.body-text")
        self.assertEqual(body.text, "dumped 1.2 GB to s3://backups")
        self.screenshot("details-ping-dialog")
        self.click("Got It!")

        # An integration switches off at once, and on the server too.
        toggle = self.find("#channels-block .channel-row")
        self.click_in_place(toggle)
        self.assertEqual(toggle.get_attribute("aria-pressed"), "false")
        self.assertEqual(toggle.find_element(By.CSS_SELECTOR, ".on-off").text, "OFF")
        self.wait_until(lambda: not self.check_.channel_set.exists(), "integration still on")

        # Ping Now! pings from the browser, and the new row appears.
        # The label turns back 300 ms after the pointer leaves: record it.
        button = self.find("#ping-now")
        self.driver.execute_script(LABEL_RECORDER, button)
        self.click_in_place(button)
        self.wait_until(
            lambda: "Success!" in self.driver.execute_script("return window.labels"),
            "the button never said Success!",
        )
        self.wait_until(lambda: self.rows("#events-body tr.ping-row") == 2, "Ping Now! row")
        self.assertEqual(self.console_errors(), [])

    def test_email_html_is_sanitised_and_sandboxed(self) -> None:
        do_record_email_ping(str(self.check_.code), _email(), "cron@example.org", "127.0.0.1")
        self.log_in(self.alice)
        # Alert emails link to #ping-<n>: the dialog opens by itself.
        self.open(f"/checks/{self.check_.code}/details/#ping-1")
        self.wait_for_text("Backup report")
        frame = self.find("#ping-details-modal iframe.email-html")
        self.assertEqual(frame.get_attribute("sandbox"), "")
        self.wait_until(lambda: (frame.get_attribute("src") or "").startswith("blob:"), "no src")
        self.driver.switch_to.frame(frame)
        try:
            self.wait_until(
                lambda: bool(self.driver.find_elements(By.ID, "report")), "HTML part not shown"
            )
            html = self.driver.find_element(By.TAG_NAME, "body").get_attribute("innerHTML") or ""
        finally:
            self.driver.switch_to.default_content()
        self.assertIn("<b>finished</b>", html)
        self.assertNotIn("<script", html)
        self.assertNotIn("onerror", html)
        self.assertNotEqual(self.driver.title, "pwned")
        self.screenshot("details-email-dialog")
        self.click("Text", within="#ping-details-modal")
        self.wait_for_text("Backup finished: 42 files.")
        self.assertEqual(self.console_errors(), [])

    def test_log_page_filters_and_live_rows(self) -> None:
        self.ping(b"first")
        self.ping(b"second")
        self.log_in(self.alice)
        self.open(f"/checks/{self.check_.code}/log/")
        self.wait_for_text("second")
        self.assertEqual(self.rows("#log-table tr.event"), 3)  # two pings, one flip

        # Turning "Success" off leaves the status change only.
        self.find("label[for=filter-success]").click()
        self.wait_until(lambda: self.rows("#log-table tr.event") == 1, "filter not applied")
        self.assertEqual(self.find("#log-count").text, "1")
        self.find("label[for=filter-success]").click()
        self.wait_until(lambda: self.rows("#log-table tr.event") == 3, "filter not undone")

        # New pings are prepended in their own highlighted section.
        self.ping(b"third, live")
        self.wait_until(lambda: self.rows("tbody.new-events tr.event") == 1, "no live row")
        self.wait_for_text("third, live")
        self.assertEqual(self.find("#log-count").text, "4")
        self.screenshot("log-live")
        self.assertEqual(self.console_errors(), [])

    def test_pages_in_both_themes_and_widths(self) -> None:
        self.check_.desc = "Dumps the main database to S3.\nRunbook: https://wiki.example.org/db"
        self.check_.save()
        Channel.objects.create(project=self.project, kind="webhook", name="Deploy hook")
        self.ping(b"backup done")
        self.log_in(self.alice)
        pages = {
            "details": f"/checks/{self.check_.code}/details/",
            "log": f"/checks/{self.check_.code}/log/",
        }
        for theme in (Theme.LIGHT, Theme.DARK):
            Profile.objects.filter(user=self.alice).update(theme=theme)
            for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                self.driver.set_window_size(*size)
                for name, path in pages.items():
                    with self.subTest(f"{name} {theme.label} {width_name}"):
                        self.open(path)
                        self.find("tr.ping-row")
                        self.assertFalse(self.overflows(), f"{name} is wider than the window")
                        self.screenshot(f"{name}-{theme.label.lower()}-{width_name}")
                        if name == "details":
                            # The whole page, for review.
                            self.driver.set_window_size(size[0], 2000)
                            self.screenshot(f"{name}-{theme.label.lower()}-{width_name}-full")
                            self.driver.set_window_size(*size)
                self.open(pages["details"])
                self.click("Usage Examples")
                self.wait_for_text("curl -fsS -m 10 --retry 5")
                self.screenshot(f"usage-examples-{theme.label.lower()}-{width_name}")
        self.assertEqual(self.console_errors(), [])

"""The dashboard's main flow in headless Chromium, end to end (issue #6).

One user walks what a newcomer does on day one: add a check, give it a cron
schedule (seeing the server's preview), ping it with curl and watch the
details page update itself, open the ping's body, assign an integration,
pause the check and see a ping resume it, filter the checks list by tag,
and press "Test!" on the integration (a loopback receiver gets the alert).
The area tests (test_browser_checks, _schedule, _details, _integrations)
cover each page in depth; this one checks that the pages work together.
"""

from __future__ import annotations

import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

from django.test import override_settings
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from hc.accounts.services import do_create_project, do_create_user
from hc.api.models import Channel, Check, CheckKind, CheckStatus
from hc.test_browser import BrowserTestCase
from hc.test_receiver import SharedReceiver

CURL = shutil.which("curl") or "curl"


@override_settings(INTEGRATIONS_ALLOW_PRIVATE_IPS=True, WEBHOOKS_ENABLED=True)
class DashboardFlowTestCase(SharedReceiver, BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = do_create_user("dana@example.org", "dana's password")
        self.project = do_create_project(self.user, "Servers")
        Check.objects.filter(project=self.project).delete()
        Check.objects.create(project=self.project, name="web heartbeat", tags="web")

    def curl(self, check: Check, body: str) -> None:
        """Ping like a cron job would, with the real curl."""
        url = f"{self.live_server_url}/ping/{check.code}"
        args = [CURL, "-fsS", "-m", "10", "--retry", "3", "--data-raw", body, url]
        result = subprocess.run(args, capture_output=True, text=True, timeout=30, check=False)
        self.assertEqual((result.returncode, result.stdout), (0, "OK"), result.stderr)

    def same_page(self) -> str:
        """A marker that survives only while the page is not reloaded."""
        return str(self.driver.execute_script("return window.hcFlowMarker = String(Math.random())"))

    def assert_not_reloaded(self, marker: str) -> None:
        self.assertEqual(self.driver.execute_script("return window.hcFlowMarker"), marker)

    def visible_names(self) -> list[str]:
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#checks-table tbody tr")
        return [r.find_element(By.CSS_SELECTOR, ".name").text for r in rows if r.is_displayed()]

    def test_main_flow(self) -> None:
        checks_url = f"/projects/{self.project.code}/checks/"
        self.log_in_as(self.user)
        self.open(checks_url)

        # 1. Add a check.
        self.click("Add Check")
        self.type("#add-check-name", "Nightly backup")
        self.type("#add-check-tags-ts-control", "prod" + Keys.ENTER)
        self.click("Save", within="#add-check-modal")
        self.wait_for_text("Nightly backup")
        check = Check.objects.get(project=self.project, name="Nightly backup")
        self.assertEqual(check.tags, "prod")

        # 2. Give it a cron schedule; the preview comes from the server.
        row = self.driver.find_element(By.ID, str(check.code))
        row.find_element(By.CSS_SELECTOR, ".period-btn").click()
        self.find("#schedule-modal.show")
        self.click("Cron", within="#schedule-modal")
        self.type("#schedule-cron-expr", "0 2 * * *")
        self.wait_for_text("At 02:00 every day")
        self.wait_for_text("Expected Ping Dates")
        self.click("Save", within="#schedule-modal")
        self.wait_until(
            lambda: Check.objects.get(id=check.id).kind == CheckKind.CRON, "schedule not saved"
        )
        check.refresh_from_db()
        self.assertEqual(check.schedule, "0 2 * * *")

        # An integration added later is not assigned to the check yet.
        webhook = Channel.objects.create(
            project=self.project,
            kind="webhook",
            name="Ops hook",
            config={
                "method_down": "POST",
                "url_down": self.receiver.url("/alert/$STATUS"),
                "body_down": "$NAME is $STATUS",
                "url_up": "",
            },
        )

        # 3. Ping it with curl: the details page updates without a reload.
        self.open(f"/checks/{check.code}/details/")
        self.wait_for_text("has not received any pings yet")
        marker = self.same_page()
        self.curl(check, "backup finished: 42 files")
        self.wait_for_text("This check is up.")
        self.wait_for_text("backup finished: 42 files")
        icon = self.find("#current-status .status-icon")
        self.assertEqual(icon.get_attribute("data-status"), "up")
        self.assert_not_reloaded(marker)

        # 4. Open the ping's body.
        self.find("#events-body tr.ping-row .event-details").click()
        self.wait_for_text("Ping #1")
        body = self.find("#ping-details-modal pre.body-text")
        self.assertEqual(body.text, "backup finished: 42 files")
        self.click("Got It!")

        # 5. Assign the integration from the details page.
        toggle = self.find("#channels-block .channel-row")
        self.assertEqual(toggle.find_element(By.CSS_SELECTOR, ".on-off").text, "OFF")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", toggle)
        toggle.click()
        self.wait_until(lambda: webhook.checks.filter(id=check.id).exists(), "not assigned")

        # 6. Pause; the next ping resumes monitoring, live.
        self.click("Pause")
        self.wait_for_text("This check is paused")
        check.refresh_from_db()
        self.assertEqual(check.status, CheckStatus.PAUSED)
        marker = self.same_page()
        self.curl(check, "second run")
        self.wait_for_text("This check is up.")
        self.wait_for_text("second run")
        self.assert_not_reloaded(marker)

        # 7. Filter the checks list by tag; the address bar keeps the filter.
        self.open(checks_url)
        self.wait_until(lambda: len(self.visible_names()) == 2, "both checks listed")
        self.click("prod", within="#tag-pills")
        self.wait_until(lambda: self.visible_names() == ["Nightly backup"], "tag filter")
        query = parse_qs(urlsplit(self.driver.current_url).query)
        self.assertEqual(query, {"tag": ["prod"]})

        # 8. "Test!" sends a real request to the integration's receiver.
        self.open(f"/projects/{self.project.code}/integrations/")
        self.click("Test!")
        self.wait_for_text("Test notification sent!")
        request = self.receiver.wait(1)[0]
        self.assertEqual((request.method, request.path), ("POST", "/alert/down"))
        self.assertEqual(request.body, b"TEST is down")
        self.assertEqual(self.console_errors(), [])

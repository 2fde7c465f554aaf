"""The integrations and badges pages in headless Chromium (web spec §9, §10).

With HC_SCREENSHOTS=<dir> the tests also save screenshots of every page in
both themes at desktop and phone widths.
"""

from __future__ import annotations

from django.test import override_settings

from hc.accounts.models import Profile, Theme
from hc.accounts.services import do_create_project, do_create_user
from hc.api.models import Channel, Check
from hc.test_browser import DESKTOP, PHONE, BrowserTestCase
from hc.test_receiver import SharedReceiver


@override_settings(INTEGRATIONS_ALLOW_PRIVATE_IPS=True, WEBHOOKS_ENABLED=True)
class IntegrationsBrowserTestCase(SharedReceiver, BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = do_create_user("ivy@example.org", "ivy's password")
        self.project = do_create_project(self.user, "Backups")
        self.backup = Check.objects.create(project=self.project, name="db backup", tags="db")
        self.web = Check.objects.create(project=self.project, name="web", tags="web prod")
        self.log_in_as(self.user)

    def click(self, label: str, within: str = "body") -> None:
        # Bootstrap turns on smooth scrolling, and headless Chromium scrolls
        # slowly: the harness's scrollIntoView would leave long pages'
        # buttons below the fold for a while.
        self.driver.execute_script("document.documentElement.style.scrollBehavior = 'auto'")
        super().click(label, within)

    def errors(self, *expected: str) -> list[str]:
        """Console errors, less those about `expected` URLs.

        Chromium asks for /favicon.ico after log_in_as's visit to robots.txt,
        a page without an icon link, and reports the answer late.
        """
        skip = ("/favicon.ico", *expected)
        return [e for e in self.console_errors() if not any(s in e for s in skip)]

    def pages_look_right(self, name: str, *expected: str) -> None:
        self.assertEqual(self.errors(*expected), [], name)
        self.assertFalse(self.overflows(), f"{name} is wider than the window")
        self.screenshot(name)

    def test_add_a_webhook_assign_it_and_test_it(self) -> None:
        integrations = f"/projects/{self.project.code}/integrations/"
        self.open(integrations)
        self.wait_for_text("no notifications will be sent")

        self.click("Add Integration", within="#add-webhook")
        self.wait_for_path(f"/projects/{self.project.code}/add_webhook/")
        self.type("#id_name", "Receiver")
        self.type("#id_url_down", self.receiver.url("/hook/$STATUS"))
        self.type("#id_body_down", "$NAME is $STATUS")
        # Typing a body switched the method to POST.
        method = self.find("#id_method_down").get_attribute("value")
        self.assertEqual(method, "POST")
        self.click("Save Integration")
        self.wait_for_path(integrations)
        channel = Channel.objects.get(project=self.project)
        self.assertEqual(channel.config["method_down"], "POST")
        # A new integration starts with every check.
        self.wait_for_text("2 of 2")

        # Assign it to one check only, through the dialog.
        self.click("2 of 2")
        self.wait_for_text("Assign Checks to Integration (2 of 2)")
        self.click("Unselect All", within="#assign-modal")
        self.wait_for_text("Assign Checks to Integration (0 of 2)")
        self.assertFalse(self.button("Unselect All", within="#assign-modal").is_enabled())
        # Clicking anywhere on a row ticks its box.
        self.find(f"tr.assign-row:has(#assign-{self.backup.code}) .assign-code").click()
        self.wait_for_text("Assign Checks to Integration (1 of 2)")
        self.click("Save Changes", within="#assign-modal")
        self.wait_for_text("1 of 2")
        self.assertEqual(list(channel.checks.all()), [self.backup])

        self.click("Test!")
        self.wait_for_text("Test notification sent!")
        request = self.receiver.wait(1)[0]
        self.assertEqual((request.method, request.path), ("POST", "/hook/down"))
        self.assertEqual(request.body, b"TEST is down")
        self.wait_for_text("Delivered,")
        self.pages_look_right("integrations-after-test")

        # Rename through the details dialog, which shows the webhook's requests.
        self.find(".channel-details").click()
        self.wait_for_text("When a check goes down")
        self.screenshot("details-dialog")
        self.type("#channel-name-input", "Pager")
        self.click("Save", within="#channel-details-modal")
        self.wait_for_text("Pager")
        channel.refresh_from_db()
        self.assertEqual(channel.name, "Pager")

    def test_the_badge_preview_follows_the_format(self) -> None:
        self.open(f"/projects/{self.project.code}/badges/")
        image = self.find("#badge-preview img")
        self.assertIn("-2.svg", image.get_attribute("src") or "")
        self.assertTrue(self.driver.execute_script("return arguments[0].naturalWidth > 0", image))

        self.find("label[for=fmt-json]").click()
        self.wait_for_text("JSON endpoint URL")
        self.wait_for_text('"status": "up"')
        self.wait_for_text('"total": 2')
        self.screenshot("badges-json")

        self.find("label[for=states-3]").click()
        self.find("label[for=target-check]").click()
        self.wait_for_text("JSON endpoint URL")
        url = self.find("#badge-url").get_attribute("value") or ""
        self.assertIn(f"/b/3/{self.backup.badge_key}.json", url)
        self.wait_for_text('"total": 1')
        self.assertEqual(self.errors(), [])

        self.find("label[for=fmt-shields]").click()
        self.wait_for_text("Markdown code")
        url = self.find("#badge-url").get_attribute("value") or ""
        self.assertTrue(url.startswith("https://img.shields.io/endpoint?url="), url)
        markdown = self.find("#badge-markdown").get_attribute("value") or ""
        self.assertEqual(markdown, f"![db backup]({url})")
        # Shields.io cannot be reached from the test machine: only that may fail.
        self.assertEqual(self.errors("img.shields.io"), [])

    def test_every_page_in_both_themes_and_widths(self) -> None:
        email = Channel.objects.create(
            project=self.project,
            kind="email",
            config={"value": "ops@example.org", "down": True, "up": False},
            last_error="Email not verified",
        )
        email.checks.add(self.backup)
        Channel.objects.create(
            project=self.project,
            kind="webhook",
            name="A webhook with a rather long name to see how it wraps",
            config={"url_down": "https://hooks.example.org/x", "url_up": ""},
            disabled=True,
        )
        code = self.project.code
        pages = {
            "integrations": f"/projects/{code}/integrations/",
            "add-email": f"/projects/{code}/add_email/",
            "add-webhook": f"/projects/{code}/add_webhook/",
            "badges": f"/projects/{code}/badges/",
        }
        for theme in (Theme.LIGHT, Theme.DARK):
            Profile.objects.filter(user=self.user).update(theme=theme)
            for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                self.driver.set_window_size(*size)
                for name, path in pages.items():
                    with self.subTest(f"{name} {theme.label} {width_name}"):
                        self.open(path)
                        self.find("main")
                        self.pages_look_right(f"{name}-{theme.label.lower()}-{width_name}")

        # The form with errors, and the assign dialog, once each.
        self.driver.set_window_size(*DESKTOP)
        self.open(pages["add-webhook"])
        self.type("#id_headers_down", "not a header")
        self.click("Save Integration")
        self.wait_for_text("Header-Name: value")
        # A form with errors comes back with status 400, which Chromium reports.
        self.pages_look_right("add-webhook-errors", "/add_webhook/ - Failed to load resource")
        self.open(pages["integrations"])
        self.click("1 of 2")
        self.wait_for_text("Assign Checks to Integration (1 of 2)")
        self.pages_look_right("assign-dialog")

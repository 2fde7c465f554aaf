"""The schedule dialog and the check's dialogs, in headless Chromium (web spec §6.10, §7.5, §7.6)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from hc.accounts.models import Member, Profile, Project
from hc.api.models import Check, CheckKind
from hc.test import PING_KEY, BaseTestCase
from hc.test_browser import PHONE, BrowserTestCase


class ScheduleBrowserTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice = BaseTestCase.make_user("alice")
        self.project = Project.objects.create(
            owner=self.alice, name="Alice's Project", badge_key="alice", ping_key=PING_KEY
        )
        self.check_ = Check.objects.create(project=self.project, name="nightly backup")
        # Bootstrap scrolls smoothly unless reduced motion is asked for, and
        # the click helper needs its scrollIntoView to land at once.
        self.driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
        )

    def tearDown(self) -> None:
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        super().tearDown()

    def log_in(self, user: User) -> None:
        self.client.force_login(user)
        self.open("/accounts/login/")
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME]
        self.driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookie.value})

    def value(self, css: str) -> str:
        return self.driver.find_element(By.CSS_SELECTOR, css).get_attribute("value") or ""

    def save_button(self) -> WebElement:
        return self.find("#schedule-modal .schedule-save")

    def test_simple_and_cron_panels(self) -> None:
        self.log_in(self.alice)
        self.open(f"/projects/{self.project.code}/checks/?tag=&search=night")
        self.find(".period-btn").click()
        self.find("#schedule-modal.show #schedule-simple-form")

        # Pre-filled from the check: 1 day period, 1 hour grace.
        period = "#schedule-simple-form .duration-control[data-field=timeout]"
        self.assertEqual(self.value(f"{period} .duration-value"), "1")
        self.assertEqual(self.value(f"{period} .duration-unit"), "86400")
        self.assertEqual(self.value(f"{period} .duration-seconds"), "86400")
        self.assertEqual(self.value(f"{period} .duration-slider"), "600")

        # The slider works from the keyboard, a step of the segment at a time.
        slider = self.find(f"{period} .duration-slider")
        slider.send_keys(Keys.ARROW_LEFT)
        self.assertEqual(self.value(f"{period} .duration-value"), "23")
        self.assertEqual(self.value(f"{period} .duration-unit"), "3600")
        self.assertEqual(slider.get_attribute("aria-valuetext"), "23 hours")
        slider.send_keys(Keys.END)
        self.assertEqual(self.value(f"{period} .duration-seconds"), "31536000")
        self.assertEqual(slider.get_attribute("aria-valuetext"), "365 days")
        slider.send_keys(Keys.PAGE_DOWN)
        self.assertEqual(self.value(f"{period} .duration-seconds"), "2592000")
        # Tick labels jump there.
        self.find(f"{period} .duration-tick[data-seconds='604800']").click()
        self.assertEqual(self.value(f"{period} .duration-seconds"), "604800")
        self.assertEqual(self.value(f"{period} .duration-value"), "7")
        self.assertEqual(self.value(f"{period} .duration-slider"), "750")
        # Typing moves the slider.
        self.type(f"{period} .duration-value", "30")
        self.find(f"{period} .duration-unit option[value='60']").click()
        self.assertEqual(self.value(f"{period} .duration-seconds"), "1800")
        self.assertEqual(self.value(f"{period} .duration-slider"), "147")
        self.screenshot("schedule-simple")

        self.click("Cron", within="#schedule-modal")
        self.type("#schedule-cron-expr", "0 2 * * *")
        self.wait_for_text("At 02:00 every day")
        self.wait_for_text("Expected Ping Dates")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#schedule-cron-form .preview-local")
        self.assertEqual(len(rows), 6)
        self.assertTrue(self.save_button().is_enabled())

        self.type("#schedule-cron-expr", "0 0 30 2 *")
        self.wait_for_text("This cron expression is not valid.")
        self.wait_until(lambda: not self.save_button().is_enabled(), "Save stays enabled")

        self.type("#schedule-cron-expr", "*/5 * * * *")
        self.wait_for_text("Every fifth minute of every hour")
        # Pick a zone through the searchable picker.
        self.find("#schedule-cron-form .ts-control").click()
        self.type("#schedule-cron-form .dropdown-input", "Riga")
        self.wait_until(
            lambda: (
                self.find("#schedule-cron-form .ts-dropdown .option.active").text == "Europe/Riga"
            ),
            "the search did not find Riga",
        )
        self.find("#schedule-cron-form .dropdown-input").send_keys(Keys.ENTER)
        self.wait_until(
            lambda: (
                "+02:00" in self.find("#schedule-cron-form .schedule-preview").text
                or "+03:00" in self.find("#schedule-cron-form .schedule-preview").text
            ),
            "the preview did not switch to Riga",
        )
        self.wait_until(lambda: self.save_button().is_enabled(), "Save stays disabled")
        self.screenshot("schedule-cron")
        self.save_button().click()

        self.wait_until(
            lambda: Check.objects.filter(id=self.check_.id, kind=CheckKind.CRON).exists(),
            "the schedule was not saved",
        )
        # Back on the list, with its filter kept.
        self.wait_for_path(rf"/projects/{self.project.code}/checks/\?search=night")
        self.find(".period-btn")
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.schedule, "*/5 * * * *")
        self.assertEqual(self.check_.tz, "Europe/Riga")
        self.assertEqual(self.check_.grace.total_seconds(), 3600)
        self.assertEqual(self.console_errors(), [])

    def test_oncalendar_panel_on_the_details_page_in_dark_mode_on_a_phone(self) -> None:
        Profile.objects.filter(user=self.alice).update(theme="dark")
        Check.objects.create(project=self.project, kind=CheckKind.CRON, tz="Europe/Riga")
        self.driver.set_window_size(*PHONE)
        self.log_in(self.alice)
        self.open(f"/checks/{self.check_.code}/details/")
        self.click("Change Schedule…")
        self.find("#schedule-modal.show")
        self.screenshot("schedule-simple-phone-dark")
        self.assertFalse(self.overflows())
        self.click("OnCalendar", within="#schedule-modal")
        self.type("#schedule-oncalendar-expr", "Mon..Fri 09:00")
        self.wait_for_text("09:00:00 UTC")
        self.wait_for_text("Next elapse:")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#schedule-oncalendar-form .preview-run")
        self.assertEqual(len(rows), 6)

        # The project's own zones come first, and again in the full list.
        self.find("#schedule-oncalendar-form .ts-control").click()
        self.wait_until(
            lambda: (
                [
                    h.text
                    for h in self.driver.find_elements(
                        By.CSS_SELECTOR, "#schedule-oncalendar-form .optgroup-header"
                    )
                ]
                == ["Common time zones", "All time zones"]
            ),
            "the zone groups are not shown",
        )
        riga = "#schedule-oncalendar-form .ts-dropdown .option[data-value='Europe/Riga']"
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, riga)), 2)
        self.screenshot("schedule-tz-picker-phone-dark")
        # Escape closes the zone list, not the dialog.
        self.find("#schedule-oncalendar-form .dropdown-input").send_keys(Keys.ESCAPE)
        self.find("#schedule-modal.show")
        self.find("#schedule-oncalendar-form .ts-control").click()
        self.find(riga).click()
        self.wait_for_text("(in UTC):")
        self.wait_until(
            lambda: (
                len(
                    self.driver.find_elements(
                        By.CSS_SELECTOR, "#schedule-oncalendar-form .preview-run"
                    )
                )
                == 4
            ),
            "not four runs in Riga",
        )
        self.screenshot("schedule-oncalendar-phone-dark")
        self.click("Save", within="#schedule-modal")
        # Saving comes back to this same page: wait for the change itself.
        self.wait_until(
            lambda: Check.objects.filter(id=self.check_.id, kind=CheckKind.ONCALENDAR).exists(),
            "the schedule was not saved",
        )
        self.find("#events-title")
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.schedule, "Mon..Fri 09:00")
        self.assertEqual(self.check_.tz, "Europe/Riga")
        self.assertEqual(self.console_errors(), [])

    def test_transfer_and_filtering_dialogs(self) -> None:
        bob = BaseTestCase.make_user("bob")
        target = Project.objects.create(owner=bob, name="Bob's Project", badge_key="bob")
        Member.objects.create(project=target, user=self.alice)
        self.log_in(self.alice)
        self.open(f"/checks/{self.check_.code}/details/")

        self.click("Filtering Rules…")
        keyword = self.find("#filter-success-kw")
        self.assertFalse(keyword.is_enabled())
        self.find("label[for=filter-subject]").click()
        self.assertTrue(keyword.is_enabled())
        keyword.send_keys("SUCCESS")
        self.screenshot("filtering-rules")
        self.click("Save", within="#filtering-rules-modal")
        self.wait_until(
            lambda: Check.objects.filter(id=self.check_.id, filter_subject=True).exists(),
            "the rules were not saved",
        )
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.success_kw, "SUCCESS")
        self.find("#transfer-button")  # the details page again

        self.find("#transfer-button").click()
        select = self.find("#transfer-modal select[name=project]")
        submit = self.find("#transfer-modal .transfer-submit")
        self.assertFalse(submit.is_enabled())
        self.find(f"#transfer-modal option[value='{target.code}']").click()
        self.assertTrue(submit.is_enabled())
        self.assertIn("(current project)", select.text)
        self.screenshot("transfer")
        submit.click()
        self.wait_for_text("Check transferred to Bob's Project.")
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.project, target)
        self.assertEqual(self.console_errors(), [])

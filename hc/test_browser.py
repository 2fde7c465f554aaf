"""Real-browser tests: Debian's headless Chromium driven by Selenium.

BrowserTestCase starts a live server on http://localhost:<port> (localhost is
a secure context, so WebAuthn works without TLS), one Chromium per test
class, and an SMTP sink that receives every email the app sends:

    class LoginTests(BrowserTestCase):
        def test_login(self) -> None:
            self.open("/accounts/login/")
            self.type("#password-email", "alice@example.org")
            ...

With HC_SCREENSHOTS=<dir> set, `screenshot(name)` saves PNGs there; the
browser tests then double as the way to take screenshots of the pages.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import Client, override_settings
from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from hc.test_smtp import Received, SmtpSink

CHROMIUM = os.environ.get("HC_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("HC_CHROMEDRIVER", "/usr/bin/chromedriver")
# Seconds to wait for something to appear: generous, CI machines are slow.
WAIT = 15
DESKTOP = (1400, 1000)
PHONE = (390, 844)


def _chromium_options(profile_dir: str) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        # No smooth scrolling or animations: elements are where they will stay.
        "--force-prefers-reduced-motion",
        f"--user-data-dir={profile_dir}",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # No autofill or password-saving popups over the page.
    options.add_experimental_option(
        "prefs",
        {
            "autofill.profile_enabled": False,
            "autofill.credit_card_enabled": False,
            "credentials_enable_service": False,
            "profile.password_manager_enabled": False,
        },
    )
    return options


class BrowserTestCase(StaticLiveServerTestCase):
    host = "localhost"
    driver: webdriver.Chrome
    smtp: SmtpSink
    _profile_dir: str
    _settings: Any

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.smtp = SmtpSink().__enter__()
        cls._settings = override_settings(
            SITE_ROOT=cls.live_server_url,
            RP_ID="localhost",
            ALLOWED_HOSTS=["localhost"],
            SESSION_COOKIE_SECURE=False,
            CSRF_COOKIE_SECURE=False,
            **cls.smtp.settings(),
        )
        cls._settings.enable()
        cls._profile_dir = tempfile.mkdtemp(prefix="hc-chromium-")
        cls.driver = webdriver.Chrome(
            service=Service(CHROMEDRIVER), options=_chromium_options(cls._profile_dir)
        )
        cls.driver.set_page_load_timeout(WAIT * 2)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.driver.quit()
        shutil.rmtree(cls._profile_dir, ignore_errors=True)
        cls._settings.disable()
        cls.smtp.__exit__()
        super().tearDownClass()

    def setUp(self) -> None:
        super().setUp()
        self.driver.delete_all_cookies()
        self.driver.set_window_size(*DESKTOP)
        self.mail_seen = len(self.smtp.received)

    # Navigation and finding -------------------------------------------------

    def open(self, path_or_url: str) -> None:
        """Open a path of the live server, or a full URL (a link from an email)."""
        url = path_or_url if "://" in path_or_url else self.live_server_url + path_or_url
        self.driver.get(url)

    def path(self) -> str:
        url: str = self.driver.current_url
        return url.removeprefix(self.live_server_url)

    def find(self, css: str) -> WebElement:
        """The first visible element matching `css`, waiting for it to appear."""
        try:
            return WebDriverWait(self.driver, WAIT).until(
                expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css))
            )
        except TimeoutException:
            raise AssertionError(f"no visible element {css!r} on {self.path()}") from None

    def button(self, label: str, within: str = "body") -> WebElement:
        """A visible button or link whose text is exactly `label`, inside `within`."""
        xpath = (
            f".//*[self::button or self::a or self::input[@type='submit']]"
            f"[normalize-space(.)={label!r} or @value={label!r}]"
        )

        def visible(driver: webdriver.Chrome) -> WebElement | bool:
            scopes = driver.find_elements(By.CSS_SELECTOR, within)
            for element in (e for scope in scopes for e in scope.find_elements(By.XPATH, xpath)):
                if element.is_displayed():
                    return element
            return False

        try:
            element = WebDriverWait(
                self.driver, WAIT, ignored_exceptions=(StaleElementReferenceException,)
            ).until(visible)
        except TimeoutException:
            raise AssertionError(f"no visible button {label!r} on {self.path()}") from None
        assert isinstance(element, WebElement)
        return element

    def click(self, label: str, within: str = "body") -> None:
        def attempt(_: webdriver.Chrome) -> bool:
            element = self.button(label, within)
            if not element.is_enabled():
                return False
            # Centre it first so sticky bars and footers cannot cover it.
            self.driver.execute_script(
                "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
            )
            element.click()
            return True

        # An intercepted click did not happen: something (a fading dialog, a
        # page still loading) was on top. Try again until it is clear.
        retry = (ElementClickInterceptedException, StaleElementReferenceException)
        try:
            WebDriverWait(self.driver, WAIT, ignored_exceptions=retry).until(attempt)
        except TimeoutException:
            on_top = self.driver.execute_script(
                "var r = arguments[0].getBoundingClientRect();"
                "var e = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
                "return e ? e.outerHTML.slice(0, 300) : null;",
                self.button(label, within),
            )
            raise AssertionError(
                f"could not click {label!r} on {self.path()}; on top of it: {on_top}"
            ) from None

    def type(self, css: str, text: str, *, clear: bool = True) -> None:
        element = self.find(css)
        if clear:
            element.clear()
        element.send_keys(text)

    def wait_until(self, condition: Callable[[], bool], message: str) -> None:
        """Wait for `condition`; elements the page re-renders meanwhile just mean "not yet"."""
        wait = WebDriverWait(
            self.driver, WAIT, ignored_exceptions=(StaleElementReferenceException,)
        )
        wait.until(lambda _: condition(), message)

    def wait_for_text(self, text: str) -> None:
        try:
            # The page may be replaced while we look: try again then.
            WebDriverWait(
                self.driver, WAIT, ignored_exceptions=(StaleElementReferenceException,)
            ).until(lambda driver: text in driver.find_element(By.TAG_NAME, "body").text)
        except TimeoutException:
            raise AssertionError(f"{text!r} never appeared on {self.path()}") from None

    def wait_for_path(self, pattern: str) -> None:
        try:
            WebDriverWait(self.driver, WAIT).until(lambda _: re.fullmatch(pattern, self.path()))
        except TimeoutException:
            raise AssertionError(f"expected a path like {pattern!r}, at {self.path()}") from None

    def log_in_as(self, user: User) -> None:
        """Start a logged-in session without going through the login form."""
        client = Client()
        client.force_login(user)
        self.open("/robots.txt")  # Cookies can only be set for the current site.
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.driver.add_cookie({"name": cookie.key, "value": cookie.value, "path": "/"})
        self.console_errors()  # Drop robots.txt's missing favicon from the log.

    # Email ---------------------------------------------------------------

    def next_mail(self) -> Received:
        """The next email the app sent since the last call (or the test start)."""
        self.mail_seen += 1
        return self.smtp.wait(self.mail_seen, timeout=WAIT)[self.mail_seen - 1]

    def link_in(self, mail: Received, path_fragment: str) -> str:
        body = mail.message.get_body(preferencelist=("plain",))
        assert body is not None
        text = body.get_content()
        match = re.search(
            rf"{re.escape(self.live_server_url)}\S*{re.escape(path_fragment)}\S*", text
        )
        if match is None:
            raise AssertionError(f"no link with {path_fragment!r} in:\n{text}")
        return match.group(0)

    # Output --------------------------------------------------------------

    def console_errors(self) -> list[str]:
        entries = self.driver.get_log("browser")  # type: ignore[no-untyped-call]
        return [e["message"] for e in entries if e["level"] == "SEVERE"]

    def overflows(self) -> bool:
        """True if the page is wider than the window (sideways scrolling on phones)."""
        width = self.driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]"
        )
        return bool(width[0] > width[1])

    def screenshot(self, name: str) -> None:
        target = os.environ.get("HC_SCREENSHOTS")
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(Path(target) / f"{name}.png"))

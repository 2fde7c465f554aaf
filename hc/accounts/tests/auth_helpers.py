"""Shared pieces of the login, signup and account-change tests."""

from __future__ import annotations

import re

from django.core import mail, signing

from hc.test import BaseTestCase

SITE_ROOT = "http://localhost:8000"
NO_SMTP = {
    "EMAIL_HOST": "",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def link_in(text: str, fragment: str) -> str:
    """The site-relative path of the first link in `text` containing `fragment`."""
    match = re.search(rf"{re.escape(SITE_ROOT)}(\S*{re.escape(fragment)}\S*)", text)
    assert match, f"no link with {fragment!r} in:\n{text}"
    return match.group(1)


class AuthTestCase(BaseTestCase):
    def enter_sudo_mode(self) -> None:
        session = self.client.session
        session["sudo"] = signing.TimestampSigner(salt="sudo").sign("active")
        session.save()

    def last_link(self, fragment: str) -> str:
        """The link containing `fragment` in the last email sent (locmem backend)."""
        self.assertTrue(mail.outbox, "no email was sent")
        return link_in(str(mail.outbox[-1].body), fragment)

    def set_auto_login_cookie(self) -> None:
        self.client.cookies["auto-login"] = "1"

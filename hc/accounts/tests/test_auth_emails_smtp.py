"""Login-link emails through a real SMTP socket (web §12.1, §12.2)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from unittest.mock import patch

from django.contrib.auth.models import User
from django.test import override_settings

from hc.accounts.tests.auth_helpers import AuthTestCase, link_in
from hc.lib import emails
from hc.test_smtp import SmtpSink


@contextmanager
def rejecting_smtp() -> Iterator[SmtpSink]:
    """An SMTP server that refuses every message, retries included."""
    with (
        SmtpSink() as sink,
        override_settings(**sink.settings()),
        patch.object(emails, "SMTP_PAUSE", 0),
    ):
        sink.data_replies.extend(["554 Rejected"] * emails.SMTP_TRIES)
        yield sink


class AuthEmailsTestCase(AuthTestCase):
    def parts(self, message: EmailMessage) -> tuple[str, str]:
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert text is not None and html is not None
        return str(text.get_content()), str(html.get_content())

    def test_login_link(self) -> None:
        with SmtpSink() as sink, override_settings(**sink.settings()):
            r = self.client.post("/accounts/login/", {"identity": "alice@example.org"})
            self.assertEqual(r.status_code, 302)
            received = sink.wait(1)[0]
        message = received.message
        self.assertEqual(received.rcpt_tos, ["alice@example.org"])
        self.assertEqual(message["Subject"], "Log in to Mychecks")
        text, html = self.parts(message)
        path = link_in(text, "/accounts/check_token/")
        self.assertIn(f'href="http://localhost:8000{path}"', html)
        self.assertIn(">Log In</a>", html)
        self.assertIn("one hour", text)
        self.assertIn("http://localhost:8000/docs/", text)

        self.set_auto_login_cookie()
        r = self.client.get(path)
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.id))

    def test_signup_link(self) -> None:
        with SmtpSink() as sink, override_settings(**sink.settings()):
            r = self.client.post("/accounts/signup/", {"identity": "dana@example.org", "tz": "UTC"})
            self.assertContains(r, 'id="signup-ok"')
            message = sink.wait(1)[0].message
        self.assertEqual(message["To"], "dana@example.org")
        text, _html = self.parts(message)
        dana = User.objects.get(email="dana@example.org")
        self.assertIn(f"/accounts/check_token/{dana.username}/", text)

    def test_change_email_link(self) -> None:
        self.client.force_login(self.alice)
        self.enter_sudo_mode()
        with SmtpSink() as sink, override_settings(**sink.settings()):
            r = self.client.post("/accounts/change_email/", {"email": "alice.new@example.org"})
            self.assertEqual(r.status_code, 302)
            message = sink.wait(1)[0].message
        self.assertEqual(message["To"], "alice.new@example.org")
        self.assertEqual(message["Subject"], "Log in to Mychecks")
        text, html = self.parts(message)
        self.assertIn("15 minutes", text)
        path = link_in(text, "/accounts/change_email/")
        self.assertIn(f'href="http://localhost:8000{path}"', html)

        r = self.client.get(path)
        self.assertEqual(r.status_code, 302)
        self.assertEqual(User.objects.get(id=self.alice.id).email, "alice.new@example.org")

    def test_a_failed_login_link_answers_as_usual(self) -> None:
        # An error would tell who has an account; the failure is logged instead.
        with rejecting_smtp(), self.assertLogs("hc.accounts.views.auth", "ERROR"):
            r = self.client.post("/accounts/login/", {"identity": "alice@example.org"})
        self.assertRedirects(r, "/accounts/login_link_sent/", fetch_redirect_response=False)

    def test_a_failed_signup_link_says_so(self) -> None:
        with rejecting_smtp(), self.assertLogs("hc.accounts.views.auth", "ERROR"):
            r = self.client.post("/accounts/signup/", {"identity": "dana@example.org", "tz": "UTC"})
        self.assertContains(r, "could not send the email", status_code=503)

    def test_a_failed_change_email_link_says_so(self) -> None:
        self.client.force_login(self.alice)
        self.enter_sudo_mode()
        with rejecting_smtp(), self.assertLogs("hc.accounts.views.auth", "ERROR"):
            r = self.client.post("/accounts/change_email/", {"email": "alice.new@example.org"})
        self.assertContains(r, "could not send the email")
        self.assertNotIn("change_email_sent", self.client.session)

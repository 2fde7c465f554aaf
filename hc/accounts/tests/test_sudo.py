"""Sudo mode before sensitive changes (web §3.7), seen through /accounts/set_password/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings

from hc.accounts.tests.auth_helpers import NO_SMTP, AuthTestCase
from hc.lib import emails
from hc.test_smtp import SmtpSink

URL = "/accounts/set_password/"
NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def code_in(subject: str) -> str:
    match = re.fullmatch(r"Confirmation code: (\d{6})", subject)
    assert match, subject
    return match.group(1)


class SudoCodeTestCase(AuthTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_anonymous_visitors_go_to_the_login_page(self) -> None:
        self.client.logout()
        r = self.client.get(URL)
        self.assertRedirects(r, "/accounts/login/?next=" + URL, fetch_redirect_response=False)
        self.assertEqual(mail.outbox, [])

    def test_a_code_sent_over_smtp_unlocks_the_view(self) -> None:
        with SmtpSink() as sink, override_settings(**sink.settings()):
            r = self.client.get(URL)
            self.assertContains(r, "Enter a Confirmation Code")
            self.assertContains(r, 'maxlength="6"')
            message = sink.wait(1)[0].message
        self.assertEqual(message["To"], "alice@example.org")
        code = code_in(str(message["Subject"]))
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        self.assertIn(code, body.get_content())
        self.assertIn("15 minutes", body.get_content())

        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        r = self.client.post(URL, {"sudo_code": wrong})
        self.assertContains(r, "That is not a valid code.")

        r = self.client.post(URL, {"sudo_code": code})
        self.assertRedirects(r, URL, fetch_redirect_response=False)
        r = self.client.get(URL)
        self.assertContains(r, "Set a Password")

    def test_it_reuses_a_valid_code(self) -> None:
        self.client.get(URL)
        self.client.get(URL)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_failed_send_is_explained(self) -> None:
        with (
            SmtpSink() as sink,
            override_settings(**sink.settings()),
            patch.object(emails, "SMTP_PAUSE", 0),
        ):
            # Rejected on every attempt, retries included.
            sink.data_replies.extend(["554 Rejected"] * 3)
            r = self.client.get(URL)
        self.assertContains(r, "sending the email failed")

    def test_the_code_expires_after_15_minutes(self) -> None:
        with time_machine.travel(NOW, tick=False):
            self.client.get(URL)
        code = code_in(str(mail.outbox[0].subject))
        with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
            r = self.client.post(URL, {"sudo_code": code})
        self.assertContains(r, "That is not a valid code.")
        # A fresh code went out in its place.
        self.assertEqual(len(mail.outbox), 2)
        self.assertNotIn("sudo", self.client.session)

    def test_sudo_mode_lasts_30_minutes(self) -> None:
        with time_machine.travel(NOW, tick=False):
            self.client.get(URL)
            code = code_in(str(mail.outbox[0].subject))
            self.client.post(URL, {"sudo_code": code})
        with time_machine.travel(NOW + timedelta(minutes=29), tick=False):
            r = self.client.get(URL)
        self.assertContains(r, "Set a Password")
        with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
            r = self.client.get(URL)
        self.assertContains(r, "Enter a Confirmation Code")

    def test_it_allows_10_attempts_a_day(self) -> None:
        with time_machine.travel(NOW, tick=False):
            for _ in range(10):
                r = self.client.post(URL, {"sudo_code": "000000"})
                self.assertContains(r, "Enter a Confirmation Code")
            r = self.client.get(URL)
            self.assertContains(r, "Too Many Requests")
            # Even the right code is refused now.
            code = code_in(str(mail.outbox[0].subject))
            r = self.client.post(URL, {"sudo_code": code})
            self.assertContains(r, "Too Many Requests")
        with time_machine.travel(NOW + timedelta(days=1), tick=False):
            r = self.client.get(URL)
        self.assertContains(r, "Enter a Confirmation Code")


@override_settings(**NO_SMTP)
class SudoWithoutSmtpTestCase(AuthTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_asks_for_the_password_instead(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "Confirm Your Password")
        r = self.client.post(URL, {"sudo_password": "wrong"})
        self.assertContains(r, "That password is not correct.")
        r = self.client.post(URL, {"sudo_password": "password"})
        self.assertRedirects(r, URL, fetch_redirect_response=False)
        r = self.client.get(URL)
        self.assertContains(r, "Set a Password")

    def test_password_attempts_count_against_the_same_limit(self) -> None:
        for _ in range(10):
            self.client.post(URL, {"sudo_password": "wrong"})
        r = self.client.post(URL, {"sudo_password": "password"})
        self.assertContains(r, "Too Many Requests")

    def test_without_a_password_it_explains_what_to_do(self) -> None:
        user = User.objects.get(id=self.alice.id)
        user.set_unusable_password()
        user.save()
        self.client.force_login(user)
        r = self.client.get(URL)
        self.assertContains(r, "We Cannot Confirm It Is You")
        self.assertContains(r, "ask the administrator")
        self.assertNotContains(r, 'name="sudo_password"')

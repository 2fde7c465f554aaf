"""Shared setup for the report and reminder tests: a real SMTP sink."""

from __future__ import annotations

from email.message import EmailMessage

from django.test import override_settings

from hc.accounts.management.commands import sendreports
from hc.test import BaseTestCase
from hc.test_smtp import Received, SmtpSink


class EmailTestCase(BaseTestCase):
    """Routes mail to a local SMTP sink and disables the pause between emails."""

    sink: SmtpSink

    def setUp(self) -> None:
        super().setUp()
        self.sink = SmtpSink()
        self.sink.__enter__()
        self.addCleanup(self.sink.__exit__)
        mail_settings = override_settings(**self.sink.settings())
        mail_settings.enable()
        self.addCleanup(mail_settings.disable)
        previous = sendreports.PAUSE_AFTER_EMAIL
        sendreports.PAUSE_AFTER_EMAIL = 0

        def restore() -> None:
            sendreports.PAUSE_AFTER_EMAIL = previous

        self.addCleanup(restore)

    def received(self, count: int) -> list[Received]:
        """Exactly `count` messages arrived."""
        messages = self.sink.wait(count) if count else []
        self.assertEqual(len(self.sink.received), count)
        return messages

    @staticmethod
    def parts(message: EmailMessage) -> tuple[str, str]:
        """The plain-text and HTML bodies."""
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert text is not None and html is not None
        # SMTP carries CRLF line ends; compare with the templates' LF.
        return (
            str(text.get_content()).replace("\r\n", "\n"),
            str(html.get_content()).replace("\r\n", "\n"),
        )

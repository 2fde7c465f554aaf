"""A local SMTP sink for email tests: a real SMTP socket on 127.0.0.1.

with SmtpSink() as sink, override_settings(**sink.settings()):
    ... send ...
    message = sink.wait(1)[0]
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from hc.test_receiver import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class SmtpSink:
    def __init__(self) -> None:
        self.received: list[Received] = []
        # Reply codes for the next DATA commands, e.g. "451 Try later".
        self.data_replies: list[str] = []
        self.arrived = threading.Condition()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.arrived:
            if self.data_replies:
                return self.data_replies.pop(0)
            assert isinstance(envelope.content, bytes)
            self.received.append(
                Received(envelope.mail_from or "", list(envelope.rcpt_tos), envelope.content)
            )
            self.arrived.notify_all()
        return "250 OK"

    @property
    def port(self) -> int:
        return self.controller.port

    def settings(self) -> dict[str, Any]:
        """Settings that route Django's mail to this sink over SMTP."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }

    def wait(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.received) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} messages, got {len(self.received)}")
                self.arrived.wait(remaining)
            return list(self.received)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

"""Sending email with the retry policy alerts and reports share (monitoring §5.5)."""

from __future__ import annotations

import smtplib
import time

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

SMTP_TRIES = 3
# Seconds between SMTP attempts; tests set it to 0.
SMTP_PAUSE = 1.0


class EmailError(Exception):
    pass


def is_configured() -> bool:
    backend: str = settings.EMAIL_BACKEND
    return bool(settings.EMAIL_HOST) or not backend.endswith("smtp.EmailBackend")


def send(message: EmailMessage, *, bounce_id: str | None = None) -> None:
    """Send one message; raise EmailError when it could not be sent.

    With EMAIL_MAIL_FROM_TMPL set, the envelope sender carries `bounce_id`
    so that bounces can be matched to what bounced; the visible From
    header stays DEFAULT_FROM_EMAIL.
    """
    if not is_configured():
        raise EmailError("Email is not configured")
    if bounce_id and settings.EMAIL_MAIL_FROM_TMPL:
        message.extra_headers.setdefault("From", message.from_email or settings.DEFAULT_FROM_EMAIL)
        message.from_email = settings.EMAIL_MAIL_FROM_TMPL % bounce_id
    for attempt in range(1, SMTP_TRIES + 1):
        try:
            message.connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
            message.send()
            return
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPDataError) as e:
            if attempt == SMTP_TRIES:
                raise EmailError(f"SMTP error: {e}") from e
            time.sleep(SMTP_PAUSE)
        except (smtplib.SMTPException, OSError) as e:
            raise EmailError(f"SMTP error: {e}") from e

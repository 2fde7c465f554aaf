"""Emails the web app sends (web spec §12): login links, invitations, codes.

Each message has a plain-text and an HTML part rendered from
`accounts/emails/<template>.txt|.html`. Sending is synchronous, so a failure
reaches the person who asked instead of vanishing in a background thread.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from hc.lib import emails


def send_templated(to: str, template: str, subject: str, context: dict[str, Any]) -> None:
    """Render and send one message; raises hc.lib.emails.EmailError on failure."""
    context = {
        "site_name": settings.SITE_NAME,
        "site_root": settings.SITE_ROOT,
        "site_logo_url": settings.SITE_LOGO_URL,
        "support_email": settings.SUPPORT_EMAIL,
        "subject": subject,
        **context,
    }
    text = render_to_string(f"accounts/emails/{template}.txt", context)
    html = render_to_string(f"accounts/emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text.replace("\xa0", " "), to=[to])
    message.attach_alternative(html, "text/html")
    emails.send(message)

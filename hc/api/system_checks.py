"""Start-up checks for settings that can be wrong in non-obvious ways."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    site = urlsplit(settings.SITE_ROOT)
    if site.scheme not in ("http", "https"):
        messages.append(
            Warning(
                "SITE_ROOT should start with http:// or https://",
                hint=f"SITE_ROOT is {settings.SITE_ROOT!r}",
                id="hc.W001",
            )
        )
    hosts = settings.ALLOWED_HOSTS
    if site.hostname and "*" not in hosts and site.hostname not in hosts:
        messages.append(
            Error(
                f"The SITE_ROOT host {site.hostname!r} is not in ALLOWED_HOSTS",
                hint="Add it to ALLOWED_HOSTS, or leave ALLOWED_HOSTS unset.",
                id="hc.E001",
            )
        )
    if not settings.EMAIL_HOST:
        messages.append(
            Warning(
                "EMAIL_HOST is not set: no email (alerts, reports, login links) can be sent",
                id="hc.W002",
            )
        )
    header = settings.SECURE_PROXY_SSL_HEADER
    if header is not None and len(header) != 2:
        messages.append(
            Warning(
                "SECURE_PROXY_SSL_HEADER should be HEADER_NAME,value",
                hint=f"It has {len(header)} parts.",
                id="hc.W003",
            )
        )
    if settings.TIME_ZONE != "UTC":
        messages.append(
            Error("TIME_ZONE must be UTC: all timestamps are stored in UTC", id="hc.E002")
        )
    if settings.APPRISE_ENABLED and not settings.INTEGRATIONS_ALLOW_PRIVATE_IPS:
        messages.append(
            Warning(
                "Apprise does not honour INTEGRATIONS_ALLOW_PRIVATE_IPS=False",
                id="hc.W004",
            )
        )
    return messages

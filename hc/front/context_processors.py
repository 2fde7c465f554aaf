"""Values every page's layout needs: branding, warnings, theme, version."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from hc.lib import emails

PLACEHOLDER_SECRET_KEY = "---"  # noqa: S105 (the default it warns about)


@cache
def version() -> str:
    """The first `## vX.Y` heading of CHANGELOG.md, read once."""
    try:
        text = (settings.BASE_DIR / "CHANGELOG.md").read_text()
    except OSError:
        return ""
    match = re.search(r"^## (v\d+\.\d+(?:\.\d+)?)", text, re.MULTILINE)
    return match.group(1) if match else "development version"


def _warning() -> str | None:
    if settings.DEBUG:
        return "debug"
    if settings.SECRET_KEY == PLACEHOLDER_SECRET_KEY:
        return "insecure-secret"
    return None


def branding(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    theme = ""
    profile = None
    if user is not None and user.is_authenticated:
        profile = getattr(user, "profile", None)
        theme = profile.theme if profile else ""
    return {
        "site_name": settings.SITE_NAME,
        "site_root": settings.SITE_ROOT,
        "site_logo_url": settings.SITE_LOGO_URL,
        "support_email": settings.SUPPORT_EMAIL,
        "site_warning": _warning(),
        "site_version": version(),
        "theme": theme,
        "smtp_configured": emails.is_configured(),
        "registration_open": settings.REGISTRATION_OPEN and emails.is_configured(),
        "webauthn_enabled": bool(settings.RP_ID),
        "user_profile": profile,
    }

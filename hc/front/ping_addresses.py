"""Where a check can be pinged: its URL and email address, UUID or slug style.

Shared by the checks list, the details page and the usage examples; the
project's `show_slugs` picks the style (web spec §6.11).
"""

from __future__ import annotations

from django.conf import settings

from hc.accounts.models import Project
from hc.api.models import Check

# Shown in slug-style URLs while the project has no ping key.
PING_KEY_PLACEHOLDER = "{ping_key}"


def uuid_url(check: Check) -> str:
    return f"{settings.PING_ENDPOINT}{check.code}"


def slug_url(check: Check, project: Project) -> str | None:
    """The slug-style URL; None when the check has no slug."""
    if not check.slug:
        return None
    key = project.ping_key or PING_KEY_PLACEHOLDER
    return f"{settings.PING_ENDPOINT}{key}/{check.slug}"


def ping_url(check: Check, project: Project, *, slugs: bool | None = None) -> str | None:
    """The URL in the project's chosen style (or the one asked for)."""
    use_slugs = project.show_slugs if slugs is None else slugs
    return slug_url(check, project) if use_slugs else uuid_url(check)


def ping_email(check: Check, project: Project, *, slugs: bool | None = None) -> str | None:
    """The address whose mail pings the check; None in slug style without a slug or key."""
    use_slugs = project.show_slugs if slugs is None else slugs
    if not use_slugs:
        return f"{check.code}@{settings.PING_EMAIL_DOMAIN}"
    if not check.slug or not project.ping_key:
        return None
    return f"{project.ping_key}+{check.slug}@{settings.PING_EMAIL_DOMAIN}"

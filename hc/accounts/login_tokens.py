"""Email login links (web spec §3.3.1).

The profile keeps only a password-style hash of the newest token, so a link
works once, only while it is the newest, and for an hour (its signature's
age). The emailed value is the raw token signed with a timestamp.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.core import signing
from django.urls import reverse

from hc.accounts.models import Profile

LINK_MAX_AGE = 3600
_SALT = "login-link"


def issue(user: User) -> str:
    """A fresh signed token for the user; earlier links stop working."""
    raw = secrets.token_urlsafe(24)
    Profile.objects.filter(user=user).update(token=make_password(raw))
    return signing.TimestampSigner(salt=_SALT).sign(raw)


def login_url(user: User, next_path: str | None = None) -> str:
    """An absolute magic-link URL; `next_path` must already be whitelisted."""
    path = reverse("hc-check-token", args=[user.username, issue(user)])
    query = "?" + urlencode({"next": next_path}) if next_path else ""
    return settings.SITE_ROOT + path + query


def matches(user: User, signed_token: str, max_age: int = LINK_MAX_AGE) -> bool:
    """True if the token is the user's newest and not older than max_age."""
    try:
        raw = signing.TimestampSigner(salt=_SALT).unsign(signed_token, max_age=max_age)
    except signing.BadSignature:
        return False
    stored = Profile.objects.filter(user=user).values_list("token", flat=True).first()
    return check_password(raw, stored) if stored else False


def consume(user: User, signed_token: str, max_age: int = LINK_MAX_AGE) -> bool:
    """Check the token and, if it is good, clear it so it cannot be used again."""
    if not matches(user, signed_token, max_age):
        return False
    return Profile.objects.filter(user=user).exclude(token="").update(token="") == 1


def clear(user: User) -> None:
    Profile.objects.filter(user=user).update(token="")

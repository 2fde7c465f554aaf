"""Authenticator-app (TOTP, RFC 6238) helpers (web spec §3.6 and §3.13)."""

from __future__ import annotations

import pyotp
import segno
from django.conf import settings

from hc.lib import ratelimit

ATTEMPTS_PER_DAY = 96
# A code stays valid for up to three 30 s steps (valid window 1): block its
# reuse for that long so an observed code cannot be replayed.
REUSE_SECONDS = 90


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=settings.SITE_NAME)


def qr_data_uri(uri: str) -> str:
    """A PNG data URI of a regular (never micro) QR code for `uri`."""
    return segno.make_qr(uri).png_data_uri(scale=8)


def verify(secret: str, code: str) -> bool:
    """Whether `code` is right for now, one 30 s step either way."""
    return pyotp.TOTP(secret).verify(code, valid_window=1)


def attempt_allowed(user_id: int) -> bool:
    """Spend one of the user's daily login attempts."""
    return ratelimit.authorize(f"totp-{user_id}", ATTEMPTS_PER_DAY, 24 * 3600)


def first_use(user_id: int, code: str) -> bool:
    """False when this code was already accepted for this user recently."""
    return ratelimit.authorize(f"totpc-{user_id}-{code}", 1, REUSE_SECONDS)

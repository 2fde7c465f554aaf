"""API keys and ping keys: generation and hashed storage.

API keys are shown once and stored as "<first 8 chars after the prefix>.<hex
HMAC-SHA256 of the whole key keyed with SECRET_KEY>", the Healthchecks format,
so keys migrated from an upstream database keep working.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

from django.conf import settings

READ_WRITE_PREFIX = "hcw_"
READ_ONLY_PREFIX = "hcr_"
_KEY_ALPHABET = string.ascii_letters + string.digits
_PING_KEY_ALPHABET = string.ascii_lowercase + string.digits


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def digest(key: str) -> str:
    """The stored form of a prefixed key."""
    mac = hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256)
    return f"{key[4:12]}.{mac.hexdigest()}"


def new_api_key(*, readonly: bool) -> tuple[str, str]:
    """A fresh 32-character key and the value to store for it."""
    prefix = READ_ONLY_PREFIX if readonly else READ_WRITE_PREFIX
    key = prefix + _random(_KEY_ALPHABET, 28)
    return key, digest(key)


def key_matches(key: str, stored: str) -> bool:
    """Does a key presented by a client match a stored value?"""
    if not stored:
        return False
    if key.startswith((READ_WRITE_PREFIX, READ_ONLY_PREFIX)):
        return hmac.compare_digest(digest(key), stored)
    # Legacy plain-text keys.
    return hmac.compare_digest(key, stored)


def new_ping_key() -> str:
    """22 characters of [a-z0-9], the Healthchecks ping key format."""
    return _random(_PING_KEY_ALPHABET, 22)

"""Token-bucket rate limiting on the TokenBucket table (monitoring spec §10.1).

A bucket holds at most 1.0 token; each operation costs 1 / capacity, and the
bucket refills by 1.0 every `refill_seconds`. So `capacity` operations pass in a
burst, refilling continuously at `capacity` per `refill_seconds`.

Concurrent updates of one key may overwrite each other. The spec accepts that
imprecision: a row lock per rate-limited request would cost more than it saves.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from hc.api.models import TokenBucket

MAX_KEY_LENGTH = 80


def hashed(value: str) -> str:
    """A stable digest for keys that would otherwise store a secret (an email,
    a phone number, a user key) in the clear."""
    return hashlib.sha1((value + settings.SECRET_KEY).encode(), usedforsecurity=False).hexdigest()


def _refilled(bucket: TokenBucket, refill_seconds: float, now: datetime) -> float:
    # A clock that went backwards must not drain the bucket.
    elapsed = max(0.0, (now - bucket.updated).total_seconds())
    return min(1.0, bucket.tokens + elapsed / refill_seconds)


def authorize(key: str, capacity: int, refill_seconds: float, *, force: bool = False) -> bool:
    """Spend one operation's worth of tokens for `key`; False when none are left.

    A denied attempt saves nothing, so it does not push the limit further out.
    With force=True the spend is always recorded (the bucket may go negative):
    for counting events, such as errors, that happen whether allowed or not.
    """
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"token bucket key longer than {MAX_KEY_LENGTH} characters: {key!r}")
    now = timezone.now()
    bucket, created = TokenBucket.objects.get_or_create(
        value=key, defaults={"tokens": 1.0, "updated": now}
    )
    tokens = 1.0 if created else _refilled(bucket, refill_seconds, now)
    tokens -= 1.0 / capacity
    if tokens < 0 and not force:
        return False
    bucket.tokens, bucket.updated = tokens, now
    bucket.save(update_fields=["tokens", "updated"])
    return True


def level(key: str, refill_seconds: float) -> float:
    """The tokens `key` would have now, without spending any (1.0 if unused)."""
    bucket = TokenBucket.objects.filter(value=key).first()
    if bucket is None:
        return 1.0
    return _refilled(bucket, refill_seconds, timezone.now())

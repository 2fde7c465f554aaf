"""The links in verification and alert emails (integrations spec §3.1)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.signing import TimestampSigner

from hc.api.models import Channel

UNSUBSCRIBE_SALT = "alerts"


def verify_token(channel: Channel) -> str:
    """Stable per channel; the same token Healthchecks puts in its links."""
    return hashlib.sha256(f"{channel.code}{settings.SECRET_KEY}".encode()).hexdigest()


def verify_url(channel: Channel) -> str:
    return f"{settings.SITE_ROOT}/integrations/{channel.code}/verify/{verify_token(channel)}/"


def unsubscribe_url(channel: Channel) -> str:
    signed = TimestampSigner(salt=UNSUBSCRIBE_SALT).sign(verify_token(channel))
    return f"{settings.SITE_ROOT}/integrations/{channel.code}/unsub/{signed}/"

"""Facts about a flip that several transports put in their messages (spec §2.9)."""

from __future__ import annotations

import time

from django.conf import settings

from hc.api.models import Flip, Ping
from hc.api.ping_bodies import BodyUnavailable, load_body


def last_ping(flip: Flip) -> Ping | None:
    """The latest ping at or before the flip; None for test sends."""
    check = flip.owner
    if check.pk is None:
        return None
    return (
        Ping.objects.filter(owner=check, created__lte=flip.created)
        .order_by("-created", "-id")
        .first()
    )


def ping_body(ping: Ping | None) -> bytes | None:
    """The ping's body; waits once for a body still being uploaded."""
    if ping is None:
        return None
    try:
        body = load_body(ping)
        if body is None and ping.object_size:
            time.sleep(settings.PING_BODY_UPLOAD_WAIT)
            body = load_body(ping)
    except BodyUnavailable:
        return None
    return body


def ping_body_text(ping: Ping | None) -> str | None:
    body = ping_body(ping)
    return None if body is None else body.decode(errors="replace")

"""Reading a ping's body, wherever it is stored (monitoring spec §8.3)."""

from __future__ import annotations

from hc.api.models import Ping


class BodyUnavailable(Exception):
    """The body exists but cannot be read now (object storage trouble)."""


def load_body(ping: Ping) -> bytes | None:
    """The ping's body bytes; None when it has none (or it is not uploaded yet)."""
    if ping.body_raw is not None:
        return bytes(ping.body_raw)
    return None

"""Reading a ping's body, wherever it is stored (monitoring spec §8.3)."""

from __future__ import annotations

from hc.api.models import Ping
from hc.lib import s3
from hc.lib.s3 import BodyUnavailable

__all__ = ["BodyUnavailable", "load_body"]


def load_body(ping: Ping) -> bytes | None:
    """The ping's body bytes; None when it has none (or it is not uploaded yet).

    Raises BodyUnavailable when the body is in object storage that fails.
    With object storage switched off, such bodies cannot be read: None.
    """
    if ping.body_raw is not None:
        return bytes(ping.body_raw)
    if ping.object_size and s3.enabled():
        return s3.get_object(ping.owner.code, ping.n)
    return None

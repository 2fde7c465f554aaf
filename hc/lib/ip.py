"""The client's IP address, as ping records and rate limits need it."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any


def _valid(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _strip_port(value: str) -> str:
    # "1.2.3.4:5678" (four dotted parts, the last with a port) -> "1.2.3.4".
    parts = value.split(".")
    if len(parts) == 4 and ":" in parts[3]:
        return value.rsplit(":", 1)[0]
    return value


def client_ip(meta: Mapping[str, Any]) -> str | None:
    """The left-most X-Forwarded-For hop if it is an IP, else the peer address.

    Healthchecks stores whatever the header holds, which breaks on PostgreSQL's
    inet column; a value that is not an address falls back to the peer.
    """
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if forwarded:
        candidate = _strip_port(forwarded.split(",", 1)[0].strip())
        if _valid(candidate):
            return candidate
    peer = meta.get("REMOTE_ADDR") or ""
    return peer if _valid(peer) else None

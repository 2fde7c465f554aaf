"""Bounce ids in the envelope sender, and reading the bounces that come back.

An outgoing alert or report carries a signed id such as `n.<notification
uuid>` in its SMTP envelope sender (EMAIL_MAIL_FROM_TMPL). A bounce comes
back to that address, and the bounce endpoint (monitoring §5.5) learns
from the id what bounced.

Django's TimestampSigner makes values too long for the 64-character local
part of an address, so the signature here is short: a base-36 timestamp and
16 hex digits (64 bits) of an HMAC-SHA256. Everything is lower case, as
some mail systems change the case of local parts.
"""

from __future__ import annotations

import email
import email.policy
import time
from dataclasses import dataclass
from email.message import Message
from email.utils import getaddresses

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

SALT = "hc.lib.bounces"
SIGNATURE_LENGTH = 16
# Bounces can take a day or two to come back.
MAX_AGE_SECONDS = 48 * 3600
DIAGNOSTIC_PREFIX = "smtp;"


def _signature(value: str, timestamp: str) -> str:
    return salted_hmac(SALT, f"{value}.{timestamp}", algorithm="sha256").hexdigest()[
        :SIGNATURE_LENGTH
    ]


def sign_bounce_id(value: str, *, now: float | None = None) -> str:
    """`value` with a timestamp and a short signature appended."""
    timestamp = int_to_base36(int(time.time() if now is None else now))
    return f"{value}.{timestamp}.{_signature(value, timestamp)}"


def unsign_bounce_id(signed: str, *, now: float | None = None) -> str | None:
    """The value signed by sign_bounce_id; None when forged, malformed or expired."""
    parts = signed.rsplit(".", 2)
    if len(parts) != 3:
        return None
    value, timestamp, signature = parts
    if not constant_time_compare(signature, _signature(value, timestamp)):
        return None
    try:
        signed_at = base36_to_int(timestamp)
    except ValueError:
        return None
    age = (time.time() if now is None else now) - signed_at
    if not 0 <= age <= MAX_AGE_SECONDS:
        return None
    return value


def local_part_id(address: str, template: str) -> str:
    """The bounce id in an address built from `template` (e.g. "bounces+%s@x.org").

    A template without "%s" in its local part leaves the whole local part.
    """
    local = address.rsplit("@", 1)[0]
    template_local = template.rsplit("@", 1)[0]
    if "%s" in template_local:
        prefix, suffix = template_local.split("%s", 1)
        if (
            len(local) >= len(prefix) + len(suffix)
            and local.lower().startswith(prefix.lower())
            and local.lower().endswith(suffix.lower())
        ):
            return local[len(prefix) : len(local) - len(suffix)]
    return local


@dataclass(frozen=True)
class DeliveryReport:
    """What a delivery status notification (RFC 3464) says about a recipient."""

    # The bounce's To address (where our envelope sender pointed).
    to: str
    # "5.1.1"; "" when the message has no recipient status.
    status: str
    # "550 5.1.1 User unknown", with the "smtp;" type prefix removed.
    diagnostic: str

    @property
    def permanent(self) -> bool:
        # 5.4.4 ("unable to route") is often a passing DNS problem.
        return self.status.startswith("5.") and self.status != "5.4.4"

    @property
    def transient(self) -> bool:
        return self.status.startswith("4.") or self.status == "5.4.4"


def _status_block(message: Message) -> Message | None:
    """The first per-recipient block of the report (it has Status and Action)."""
    for part in message.walk():
        if "Status" in part and "Action" in part:
            return part
    return None


def parse_report(raw: bytes) -> DeliveryReport:
    """Read a bounce message. Never raises: what is missing comes back empty."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        addresses = getaddresses([str(value) for value in message.get_all("To") or []])
        to = next((address for _, address in addresses if address), "")
        block = _status_block(message)
    except Exception:  # mail from the outside can be anything
        return DeliveryReport(to="", status="", diagnostic="")
    if block is None:
        return DeliveryReport(to=to, status="", diagnostic="")
    # A status may carry a comment: "5.1.1 (bad destination mailbox)".
    status = next(iter(str(block["Status"]).split()), "")
    diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
    if diagnostic.lower().startswith(DIAGNOSTIC_PREFIX):
        diagnostic = diagnostic[len(DIAGNOSTIC_PREFIX) :].strip()
    return DeliveryReport(to=to, status=status, diagnostic=diagnostic)

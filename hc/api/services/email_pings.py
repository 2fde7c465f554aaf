"""Recording pings that arrive by email (spec monitoring §9, ping-api §13).

The SMTP listener (`manage.py smtpd`) validates addresses with parse_mailbox()
while the client is still talking, and calls do_record_email_ping() once per
accepted recipient after the message has arrived.
"""

from __future__ import annotations

import enum
import re
import uuid

from django.db import transaction
from django.utils import timezone

from hc.api.classify import classify_email
from hc.api.models import Ping
from hc.api.services.pings import (
    PRUNE_EVERY,
    ByCode,
    BySlug,
    Signal,
    apply_signal,
    lock_target,
    prune_check,
)

# A version-4 UUID in either letter case, or "<ping key>+<slug>".
_UUID4 = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
)
_KEY_AND_SLUG = re.compile(r"(?P<key>[A-Za-z0-9_-]{22})\+(?P<slug>[a-z0-9_-]+)")

_UA_MAX_LENGTH = Ping._meta.get_field("ua").max_length or 200


class EmailPingOutcome(enum.StrEnum):
    PROCESSED = "Processed ping"
    NOT_FOUND = "Check not found"
    AMBIGUOUS = "Ambiguous slug"


def parse_mailbox(mailbox: str) -> ByCode | BySlug | None:
    """The check an address's local part names, or None if it names none."""
    if _UUID4.fullmatch(mailbox):
        return ByCode(uuid.UUID(mailbox))
    if match := _KEY_AND_SLUG.fullmatch(mailbox):
        return BySlug(match["key"], match["slug"])
    return None


def do_record_email_ping(
    mailbox: str, data: bytes, mail_from: str, peer_ip: str | None
) -> EmailPingOutcome:
    """Ping the check this mailbox names, with the whole raw message as the body."""
    target = parse_mailbox(mailbox)
    if target is None:  # the listener refuses such recipients; be safe anyway
        return EmailPingOutcome.NOT_FOUND
    with transaction.atomic():
        candidates = lock_target(target)
        if not candidates:
            return EmailPingOutcome.NOT_FOUND
        if len(candidates) > 1:
            return EmailPingOutcome.AMBIGUOUS
        check = candidates[0]
        kind = classify_email(check, data)
        signal = Signal(
            kind=kind,
            method="",
            scheme="email",
            remote_addr=peer_ip,
            ua=user_agent(mail_from),
            body=data,
        )
        apply_signal(check, kind, signal, timezone.now())
    if check.n_pings % PRUNE_EVERY == 0:
        prune_check(check.id, check.n_pings)
    return EmailPingOutcome.PROCESSED


def user_agent(mail_from: str) -> str:
    """The ping's user agent field: "Email from <sender>", cut to fit the column."""
    # PostgreSQL refuses NUL characters in text columns.
    return f"Email from {mail_from}".replace("\x00", "")[:_UA_MAX_LENGTH]

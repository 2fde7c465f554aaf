"""Facts about a flip that several transports put in their messages (spec §2.9)."""

from __future__ import annotations

import email
import email.policy
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.timesince import timesince

from hc.api.models import Check, CheckStatus, Flip, FlipReason, Ping, PingKind
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


# Links -------------------------------------------------------------------------


def cloaked_url(check: Check) -> str:
    """The link back to a check that does not reveal its UUID."""
    return f"{settings.SITE_ROOT}/cloaked/{check.unique_key}/"


# Durations and times -------------------------------------------------------------

_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
WEEK = 7 * 86400


def _plural(amount: int, unit: str) -> str:
    return f"{amount} {unit}" if amount == 1 else f"{amount} {unit}s"


def duration_text(duration: timedelta) -> str:
    """The two largest units: "2 days, 3 hours", "4 minutes, 10 seconds", "12 seconds"."""
    remaining = max(int(duration.total_seconds()), 0)
    amounts = []
    for unit, size in _UNITS:
        amount, remaining = divmod(remaining, size)
        amounts.append((amount, unit))
    first = next((i for i, (amount, _) in enumerate(amounts) if amount), len(amounts) - 1)
    # The second unit is the next smaller one, left out when it is zero.
    shown = [(a, u) for i, (a, u) in enumerate(amounts[first : first + 2]) if a or i == 0]
    return ", ".join(_plural(amount, unit) for amount, unit in shown)


def period_text(period: timedelta) -> str:
    """A check's period: "1 week", "8 days", "1 hour 30 minutes"."""
    seconds = max(int(period.total_seconds()), 0)
    if seconds and seconds % WEEK == 0:
        return _plural(seconds // WEEK, "week")
    parts = []
    for unit, size in _UNITS:
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(_plural(amount, unit))
    return " ".join(parts) or "0 seconds"


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """How long ago, e.g. "3 hours ago" or "just now"."""
    now = now or timezone.now()
    if now - moment < timedelta(minutes=1):
        return "just now"
    # timesince separates numbers and units with no-break spaces.
    return timesince(moment, now, depth=1).replace("\xa0", " ") + " ago"


def downtime(flip: Flip) -> timedelta | None:
    """For an up flip, how long the check was down (None when unknown)."""
    if flip.new_status != CheckStatus.UP or flip.pk is None or flip.owner.pk is None:
        return None
    previous = (
        Flip.objects.filter(owner_id=flip.owner_id, created__lte=flip.created)
        .exclude(id=flip.id)
        .order_by("-created", "-id")
        .first()
    )
    if previous is None or previous.new_status != CheckStatus.DOWN:
        return None
    return flip.created - previous.created


def reason_text(flip: Flip) -> str:
    """Why a check went down, e.g. "received a failure signal"; "" when unknown."""
    if not flip.reason or flip.reason not in FlipReason.values:
        return ""
    return str(FlipReason(flip.reason).label)


# Pings ---------------------------------------------------------------------------


def ping_kind_label(ping: Ping) -> str:
    """Success, Failure, "Exit status N", Start, Log or Ignored."""
    if ping.kind == PingKind.IGNORED:
        return "Ignored"
    if ping.exitstatus is not None and ping.kind in (PingKind.SUCCESS, PingKind.FAIL):
        return f"Exit status {ping.exitstatus}"
    return {
        PingKind.SUCCESS: "Success",
        PingKind.FAIL: "Failure",
        PingKind.START: "Start",
        PingKind.LOG: "Log",
    }.get(PingKind(ping.kind), "Success")


def last_ping_label(ping: Ping | None, now: datetime | None = None) -> str:
    """The last ping's type and age, e.g. "Success, 3 hours ago"; "Never" for none."""
    if ping is None:
        return "Never"
    return f"{ping_kind_label(ping)}, {relative_time(ping.created, now)}"


def is_email_ping(ping: Ping | None) -> bool:
    return ping is not None and ping.scheme == "email"


def email_subject(body: bytes) -> str:
    """The decoded Subject of an email ping's body ("" when it has none)."""
    try:
        message = email.message_from_bytes(body, policy=email.policy.default)
        return " ".join(str(message.get("Subject", "")).split())
    except Exception:  # a malformed header in mail from the outside
        return ""


# Other checks --------------------------------------------------------------------

OTHER_DOWN_LISTED = 10


@dataclass(frozen=True)
class OtherDownChecks:
    """The other checks of a project that are down."""

    count: int
    # Sorted by name; empty when there are more than OTHER_DOWN_LISTED.
    listed: list[Check]


def other_down_checks(check: Check) -> OtherDownChecks | None:
    """None when the project has no other checks."""
    others = Check.objects.filter(project_id=check.project_id).exclude(code=check.code)
    if not others.exists():
        return None
    down = others.filter(status=CheckStatus.DOWN)
    count = down.count()
    if count > OTHER_DOWN_LISTED:
        return OtherDownChecks(count=count, listed=[])
    listed = sorted(down, key=lambda c: (c.name.lower() or str(c.code), c.id))
    return OtherDownChecks(count=count, listed=listed)

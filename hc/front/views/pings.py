"""The ping details dialog and ping body downloads (web spec §7.7)."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from typing import Any, Final
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from hc.accounts.access import get_check
from hc.api.models import Check, Ping, PingKind
from hc.api.ping_bodies import BodyUnavailable, load_body
from hc.api.run_durations import ping_duration
from hc.front import events
from hc.front.views.details import viewer_tz, zone_choices
from hc.lib.downtime import zone

# Ping.n is a 32-bit column; larger numbers cannot name a ping.
MAX_PING_N: Final = 2**31 - 1
# Email bodies have no size limit; the dialog shows this much of each part.
MAX_SHOWN_CHARS: Final = 1_000_000


# Pings that came through a special endpoint say so in the heading.
_ENDPOINTS: Final = {
    "fail": ("/fail", "text-danger"),
    "start": ("/start", "text-success"),
    "log": ("/log", "text-body-secondary"),
}


@dataclass(frozen=True)
class EmailParts:
    subject: str
    text: str | None
    html: str | None


@dataclass(frozen=True)
class LocalTime:
    tz: str
    text: str


def _decoded(part: Message) -> str | None:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _shown(text: str | None) -> str | None:
    return None if text is None else text[:MAX_SHOWN_CHARS]


def parse_email(body: bytes) -> EmailParts:
    """The subject and the first plain-text and HTML parts of a raw message."""
    try:
        message = email.message_from_bytes(body, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        subject = " ".join(str(message.get("Subject", "")).split())
        plain = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        return EmailParts(
            subject=subject,
            text=None if plain is None else _shown(_decoded(plain)),
            html=None if html is None else _shown(_decoded(html)),
        )
    except Exception:  # mail from the outside may be malformed in any way
        return EmailParts(subject="", text=None, html=None)


def _qualifier(ping: Ping) -> tuple[str, str]:
    """The heading's parenthesised note and its colour class."""
    kind = ping.kind or PingKind.SUCCESS
    if kind == PingKind.IGNORED:
        return "ignored", "text-body-secondary"
    if ping.exitstatus is not None:
        if ping.exitstatus > 0:
            return f"failure, exit status {ping.exitstatus}", "text-danger"
        return "exit status 0", "text-success"
    return _ENDPOINTS.get(kind, ("", ""))


def _local_times(moment: datetime, zones: list[str]) -> list[LocalTime]:
    times = []
    for tz in zones:
        local = moment.astimezone(zone(tz))
        times.append(LocalTime(tz, f"{local:%b} {local.day}, {local:%H:%M}"))
    return times


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "front/ping_details_not_found.html", status=404)


def _details(request: HttpRequest, check: Check, ping: Ping) -> HttpResponse:
    ping.owner = check  # saves load_body a query
    body: bytes | None = None
    unavailable = False
    try:
        body = load_body(ping)
    except BodyUnavailable:
        unavailable = True
    parts = parse_email(body) if body and ping.scheme == "email" else None
    active = None
    if parts is not None:
        active = "html" if parts.html is not None else "text" if parts.text is not None else "raw"
    qualifier, qualifier_class = _qualifier(ping)
    ctx: dict[str, Any] = {
        "check": check,
        "ping": ping,
        "qualifier": qualifier,
        "qualifier_class": qualifier_class,
        "iso_time": ping.created.astimezone(UTC).isoformat(),
        "local_times": _local_times(ping.created, zone_choices(check, viewer_tz(request))),
        "source": events.ping_source(ping),
        "duration": ping_duration(check, ping),
        "body": None if body is None else _shown(body.decode(errors="replace")),
        "truncated": body is not None and len(body) > MAX_SHOWN_CHARS,
        "has_body": bool(body) or bool(ping.object_size),
        "not_uploaded": body is None and bool(ping.object_size) and not unavailable,
        "unavailable": unavailable,
        "email": parts,
        "active": active,
        "download_url": reverse("hc-ping-body", args=[check.code, ping.n]),
    }
    return render(request, "front/ping_details.html", ctx)


@login_required
@require_safe
def ping_details(request: HttpRequest, code: UUID, n: int) -> HttpResponse:
    check, _ = get_check(request, code)
    if n > MAX_PING_N:
        return _not_found(request)
    ping = events.visible_pings(check).filter(n=n).first()
    if ping is None:
        return _not_found(request)
    return _details(request, check, ping)


@login_required
@require_safe
def last_ping(request: HttpRequest, code: UUID) -> HttpResponse:
    """The latest success or failure (starts, logs and ignored pings do not count)."""
    check, _ = get_check(request, code)
    ping = (
        events.visible_pings(check)
        .filter(kind__in=(PingKind.SUCCESS, PingKind.FAIL, ""))
        .order_by("-n")
        .first()
    )
    if ping is None:
        return _not_found(request)
    return _details(request, check, ping)


@login_required
@require_safe
def ping_body(request: HttpRequest, code: UUID, n: int) -> HttpResponse:
    check, _ = get_check(request, code)
    if n > MAX_PING_N:
        return HttpResponse(status=404)
    ping = events.visible_pings(check).filter(n=n).first()
    if ping is None:
        return HttpResponse(status=404)
    ping.owner = check
    try:
        body = load_body(ping)
    except BodyUnavailable:
        return HttpResponse("The body cannot be read right now.", status=503)
    if not body:
        return HttpResponse(status=404)
    response = HttpResponse(body, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{check.code}-{ping.n}.txt"'
    return response

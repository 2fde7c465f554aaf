"""The alert email: headers, the text and HTML bodies and the attachment (spec §3.1)."""

from __future__ import annotations

import email
import email.policy
import textwrap
from dataclasses import dataclass
from datetime import tzinfo
from email.message import EmailMessage, Message
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from hc.accounts.models import Profile, Project
from hc.api.models import Channel, Check, CheckKind, CheckStatus, Flip, Ping, PingKind
from hc.integrations import content
from hc.integrations.email.tokens import unsubscribe_url

BODY_EXCERPT_CHARS = 10000
WRAP_COLUMNS = 80
ATTACHMENT_NAME = "last-ping.eml"

GREEN, RED, GREY = "#1e8a3c", "#d43f3a", "#808080"


def message_id() -> str:
    """A fresh Message-ID in the sender's domain (mail filters frown on others)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class ProjectSummary:
    name: str
    url: str
    down: int


def _recipient(address: str) -> User | None:
    return User.objects.filter(email__iexact=address).order_by("id").first()


def _time_zone(recipient: User | None, project: Project) -> tzinfo:
    """The recipient's zone when the address is a user's, else the project owner's."""
    user_id = recipient.id if recipient is not None else project.owner_id
    name = Profile.objects.filter(user_id=user_id).values_list("tz", flat=True).first()
    return _zone(name or "UTC")


def _projects(user: User) -> list[ProjectSummary]:
    projects = (
        Project.objects.filter(Q(owner=user) | Q(member__user=user))
        .distinct()
        .select_related("owner")
        .order_by("name", "id")
    )
    down = dict(
        Check.objects.filter(project__in=projects, status=CheckStatus.DOWN)
        .values("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
    return [
        ProjectSummary(
            name=str(project),
            url=f"{settings.SITE_ROOT}/projects/{project.code}/checks/",
            down=down.get(project.id, 0),
        )
        for project in projects
    ]


def _ping_colour(ping: Ping) -> str:
    if ping.kind in (PingKind.IGNORED, PingKind.LOG):
        return GREY
    if ping.exitstatus is not None and ping.kind in (PingKind.SUCCESS, PingKind.FAIL):
        return RED if ping.exitstatus > 0 else GREEN
    return RED if ping.kind == PingKind.FAIL else GREEN


def _ping_label(ping: Ping) -> str:
    return "Started" if ping.kind == PingKind.START else content.ping_kind_label(ping)


def _ping_facts(ping: Ping | None, body: bytes | None, check: Check) -> dict[str, Any]:
    if ping is None:
        return {"ping": None}
    facts: dict[str, Any] = {
        "ping": ping,
        "ping_time": content.relative_time(ping.created),
        "ping_label": _ping_label(ping),
        "ping_colour": _ping_colour(ping),
        "body": None,
        "body_pending": False,
        "body_attached": False,
    }
    if not body:
        facts["body_pending"] = body is None and bool(ping.object_size)
        return facts
    if content.is_email_ping(ping):
        facts["subject"] = content.email_subject(body)
        facts["body_attached"] = True
        return facts
    text = body.decode(errors="replace")
    excerpt = text[-BODY_EXCERPT_CHARS:]
    facts.update(
        body=excerpt,
        body_wrapped="\n".join(
            textwrap.fill(line, WRAP_COLUMNS, replace_whitespace=False) if line else ""
            for line in excerpt.splitlines()
        ),
        body_total=len(text),
        body_truncated=len(text) > len(excerpt),
        body_url=f"{content.cloaked_url(check)}#ping-{ping.n}",
    )
    return facts


def _context(
    channel: Channel, flip: Flip, address: str, ping: Ping | None, body: bytes | None
) -> dict[str, Any]:
    check = flip.owner
    project = check.project
    recipient = _recipient(address)
    tz = _time_zone(recipient, project)
    created = timezone.localtime(check.created, tz)
    downtime = content.downtime(flip)
    context: dict[str, Any] = {
        "check": check,
        "name": str(check),
        "status": flip.new_status.upper(),
        "is_down": flip.new_status == CheckStatus.DOWN,
        "reason": content.reason_text(flip),
        "downtime": None if downtime is None else content.duration_text(downtime),
        "site_name": settings.SITE_NAME,
        "cloaked_url": content.cloaked_url(check),
        "project_name": project.name,
        "project_label": str(project),
        "tags": check.tags.split(),
        "is_simple": check.kind == CheckKind.SIMPLE,
        "period": content.period_text(check.timeout),
        "total_pings": ping.n if ping is not None else 0,
        "since": f"{created:%b} {created.day}, {created.year}",
        "changed_at": format_datetime(timezone.localtime(flip.created, tz)),
        "projects": _projects(recipient) if recipient is not None else [],
        "unsubscribe_url": unsubscribe_url(channel),
        "green": GREEN,
        "red": RED,
        "grey": GREY,
    }
    context.update(_ping_facts(ping, body, check))
    return context


def _render(name: str, context: dict[str, Any]) -> str:
    # No-break spaces are for browsers; mail clients render them oddly in text.
    return render_to_string(name, context).strip().replace("\xa0", " ")


def clean_eml(raw: bytes) -> Message:
    """A received message made safe to attach.

    Nested messages are dropped (they may be huge and are rarely what a
    reader wants), and text parts are re-encoded so that every line is
    short and the transfer encoding matches the content.
    """
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    for part in message.walk():
        if part.is_multipart():
            kept: list[Message | str] = [
                p for p in part.iter_parts() if p.get_content_type() != "message/rfc822"
            ]
            part.set_payload(kept)
        elif part.get_content_maintype() == "text":
            try:
                text = part.get_content()
            except (LookupError, UnicodeError):
                continue
            disposition = part.get("Content-Disposition")
            part.set_content(text, subtype=part.get_content_subtype(), cte="quoted-printable")
            if disposition is not None:
                part["Content-Disposition"] = disposition
    return message


def build_alert(
    channel: Channel, flip: Flip, address: str, ping: Ping | None
) -> EmailMultiAlternatives:
    body = content.ping_body(ping)
    context = _context(channel, flip, address, ping, body)
    message = EmailMultiAlternatives(
        subject=_one_line(f"{context['status']} | {context['name']}"),
        body=_render("integrations/email/alert.txt", context) + "\n",
        to=[address],
        headers={
            "Message-ID": message_id(),
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(_render("integrations/email/alert.html", context), "text/html")
    if context.get("body_attached") and body:
        message.attach(ATTACHMENT_NAME, clean_eml(body), "message/rfc822")
    return message

"""Periodic reports and reminder ("nag") emails (monitoring §6.4, web §12.6-12.7).

Both cover every check in every project the user can see, and both are
skipped for accounts whose checks have all been silent for 180 days.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from hc.accounts.models import Profile, Project, ReportFrequency
from hc.accounts.unsubscribe import unsubscribe_url
from hc.api.models import Check, Flip, Status
from hc.lib import emails
from hc.lib.downtime import (
    DowntimeRecord,
    day_boundaries,
    downtime_records,
    format_duration,
    month_boundaries,
    week_boundaries,
    zone,
)

logger = logging.getLogger(__name__)

# An account whose checks have all been silent this long is not mailed.
SILENCE_LIMIT = timedelta(days=180)

_BOUNDARIES = {
    ReportFrequency.MONTHLY: month_boundaries,
    ReportFrequency.WEEKLY: week_boundaries,
    ReportFrequency.DAILY: day_boundaries,
}


@dataclass(frozen=True)
class Cell:
    """A check's downtime in one period; empty text when it did not exist yet."""

    column: str
    text: str


@dataclass
class Row:
    """One check as shown in a report or reminder."""

    check: Check
    status: Status
    name: str
    cells: list[Cell]
    last_ping: str
    url: str
    # Downtime in the most recent complete period (reports only).
    downtime: timedelta = timedelta()
    events: int = 0

    @property
    def status_label(self) -> str:
        return self.status.label.upper()

    @property
    def name_html(self) -> SafeString:
        # Mail clients turn "backup.example.com" into a link; a markup
        # break between the dots stops them.
        return mark_safe(escape(self.name).replace(".", "<span>.</span>"))


@dataclass
class Group:
    project: Project
    rows: list[Row]


def send_report(profile: Profile, now: datetime) -> bool:
    """Mail the periodic report; False when there was nothing to send.

    Raises emails.EmailError when the message could not be delivered.
    """
    frequency = ReportFrequency(profile.reports)
    if frequency == ReportFrequency.OFF:
        return False
    checks = _accessible_checks(profile.user)
    if not _recently_pinged(checks, now):
        return False

    tz = zone(profile.tz)
    # The current, incomplete period and the two complete ones before it.
    boundaries = _BOUNDARIES[frequency](now, tz, 3)
    flips = _flips_by_check(checks, after=boundaries[-1])
    columns = [_column(boundaries[2], frequency), _column(boundaries[1], frequency)]
    rows = []
    for check in checks:
        records = downtime_records(
            boundaries,
            created=check.created,
            status=check.status,
            flips=flips[check.id],
            now=now,
        )
        row = _row(check, now, tz)
        row.cells = [Cell(columns[0], _cell(records[2])), Cell(columns[1], _cell(records[1]))]
        row.downtime = records[1].duration
        row.events = records[1].count
        rows.append(row)
    rows.sort(key=lambda r: (-r.downtime, natural_key(r.name), r.check.id))

    latest = boundaries[1]
    with_events = [r for r in rows if r.events]
    context = {
        "frequency": frequency,
        "groups": _groups(rows),
        "columns": columns,
        "period": _period(latest, boundaries[0], frequency),
        "checks_with_events": len(with_events),
        "events": sum(r.events for r in with_events),
    }
    _send(profile, f"{frequency.label} Report", "report", context)
    return True


def send_nag(profile: Profile, now: datetime) -> bool:
    """Mail a reminder listing the checks that are down; False when none is."""
    checks = _accessible_checks(profile.user)
    if not _recently_pinged(checks, now):
        return False
    tz = zone(profile.tz)
    rows = [_row(check, now, tz) for check in checks if check.get_status(now=now) == Status.DOWN]
    if not rows:
        return False
    rows.sort(key=lambda r: (natural_key(r.name), r.check.id))
    count = len(rows)
    reminders = {timedelta(hours=1): "an hourly reminder", timedelta(days=1): "a daily reminder"}
    context = {
        "groups": _groups(rows),
        "count": count,
        "reminder": reminders.get(profile.nag_period, "a reminder"),
    }
    subject = f"Reminder: {count} check{'s' if count != 1 else ''} still down"
    _send(profile, subject, "nag", context)
    return True


def natural_key(name: str) -> list[int | str]:
    """Sort key putting "job 9" before "job 10"."""
    # re.split with a group alternates text and digits, so the types line up.
    return [int(part) if i % 2 else part.lower() for i, part in enumerate(re.split(r"(\d+)", name))]


# Gathering ---------------------------------------------------------------------


def _accessible_checks(user: User) -> list[Check]:
    projects = Project.objects.filter(Q(owner=user) | Q(member__user=user)).values("id")
    return list(
        Check.objects.filter(project_id__in=projects)
        .select_related("project")
        .order_by("project__name", "project_id", "id")
    )


def _recently_pinged(checks: Iterable[Check], now: datetime) -> bool:
    cutoff = now - SILENCE_LIMIT
    return any(c.last_ping is not None and c.last_ping >= cutoff for c in checks)


def _flips_by_check(checks: Sequence[Check], after: datetime) -> dict[int, list[Flip]]:
    project_ids = {c.project_id for c in checks}
    result: dict[int, list[Flip]] = defaultdict(list)
    flips = Flip.objects.filter(owner__project_id__in=project_ids, created__gt=after).only(
        "owner_id", "created", "old_status"
    )
    for flip in flips:
        result[flip.owner_id].append(flip)
    return result


def _groups(rows: list[Row]) -> list[Group]:
    """Rows grouped by project, projects by name then id, rows keeping their order."""
    by_project: dict[int, Group] = {}
    for row in rows:
        project = row.check.project
        by_project.setdefault(project.id, Group(project, [])).rows.append(row)
    return sorted(by_project.values(), key=lambda g: (g.project.name, g.project.id))


# Presentation ------------------------------------------------------------------


def _row(check: Check, now: datetime, tz: tzinfo) -> Row:
    last_ping = "Never"
    if check.last_ping:
        last_ping = timesince(check.last_ping, now) + " ago"
    # No UUIDs in these emails: an unnamed check is just "unnamed".
    return Row(
        check=check,
        status=check.get_status(now=now),
        name=check.name or "unnamed",
        cells=[],
        last_ping=last_ping,
        url=f"{settings.SITE_ROOT}/cloaked/{check.unique_key}/",
    )


def _cell(record: DowntimeRecord) -> str:
    if record.no_data:
        return ""
    if record.count == 0:
        return "All good!"
    noun = "downtime" if record.count == 1 else "downtimes"
    return f"{record.count} {noun}, {format_duration(record.duration)} total"


def _day(moment: datetime) -> str:
    return f"{moment:%b} {moment.day}"


def _column(start: datetime, frequency: ReportFrequency) -> str:
    if frequency == ReportFrequency.MONTHLY:
        return f"{start:%B %Y}"
    if frequency == ReportFrequency.WEEKLY:
        return f"{_day(start)} - {_day(start + timedelta(days=6))}"
    return f"{start:%a}, {_day(start)}"


def _period(start: datetime, end: datetime, frequency: ReportFrequency) -> str:
    """The most recent complete period, as the summary sentence opens."""
    if frequency == ReportFrequency.MONTHLY:
        return f"In {start:%B}"
    if frequency == ReportFrequency.WEEKLY:
        last_day = end.date() - timedelta(days=1)
        return f"Last week ({_day(start)} to {last_day:%b} {last_day.day})"
    return f"Yesterday ({_day(start)})"


def _send(profile: Profile, subject: str, template: str, context: dict[str, Any]) -> None:
    user = profile.user
    url = unsubscribe_url(user)
    context = {
        **context,
        "site_name": settings.SITE_NAME,
        "site_root": settings.SITE_ROOT,
        "site_logo_url": settings.SITE_LOGO_URL,
        "unsubscribe_url": url,
        "subject": subject,
    }
    text = render_to_string(f"accounts/emails/{template}.txt", context)
    html = render_to_string(f"accounts/emails/{template}.html", context)
    sender: str = settings.DEFAULT_FROM_EMAIL
    domain = sender.rpartition("@")[2].strip("> ") or None
    message = EmailMultiAlternatives(
        subject=subject,
        # Non-breaking spaces (from timesince) do not belong in plain text.
        body=text.replace("\xa0", " "),
        from_email=sender,
        to=[user.email],
        headers={
            "Message-ID": make_msgid(domain=domain),
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    emails.send(message, bounce_id=f"r.{user.username}")

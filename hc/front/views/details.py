"""The check details page and its live status JSON (web spec §7.1-§7.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_safe

from hc.accounts.access import get_check
from hc.accounts.activity import do_note_visit, remember_project
from hc.accounts.models import Profile, Project
from hc.api.models import Channel, Check, CheckKind, Flip, Status
from hc.api.ping_log import ping_log_limit
from hc.api.services.check_edits import checks_used, do_set_show_slugs
from hc.front import events, usage_examples
from hc.front.kind_icons import icon_class
from hc.front.ping_addresses import ping_email, ping_url, uuid_url
from hc.front.usage_examples import crontab_schedule
from hc.front.views.checks import name_modal_context
from hc.front.views.schedules import schedule_modal_context
from hc.lib.downtime import (
    downtime_records,
    format_duration,
    format_uptime,
    month_boundaries,
    zone,
)

DOWNTIME_MONTHS = 3
DASH = "\u2013"


@dataclass(frozen=True)
class ChannelRow:
    channel: Channel
    enabled: bool
    icon: str
    name: str
    toggle_url: str


@dataclass(frozen=True)
class DowntimeRow:
    label: str
    no_data: bool
    count: int
    total: str
    uptime: str


# Shared pieces --------------------------------------------------------------------


def viewer_tz(request: HttpRequest) -> str:
    profile = getattr(request.user, "profile", None)
    return profile.tz if isinstance(profile, Profile) and profile.tz else "UTC"


def zone_choices(check: Check, profile_tz: str) -> list[str]:
    """The time zone switcher's buttons: UTC, the viewer's, the schedule's (§7.4)."""
    zones = ["UTC"]
    if profile_tz not in zones:
        zones.append(profile_tz)
    if check.kind != CheckKind.SIMPLE and check.tz not in zones:
        zones.append(check.tz)
    return zones


def page_title(check: Check, status: Status) -> str:
    prefix = f"DOWN {DASH} " if status == Status.DOWN else ""
    return f"{prefix}{check} {DASH} {settings.SITE_NAME}"


def is_running(check: Check, now: datetime) -> bool:
    return check.last_start is not None and now < check.last_start + check.grace


def downtime_rows(check: Check, tz: str, now: datetime) -> list[DowntimeRow]:
    """This month and the two before it, in the viewer's time zone."""
    boundaries = month_boundaries(now, zone(tz), DOWNTIME_MONTHS)
    flips = Flip.objects.filter(owner=check, created__gt=boundaries[-1]).only(
        "created", "old_status"
    )
    records = downtime_records(
        boundaries, created=check.created, status=check.status, flips=flips, now=now
    )
    return [
        DowntimeRow(
            # The boundary is in the viewer's zone: format it as it is.
            label=dateformat.format(r.boundary, "N Y"),
            no_data=r.no_data,
            count=r.count,
            total=format_duration(r.duration) if r.count else "",
            uptime=format_uptime(r),
        )
        for r in records
    ]


def status_context(check: Check, rw: bool, now: datetime) -> dict[str, Any]:
    """What templates/front/details_status.html needs."""
    status = check.get_status(now=now)
    running = is_running(check, now)
    return {
        "check": check,
        "status": status,
        "running": running,
        "run_time": now - check.last_start if running and check.last_start else None,
        "rw": rw,
        "has_pings": check.n_pings > 0,
    }


def events_page_context(rows: list[events.Row], zones: list[str], now: datetime) -> dict[str, Any]:
    """What templates/front/event_rows.html needs besides the rows."""
    default_tz = zones[-1]
    return {
        "events": rows,
        "default_tz": default_tz,
        "this_year": str(now.astimezone(zone(default_tz)).year),
    }


def pings_url(check: Check) -> str:
    """The ping details URL without the number: rows add "<n>/" in the browser."""
    return reverse("hc-ping-details", args=[check.code, 1]).removesuffix("1/")


def _recent_events(
    check: Check, zones: list[str], now: datetime, log_limit: int | None = None
) -> dict[str, Any]:
    rows = events.check_events(check, events.DETAILS_LIMIT, log_limit=log_limit)
    ctx = events_page_context(rows, zones, now)
    # The list holds the newest ping and the newest flip, if any.
    ctx["updated"] = events.format_ts(rows[0].created) if rows else "1"
    return ctx


# The page ---------------------------------------------------------------------------


def _channel_rows(check: Check, project: Project) -> list[ChannelRow]:
    channels = list(Channel.objects.filter(project=project).order_by("created", "id"))
    assigned = set(check.channel_set.values_list("id", flat=True))
    return [
        ChannelRow(
            channel=ch,
            enabled=ch.id in assigned,
            icon=icon_class(ch.kind),
            name=events.channel_display_name(ch),
            toggle_url=reverse("hc-switch-channel", args=[check.code, ch.code]),
        )
        for ch in channels
    ]


@dataclass(frozen=True)
class OwnerLimits:
    ping_log_limit: int | None
    check_limit: int | None


def _owner_limits(project: Project) -> OwnerLimits:
    found = (
        Profile.objects.filter(user_id=project.owner_id)
        .values_list("ping_log_limit", "check_limit")
        .first()
    )
    return OwnerLimits(*found) if found else OwnerLimits(None, None)


def _can_copy(project: Project, limits: OwnerLimits) -> bool:
    return limits.check_limit is None or checks_used(project.owner_id) < limits.check_limit


def _switch_url_style(request: HttpRequest, project: Project, rw: bool) -> None:
    """`?urls=uuid|slug` switches the project's ping URL style (§6.11), rw only."""
    style = request.GET.get("urls")
    if rw and style in ("uuid", "slug"):
        do_set_show_slugs(project, style == "slug")


@login_required
@require_safe
def details(request: HttpRequest, code: UUID) -> HttpResponse:
    check, access = get_check(request, code)
    project = check.project
    if "urls" in request.GET:
        _switch_url_style(request, project, access.rw)
        return redirect("hc-details", check.code)

    assert isinstance(request.user, User)  # behind login_required
    do_note_visit(request, request.user)
    remember_project(request, project)

    now = timezone.now()
    tz = viewer_tz(request)
    zones = zone_choices(check, tz)
    channels = _channel_rows(check, project)
    limits = _owner_limits(project)
    cron, cron_hint = crontab_schedule(check)
    url = ping_url(check, project)
    ctx: dict[str, Any] = {
        "project": project,
        "page": "checks",
        "rw": access.rw,
        "check": check,
        "ping_url": url,
        # Without a slug in slug mode, the examples fall back to the UUID URL.
        "example_url": url or uuid_url(check),
        "usage_tabs": usage_examples.TABS,
        "ping_email": ping_email(check, project),
        "show_slugs": project.show_slugs,
        "needs_ping_key": project.show_slugs and not project.ping_key,
        "channels": [c for c in channels if c.channel.kind != "group"],
        "groups": [c for c in channels if c.channel.kind == "group"],
        "downtimes": downtime_rows(check, tz, now),
        "zones": zones,
        "copied": request.GET.get("copied") == "1",
        "can_copy": access.rw and _can_copy(project, limits),
        "cron_schedule": cron,
        "schedule_hint": cron_hint,
        "timeout_seconds": int(check.timeout.total_seconds()),
        "grace_seconds": int(check.grace.total_seconds()),
        "pings_url": pings_url(check),
        **status_context(check, access.rw, now),
        **_recent_events(check, zones, now, limits.ping_log_limit),
    }
    ctx["title"] = page_title(check, ctx["status"])
    if access.rw:
        ctx.update(name_modal_context(project))
        ctx.update(schedule_modal_context(project))
    return render(request, "front/details.html", ctx)


def _updated(check: Check, log_limit: int) -> str:
    """The newest event's timestamp: "1" when the check has no events."""
    newest = events.newest_event_time(check, log_limit)
    return "1" if newest is None else events.format_ts(newest)


# Live updates ---------------------------------------------------------------------


def _forbidden_json() -> JsonResponse:
    return JsonResponse({"error": "not logged in"}, status=403)


@require_safe
def status(request: HttpRequest, code: UUID) -> HttpResponse:
    """§7.4: the status always; events and downtimes only when they changed."""
    if not request.user.is_authenticated:
        return _forbidden_json()
    check, access = get_check(request, code)
    now = timezone.now()
    ctx = status_context(check, access.rw, now)
    log_limit = ping_log_limit(check.project)
    updated = _updated(check, log_limit)
    data: dict[str, Any] = {
        "status": ctx["status"].value,
        "status_text": render_to_string("front/details_status.html", ctx, request=request),
        "title": page_title(check, ctx["status"]),
        "updated": updated,
        "started": ctx["running"],
    }
    if request.GET.get("u") != updated:
        tz = viewer_tz(request)
        zones = zone_choices(check, tz)
        data["events"] = render_to_string(
            "front/event_rows.html", _recent_events(check, zones, now, log_limit), request
        )
        data["downtimes"] = render_to_string(
            "front/downtimes.html", {"downtimes": downtime_rows(check, tz, now)}, request
        )
    return JsonResponse(data)

"""The event log page and its rows fragment (web spec §8)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from hc.accounts.access import get_check
from hc.accounts.activity import do_note_visit, remember_project
from hc.front import events
from hc.front.views.details import events_page_context, pings_url, viewer_tz, zone_choices

# Unix timestamps in `u` and `end` start here; the upper end follows the
# clock (upstream's fixed 2030 limit would break the page in 2030).
MIN_TS: Final = datetime(2010, 1, 1, tzinfo=UTC).timestamp()
MAX_AHEAD: Final = timedelta(days=1)


PING_FILTERS: Final = (
    ("success", "Success"),
    ("fail", "Failure"),
    ("start", "Started"),
    ("log", "Log"),
    ("ign", "Ignored ping"),
)


class BadTimestamp(ValueError):
    pass


def parse_timestamp(raw: str, now: datetime) -> datetime:
    """A Unix timestamp from the query string; BadTimestamp when out of range."""
    try:
        value = float(raw)
    except ValueError:
        raise BadTimestamp(raw) from None
    if not math.isfinite(value) or not MIN_TS <= value <= (now + MAX_AHEAD).timestamp():
        raise BadTimestamp(raw)
    return events.parse_ts(value)


def _filters(query: QueryDict, now: datetime) -> events.Filters:
    """The checkbox filters (absent = off) and the `end` / `u` bounds."""
    bounds: dict[str, datetime] = {}
    for name in ("end", "u"):
        raw = query.get(name)
        if raw is not None:
            bounds[name] = parse_timestamp(raw, now)
    return events.Filters(
        kinds=frozenset(k for k in events.PING_KINDS if query.get(k) == "on"),
        flips=query.get("flip") == "on",
        notifications=query.get("notification") == "on",
        end=bounds.get("end"),
        after=bounds.get("u"),
    )


def _newest(rows: list[events.Row]) -> str:
    return events.format_ts(rows[0].created) if rows else ""


@login_required
@require_safe
def log(request: HttpRequest, code: UUID) -> HttpResponse:
    check, access = get_check(request, code)
    project = check.project
    assert isinstance(request.user, User)  # behind login_required
    do_note_visit(request, request.user)
    remember_project(request, project)

    now = timezone.now()
    zones = zone_choices(check, viewer_tz(request))
    rows = events.check_events(check, events.LOG_LIMIT, events.Filters())
    oldest = events.oldest_visible(check)
    start = check.created if oldest is None else max(check.created, oldest.created)
    start = min(start, now)
    ctx: dict[str, Any] = {
        "project": project,
        "page": "checks",
        "rw": access.rw,
        "check": check,
        "zones": zones,
        "oldest": oldest,
        "slider_start": start,
        # At least a second apart, or the range input has nowhere to go.
        "slider_min": min(int(start.timestamp()), int(now.timestamp()) - 1),
        "slider_max": int(now.timestamp()),
        "last_event": _newest(rows) or events.format_ts(now),
        "limit": events.LOG_LIMIT,
        "ping_filters": PING_FILTERS,
        **events_page_context(rows, zones, now),
        "pings_url": pings_url(check),
    }
    return render(request, "front/log.html", ctx)


@require_safe
def log_events(request: HttpRequest, code: UUID) -> HttpResponse:
    """Rows for the chosen filters; with `u`, only the rows newer than it."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "not logged in"}, status=403)
    check, _ = get_check(request, code)
    now = timezone.now()
    try:
        filters = _filters(request.GET, now)
    except BadTimestamp:
        return HttpResponseBadRequest("u and end must be Unix timestamps from 2010 until now.")
    rows = events.check_events(check, events.LOG_LIMIT, filters)
    zones = zone_choices(check, viewer_tz(request))
    response = render(request, "front/event_rows.html", events_page_context(rows, zones, now))
    if rows:
        response["X-Last-Event-Timestamp"] = _newest(rows)
    return response

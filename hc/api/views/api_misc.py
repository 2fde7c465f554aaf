"""Management API: pings, ping bodies, flips, status and metrics.

Wire contract: management-api.md §6.8-§6.10, §6.13 and §7.2; the visible-ping
window is monitoring.md §8.1.
"""

from __future__ import annotations

import hmac
import re
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Max, QuerySet
from django.db.models.functions import Length
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    JsonResponse,
)
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from hc.api.access import ApiRequest, api_view
from hc.api.models import Check, CheckStatus, Flip, Notification, Ping
from hc.api.ping_bodies import BodyUnavailable, load_body
from hc.api.ping_log import ping_log_limit
from hc.api.run_durations import run_durations

# The listing never returns more than this, whatever the owner's limit.
MAX_LISTED_PINGS = 1000
# Ping.n is a 32-bit column; larger numbers cannot name a ping.
MAX_PING_N = 2**31 - 1
FLIP_PARAM_LIMITS = {"seconds": 31536000, "start": 10000000000, "end": 10000000000}
_DIGITS = re.compile(r"[0-9]+")


# Shared lookups ------------------------------------------------------------------


def _check_by_code(request: ApiRequest, code: str) -> Check | HttpResponse:
    """The addressed check, or 404 (unknown) / 403 (another project), both empty."""
    check = Check.objects.filter(code=code).first()
    if check is None:
        return HttpResponseNotFound()
    if check.project_id != request.project.id:
        return HttpResponseForbidden()
    return check


# Pings -----------------------------------------------------------------------------


def _durations(check: Check, pings: Sequence[Ping]) -> dict[int, float]:
    """Run durations in seconds, two decimals, by ping n (listing newest first)."""
    found = run_durations(check, pings, complete=True, all_or_nothing=True)
    return {n: round(delta.total_seconds(), 2) for n, delta in found.items()}


def _ping_dict(
    ping: Ping, body_len: int | None, check: Check, version: int, duration: float | None
) -> dict[str, Any]:
    has_body = bool(body_len) or bool(ping.object_size)
    body_url = None
    if has_body:
        body_url = f"{settings.SITE_ROOT}/api/v{version}/checks/{check.code}/pings/{ping.n}/body"
    result: dict[str, Any] = {
        "type": ping.kind,
        # isoformat() drops the fraction when it is zero, as the contract wants.
        "date": ping.created.astimezone(UTC).isoformat(),
        "n": ping.n,
        "scheme": ping.scheme,
        # Clients require a string; rows migrated from elsewhere may lack the address.
        "remote_addr": ping.remote_addr or "",
        "method": ping.method,
        "ua": ping.ua,
        "rid": None if ping.rid is None else str(ping.rid),
        "body_url": body_url,
    }
    if duration is not None:
        result["duration"] = duration
    return result


@api_view({"GET": "write"})
def pings(request: ApiRequest, code: str) -> HttpResponse:
    check = _check_by_code(request, code)
    if isinstance(check, HttpResponse):
        return check
    limit = max(0, min(ping_log_limit(request.project), MAX_LISTED_PINGS))
    # Filtering on n (not just the owner) lets the (owner, n) index do the work,
    # and hides pings outside the visible window that pruning has not removed yet.
    queryset = (
        Ping.objects.filter(owner=check, n__gt=check.n_pings - limit)
        .defer("body_raw")
        .annotate(body_len=Length("body_raw"))
        .order_by("-n")
    )
    listed = list(queryset[:limit])
    durations = _durations(check, listed)
    items = [
        _ping_dict(ping, ping.body_len, check, request.version, durations.get(ping.n))
        for ping in listed
    ]
    return JsonResponse({"pings": items})


@api_view({"GET": "write"})
def ping_body(request: ApiRequest, code: str, n: str) -> HttpResponse:
    check = _check_by_code(request, code)
    if isinstance(check, HttpResponse):
        return check
    # int() refuses strings of over 4300 digits: count the significant ones first.
    digits = n.lstrip("0") or "0"
    number = int(digits) if len(digits) <= 10 else MAX_PING_N + 1
    if number > MAX_PING_N or number <= check.n_pings - ping_log_limit(request.project):
        return HttpResponseNotFound()
    ping = Ping.objects.filter(owner=check, n=number).first()
    if ping is None:
        return HttpResponseNotFound()
    ping.owner = check  # saves load_body a query
    try:
        body = load_body(ping)
    except BodyUnavailable:
        return HttpResponse(status=503)
    if not body:
        return HttpResponseNotFound()
    return HttpResponse(body, content_type="text/plain")


# Flips -----------------------------------------------------------------------------


def _flip_filters(query: dict[str, str]) -> dict[str, int] | None:
    """The valid integer filters of a flips query, or None if any is invalid."""
    values: dict[str, int] = {}
    for name, maximum in FLIP_PARAM_LIMITS.items():
        raw = query.get(name)
        # An empty value means "not given", as upstream's optional form fields do.
        if not raw:
            continue
        if not _DIGITS.fullmatch(raw):
            return None
        digits = raw.lstrip("0") or "0"
        if len(digits) > len(str(maximum)) or int(digits) > maximum:
            return None
        values[name] = int(digits)
    return values


def _flips_response(request: ApiRequest, check: Check) -> HttpResponse:
    filters = _flip_filters(request.http.GET.dict())
    if filters is None:
        return HttpResponseBadRequest()
    flips: QuerySet[Flip] = Flip.objects.filter(owner=check)
    if filters.get("seconds"):
        flips = flips.filter(created__gte=timezone.now() - timedelta(seconds=filters["seconds"]))
    if "start" in filters:
        flips = flips.filter(created__gte=datetime.fromtimestamp(filters["start"], UTC))
    if "end" in filters:
        flips = flips.filter(created__lt=datetime.fromtimestamp(filters["end"], UTC))
    items = [
        {
            "timestamp": created.astimezone(UTC).replace(microsecond=0).isoformat(),
            "up": 1 if new_status == CheckStatus.UP else 0,
        }
        for created, new_status in flips.order_by("-created", "-id").values_list(
            "created", "new_status"
        )
    ]
    return JsonResponse({"flips": items})


@api_view({"GET": "read"})
def flips_by_code(request: ApiRequest, code: str) -> HttpResponse:
    check = _check_by_code(request, code)
    if isinstance(check, HttpResponse):
        return check
    return _flips_response(request, check)


@api_view({"GET": "read"})
def flips_by_unique_key(request: ApiRequest, unique_key: str) -> HttpResponse:
    check = Check.objects.filter(project=request.project).by_unique_key(unique_key)
    if check is None:
        return HttpResponseNotFound()
    return _flips_response(request, check)


# Status and operator metrics (no API key, no CORS) ----------------------------------


@csrf_exempt
@require_safe
def status(request: HttpRequest, v: str) -> HttpResponse:
    """For uptime monitors: OK when the database answers (errors become a 500)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("OK", content_type="text/plain; charset=utf-8")


def _metrics_key_ok(request: HttpRequest) -> bool:
    expected = settings.METRICS_KEY
    if not expected:
        return False
    presented = request.META.get("HTTP_X_METRICS_KEY", "")
    return hmac.compare_digest(presented.encode(), expected.encode())


@csrf_exempt
@require_safe
def metrics(request: HttpRequest, v: str) -> HttpResponse:
    if not _metrics_key_ok(request):
        return HttpResponseForbidden()
    data = {
        "ts": int(time.time()),
        "max_ping_id": Ping.objects.aggregate(value=Max("id"))["value"],
        "max_notification_id": Notification.objects.aggregate(value=Max("id"))["value"],
        "num_unprocessed_flips": Flip.objects.filter(processed=None).count(),
    }
    return JsonResponse(data)

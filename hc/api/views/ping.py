"""The Pinging API: HTTP endpoints under /ping/ (spec ping-api.md).

Views only parse the request into a Signal and turn the service's result into
the exact responses existing clients (runitor, healthchecks-io, curl) expect.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt

from hc.api.models import PingKind
from hc.api.services.pings import ByCode, BySlug, Outcome, Signal, do_record_ping
from hc.lib.ip import client_ip

RID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
URL_KINDS = {
    "": PingKind.SUCCESS,
    "start": PingKind.START,
    "fail": PingKind.FAIL,
    "log": PingKind.LOG,
}
# Error bodies must never contain "not found" or "rate limited" unless meant:
# the healthchecks-io client looks for those phrases in any response.
ERROR_STATUS = {
    Outcome.NOT_FOUND: 404,
    Outcome.AMBIGUOUS: 409,
    Outcome.INVALID: 400,
}


def _clean(value: str, limit: int) -> str:
    # PostgreSQL text cannot hold NUL characters.
    return value.replace("\x00", "")[:limit]


def _signal(request: HttpRequest, action: str) -> Signal:
    error = None
    exitstatus = None
    if action.isdigit():
        # Leading zeros are allowed (/007 is 7). Count the significant digits
        # first: int() refuses strings of more than 4300 digits.
        digits = action.lstrip("0") or "0"
        exitstatus = int(digits) if len(digits) <= 3 else 256
        kind = PingKind.SUCCESS if exitstatus == 0 else PingKind.FAIL
        if exitstatus > 255:
            error, exitstatus = "invalid url format", None
    else:
        kind = URL_KINDS[action]

    rid = None
    if "rid" in request.GET:
        value = request.GET["rid"]  # the last one, when repeated
        if RID_RE.fullmatch(value):
            rid = uuid.UUID(value)
        else:
            error = error or "invalid uuid format"

    try:
        body = request.body
    except RequestDataTooBig:
        body, error = b"", error or "request body too large"
    if settings.PING_BODY_LIMIT is not None:
        body = body[: settings.PING_BODY_LIMIT]

    meta = request.META
    scheme = meta.get("HTTP_X_FORWARDED_PROTO") or request.scheme or "http"
    return Signal(
        kind=kind,
        method=_clean(request.method or "", 10),
        scheme=_clean(scheme, 10),
        remote_addr=client_ip(meta),
        ua=_clean(meta.get("HTTP_USER_AGENT", ""), 200),
        body=body,
        exitstatus=exitstatus,
        rid=rid,
        error=error,
    )


def _text(body: str, status: int) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    add_never_cache_headers(response)
    return response


def _respond(request: HttpRequest, target: ByCode | BySlug, action: str) -> HttpResponse:
    result = do_record_ping(target, _signal(request, action))
    if result.outcome in ERROR_STATUS:
        return _text(result.error or result.outcome.value, ERROR_STATUS[result.outcome])
    created = result.outcome == Outcome.CREATED
    response = _text("Created", 201) if created else _text("OK", 200)
    if settings.PING_BODY_LIMIT is not None:
        response["Ping-Body-Limit"] = str(settings.PING_BODY_LIMIT)
    return response


@csrf_exempt
def ping_by_code(request: HttpRequest, code: str, action: str = "") -> HttpResponse:
    return _respond(request, ByCode(uuid.UUID(code)), action)


@csrf_exempt
def ping_by_slug(request: HttpRequest, ping_key: str, slug: str, action: str = "") -> HttpResponse:
    # Checked before any lookup, so even a wrong ping key gets this answer.
    if slug.lower() != slug:
        return _text("invalid url format", 400)
    create = request.GET.get("create") == "1"
    return _respond(request, BySlug(ping_key, slug, create), action)

"""Management API: pings, ping bodies, flips, channels, status and metrics."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponse(status=501)


pings = ping_body = flips_by_code = flips_by_unique_key = channels = status = metrics = _todo

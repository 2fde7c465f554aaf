"""Prometheus exporter: a project's checks in the text exposition format."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponse(status=501)


metrics = metrics_bearer = _todo

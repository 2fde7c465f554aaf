"""Management API: checks (list, get, create, update, pause, resume, delete)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponse(status=501)


checks = single = single_by_unique_key = pause = resume = _todo

"""Badges: public SVG/JSON/shields.io images, and the API's badge list."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponse(status=501)


badge = check_badge = badges_list = _todo

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    """Keep crawlers away from ping URLs and dashboards."""
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")

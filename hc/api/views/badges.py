"""Badges: public SVG/JSON/shields.io images, and the API's badge list.

Public badges (management-api §8) need no authentication: a project badge URL
carries a signature of its tag, a check badge URL the check's own badge UUID.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    JsonResponse,
)
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt

from hc.accounts.models import Project
from hc.api.access import ApiRequest, add_cors, api_view
from hc.api.models import Check, Status
from hc.lib.badges import (
    ALL_CHECKS,
    BadgeCounts,
    badge_urls,
    is_two_state,
    render_svg,
    shields_body,
    signature_matches,
)

BadgeView = Callable[..., HttpResponse]


def _public_badge(view: BadgeView) -> BadgeView:
    """GET only (HEAD too is refused), CORS and no caching on every answer."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response: HttpResponse
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        elif request.method != "GET":
            response = HttpResponseNotAllowed(["GET", "OPTIONS"])
        else:
            response = view(request, **kwargs)
        add_never_cache_headers(response)
        return add_cors(response, ("GET",))

    return wrapped


def _count(checks: Iterable[Check]) -> BadgeCounts:
    now = timezone.now()
    total = grace = down = 0
    for check in checks:
        total += 1
        status = check.get_status(now=now)
        if status == Status.DOWN:
            down += 1
        elif status == Status.GRACE:
            grace += 1
    return BadgeCounts(total=total, grace=grace, down=down)


def _project_checks(project: Project, tag: str) -> list[Check]:
    checks = Check.objects.filter(project=project)
    if tag == ALL_CHECKS:
        return list(checks)
    # The LIKE narrows the rows; only whole tokens count as the tag.
    return [c for c in checks.filter(tags__contains=tag) if tag in c.tags.split()]


def _respond(fmt: str, label: str, counts: BadgeCounts, *, three_state: bool) -> HttpResponse:
    state = counts.state(three_state=three_state)
    if fmt == "svg":
        return HttpResponse(render_svg(label, state), content_type="image/svg+xml")
    if fmt == "json":
        return JsonResponse(counts.as_json(three_state=three_state))
    return JsonResponse(shields_body(label, state))


@_public_badge
def badge(
    request: HttpRequest, badge_key: str, signature: str, fmt: str, tag: str | None = None
) -> HttpResponse:
    """A project's badge: all its checks, or those carrying one tag."""
    # The path was decoded once before routing; the tag was encoded twice.
    tag = ALL_CHECKS if tag is None else unquote(tag)
    if not signature_matches(badge_key, tag, signature):
        return HttpResponseNotFound()
    project = Project.objects.filter(badge_key=badge_key).first()
    if project is None:
        return HttpResponseNotFound()
    counts = _count(_project_checks(project, tag))
    label = settings.MASTER_BADGE_LABEL if tag == ALL_CHECKS else tag
    return _respond(fmt, label, counts, three_state=not is_two_state(signature))


@_public_badge
def check_badge(request: HttpRequest, states: str, badge_key: str, fmt: str) -> HttpResponse:
    """One check's badge, found by the check's own badge UUID."""
    check = Check.objects.filter(badge_key=badge_key).first()
    if check is None:
        return HttpResponseNotFound()
    label = check.name or str(check.code)
    return _respond(fmt, label, _count([check]), three_state=int(states) == 3)


@api_view({"GET": "read"})
def badges_list(request: ApiRequest) -> HttpResponse:
    """Badge URLs for every tag in use, plus "*" for all checks (§6.12)."""
    project = request.project
    tags: set[str] = set()
    for field in Check.objects.filter(project=project).values_list("tags", flat=True):
        tags.update(field.split())
    badges = {tag: badge_urls(project.badge_key, tag) for tag in sorted(tags)}
    badges[ALL_CHECKS] = badge_urls(project.badge_key, ALL_CHECKS)
    return JsonResponse({"badges": badges})

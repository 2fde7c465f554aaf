"""The badges page: a generator for the project's public badge URLs (web spec §10)."""

from __future__ import annotations

import base64
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from hc.accounts.access import get_project
from hc.accounts.activity import remember_project
from hc.accounts.models import Project
from hc.api.models import Check
from hc.front.badge_preview import preview
from hc.front.integration_forms import BadgeForm
from hc.lib.badges import BadgeState, render_svg


def _tags(project: Project) -> list[str]:
    tags: set[str] = set()
    for field in Check.objects.filter(project=project).values_list("tags", flat=True):
        tags.update(field.split())
    return sorted(tags, key=str.casefold)


def _data_uri(svg: str) -> str:
    # As images, the samples' SVG element ids cannot clash with each other.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _preview(request: HttpRequest, project: Project) -> HttpResponse:
    form = BadgeForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(f"Invalid badge options: {problems}")
    data = form.cleaned_data
    target, fmt, states = data["target"], data["fmt"], data["states"]
    if target == "check":
        check = Check.objects.filter(project=project, code=data["check"]).first()
        if check is None:
            return HttpResponseBadRequest("Invalid badge options: no such check in this project.")
        badge = preview(project, fmt=fmt, states=states, check=check)
    elif target == "tag":
        badge = preview(project, fmt=fmt, states=states, tag=data["tag"])
    else:
        badge = preview(project, fmt=fmt, states=states)
    return render(request, "front/badges_preview.html", {"badge": badge})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def badges(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The page; a POST answers with the preview for the chosen options."""
    access = get_project(request, code)
    project = access.project
    if request.method == "POST":
        return _preview(request, project)
    remember_project(request, project)
    label = settings.MASTER_BADGE_LABEL
    checks = sorted(Check.objects.filter(project=project), key=lambda c: (str(c).casefold(), c.id))
    # The details page's "Badge…" link preselects its check (?check=<uuid>).
    chosen = next((c for c in checks if str(c.code) == request.GET.get("check")), None)
    ctx = {
        "project": project,
        "page": "badges",
        "tags": _tags(project),
        "checks": checks,
        "chosen": chosen,
        "badge": preview(project, fmt="svg", states=2, check=chosen),
        "samples": [
            (state, _data_uri(render_svg(label, state)))
            for state in (BadgeState.UP, BadgeState.DOWN, BadgeState.LATE)
        ],
    }
    return render(request, "front/badges.html", ctx)

"""The projects overview at "/" and the project menu fragment (web spec §1.2, §5.1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from hc.accounts.access import accessible_projects
from hc.accounts.activity import do_note_visit, last_project_code
from hc.accounts.models import Project
from hc.api.models import Status
from hc.front.project_status import NO_CHECKS, ProjectStatus, channel_counts, project_statuses


@dataclass(frozen=True)
class Card:
    project: Project
    state: ProjectStatus
    n_channels: int
    last_visited: bool


def _by_name(projects: list[Project]) -> list[Project]:
    return sorted(projects, key=lambda p: str(p).lower())


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # Self-hosted: no landing page, straight to the login form.
        return redirect("hc-login")
    user = _user(request)
    projects = _by_name(accessible_projects(user))
    statuses = project_statuses([p.id for p in projects])

    if "refresh" in request.GET:
        data = {
            str(p.code): {"status": s.status.value, "started": s.started}
            for p in projects
            if (s := statuses.get(p.id))
        }
        return JsonResponse(data)

    do_note_visit(request, user)
    n_channels = channel_counts([p.id for p in projects])
    last_code = last_project_code(request)
    cards = [
        Card(p, statuses.get(p.id, NO_CHECKS), n_channels.get(p.id, 0), str(p.code) == last_code)
        for p in projects
    ]
    # A stable sort keeps the name order within "has a down check" and the rest.
    cards.sort(key=lambda c: c.state.status != Status.DOWN)
    ctx = {"cards": cards, "any_down": any(c.state.status == Status.DOWN for c in cards)}
    return render(request, "front/projects.html", ctx)


@login_required
@require_safe
def project_menu(request: HttpRequest) -> HttpResponse:
    projects = _by_name(accessible_projects(_user(request)))
    statuses = project_statuses([p.id for p in projects])
    items = [(p, statuses.get(p.id, NO_CHECKS).status.value) for p in projects]
    return render(request, "front/project_menu.html", {"items": items})

"""A first, simple "My Checks" page (web spec §1.3, §6.1); the full dashboard comes later."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from hc.accounts.access import get_project
from hc.accounts.activity import do_note_visit, remember_project
from hc.api.models import Check, Status


@login_required
@require_safe
def checks(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_project(request, code)
    project = access.project
    now = timezone.now()
    rows = [
        (check, check.get_status(now=now))
        for check in Check.objects.filter(project=project).order_by("created", "id")
    ]
    # Down checks first, the rest in creation order.
    rows.sort(key=lambda row: row[1] != Status.DOWN)
    n_down = sum(1 for _, status in rows if status == Status.DOWN)

    assert isinstance(request.user, User)  # behind login_required
    do_note_visit(request, request.user)
    remember_project(request, project)
    ctx = {
        "project": project,
        "page": "checks",
        "rw": access.rw,
        "rows": rows,
        "n_down": n_down,
    }
    return render(request, "front/checks.html", ctx)

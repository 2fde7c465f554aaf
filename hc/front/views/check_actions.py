"""One-click actions on a check: pause, resume, filtering rules and the danger
zone (copy, transfer, clear events, remove), plus cloaked links (web spec §7.3,
§7.5, §7.6, §7.8)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hc.accounts.access import accessible_projects, get_check, get_project
from hc.accounts.models import Member, Project, Role
from hc.api.models import Check
from hc.api.services.checks import (
    CheckLimitReached,
    CheckNotPaused,
    do_clear_events,
    do_copy_check,
    do_delete_check,
    do_pause_check,
    do_resume_check,
    do_set_filtering_rules,
    do_transfer_check,
    has_free_slot,
)
from hc.front.forms_schedules import FilteringRulesForm, TransferForm, error_list
from hc.front.views.schedules import details_url, rejected

LIMIT_MESSAGE = "The project owner has no free check slots left."
TARGET_LIMIT_MESSAGE = "The target project's owner has no free check slots left."


def _is_ajax(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


@login_required
@require_POST
def pause(request: HttpRequest, code: UUID) -> HttpResponse:
    check, _ = get_check(request, code, rw=True)
    do_pause_check(check)
    if _is_ajax(request):
        # The checks list already shows the paused icon (web spec §6.2).
        return HttpResponse()
    return HttpResponseRedirect(details_url(check))


@login_required
@require_POST
def resume(request: HttpRequest, code: UUID) -> HttpResponse:
    check, _ = get_check(request, code, rw=True)
    try:
        do_resume_check(check)
    except CheckNotPaused:
        return rejected(request, check, "The check was not resumed", ["It is not paused."])
    return HttpResponseRedirect(details_url(check))


@login_required
@require_POST
def remove_check(request: HttpRequest, code: UUID) -> HttpResponse:
    check, _ = get_check(request, code, rw=True)
    do_delete_check(check)
    return redirect("hc-checks", check.project.code)


@login_required
@require_POST
def clear_events(request: HttpRequest, code: UUID) -> HttpResponse:
    check, _ = get_check(request, code, rw=True)
    do_clear_events(check)
    return HttpResponseRedirect(details_url(check))


@login_required
@require_POST
def filtering_rules(request: HttpRequest, code: UUID) -> HttpResponse:
    check, _ = get_check(request, code, rw=True)
    form = FilteringRulesForm(request.POST)
    if not form.is_valid():
        return rejected(request, check, "The filtering rules were not saved", error_list(form))
    do_set_filtering_rules(check, form.to_rules())
    return HttpResponseRedirect(details_url(check))


@login_required
@require_POST
def copy(request: HttpRequest, code: UUID) -> HttpResponse:
    check, _ = get_check(request, code, rw=True)
    try:
        copied = do_copy_check(check)
    except CheckLimitReached:
        return rejected(request, check, "The check was not copied", [LIMIT_MESSAGE])
    return HttpResponseRedirect(details_url(copied) + "?copied=1")


@dataclass(frozen=True)
class TransferTarget:
    project: Project
    current: bool
    available: bool


def _transfer_targets(user: User, check: Check) -> list[TransferTarget]:
    """The projects the user may move checks into (recommended deviation,
    web spec §7.6: read-only memberships are left out), by name."""
    readonly = set(
        Member.objects.filter(user=user, role=Role.READONLY).values_list("project_id", flat=True)
    )
    projects = [p for p in accessible_projects(user) if p.id not in readonly]
    if check.project_id not in {p.id for p in projects}:
        projects.append(check.project)  # a superuser acting on another's project
    source_owner = check.project.owner_id
    owners = {p.owner_id for p in projects} - {source_owner}
    free = {owner_id: has_free_slot(owner_id) for owner_id in owners}
    targets = [
        TransferTarget(
            project=p,
            current=p.id == check.project_id,
            available=p.owner_id == source_owner or free[p.owner_id],
        )
        for p in projects
    ]
    targets.sort(key=lambda t: (str(t.project).lower(), t.project.id))
    return targets


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request: HttpRequest, code: UUID) -> HttpResponse:
    check, _ = get_check(request, code, rw=True)
    if request.method == "GET":
        ctx = {"check": check, "targets": _transfer_targets(_user(request), check)}
        return render(request, "front/check_modals/transfer_form.html", ctx)

    heading = "The check was not transferred"
    form = TransferForm(request.POST)
    if not form.is_valid():
        return rejected(request, check, heading, error_list(form))
    target = get_project(request, form.cleaned_data["project"], rw=True).project
    if target.id == check.project_id:
        return rejected(request, check, heading, ["The check is already in this project."])
    try:
        moved = do_transfer_check(check, target)
    except CheckLimitReached:
        return rejected(request, check, heading, [TARGET_LIMIT_MESSAGE])
    if moved is None:
        raise Http404
    messages.success(request, f"Check transferred to {target}.")
    return HttpResponseRedirect(details_url(check))


@login_required
@require_safe
def uncloak(request: HttpRequest, unique_key: str) -> HttpResponse:
    """Alerts link to /cloaked/<sha1>/ so they never reveal a check's UUID."""
    user = _user(request)
    checks = Check.objects.all()
    if not user.is_superuser:
        checks = checks.filter(project__in=[p.id for p in accessible_projects(user)])
    check = checks.by_unique_key(unique_key)
    if check is None:
        raise Http404
    return redirect(reverse("hc-details", args=[check.code]))

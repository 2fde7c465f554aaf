"""Account settings: the Account, Appearance and Email Reports pages (web spec §4)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from hc.accounts.forms_profile import (
    AppearanceForm,
    LeaveProjectForm,
    ReportSettingsForm,
    TimezoneForm,
)
from hc.accounts.models import Member, Project, ReportFrequency, Theme
from hc.accounts.services_profile import (
    do_leave_project,
    do_set_report_preferences,
    do_set_theme,
    do_set_timezone,
)
from hc.lib.downtime import zone
from hc.lib.timezones import all_zones

# (value, label, preview image) of the Appearance page's cards.
THEME_CARDS = [
    (Theme.LIGHT.value, "Light", "img/theme-light.svg"),
    (Theme.DARK.value, "Dark", "img/theme-dark.svg"),
    (Theme.SYSTEM.value, "System", "img/theme-system.svg"),
]


def _user(request: HttpRequest) -> User:
    # login_required has run, so this narrows the type rather than checks access.
    user = request.user
    assert isinstance(user, User)
    return user


def _zones(saved: str) -> list[str]:
    zones = ["UTC", *(name for name in all_zones() if name != "UTC")]
    # A zone saved before the list changed stays visible instead of
    # silently turning into UTC on the next save.
    return zones if saved in zones else [saved, *zones]


def _leave_project(request: HttpRequest, user: User) -> Project | None:
    """The project the user just left; None when the request is not acceptable."""
    form = LeaveProjectForm(request.POST)
    if not form.is_valid():
        return None
    project = Project.objects.select_related("owner").filter(code=form.cleaned_data["code"]).first()
    if project is None or not do_leave_project(user, project):
        return None
    return project


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    ctx: dict[str, Any] = {"section": "account"}
    if request.method == "POST":
        if "leave_project" in request.POST:
            left = _leave_project(request, user)
            if left is None:
                return HttpResponseBadRequest("You are not a member of that project.")
            ctx["left_project"] = left
        elif "set_tz" in request.POST:
            form = TimezoneForm(request.POST)
            # An unknown zone is ignored, as the browser picker cannot send one.
            if form.is_valid():
                do_set_timezone(user.profile, form.cleaned_data["tz"])
                ctx["tz_updated"] = True
        else:
            return HttpResponseBadRequest("Unknown action.")

    owned = sorted(Project.objects.filter(owner=user).select_related("owner"), key=_project_key)
    memberships = sorted(
        Member.objects.filter(user=user).select_related("project", "project__owner"),
        key=lambda member: _project_key(member.project),
    )
    credentials = list(user.credentials.order_by("created"))
    ctx |= {
        "profile": user.profile,
        "profile_tz": zone(user.profile.tz),
        "credentials": credentials,
        "owned": owned,
        "memberships": memberships,
        "zones": _zones(user.profile.tz),
    }
    return render(request, "accounts/profile.html", ctx)


def _project_key(project: Project) -> str:
    # Sorted by the name people see: an unnamed project shows its owner's email.
    return str(project).casefold()


@login_required
@require_http_methods(["GET", "POST"])
def appearance(request: HttpRequest) -> HttpResponse:
    profile = _user(request).profile
    ctx: dict[str, Any] = {"section": "appearance", "theme_cards": THEME_CARDS}
    if request.method == "POST":
        form = AppearanceForm(request.POST)
        # Anything but the three themes is ignored.
        if form.is_valid():
            do_set_theme(profile, Theme(form.cleaned_data["theme"]))
            ctx["theme_updated"] = True
    ctx["profile"] = profile
    return render(request, "accounts/appearance.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    profile = _user(request).profile
    ctx: dict[str, Any] = {"section": "notifications"}
    if request.method == "POST":
        form = ReportSettingsForm(request.POST)
        if form.is_valid():
            do_set_report_preferences(
                profile,
                ReportFrequency(form.cleaned_data["reports"]),
                form.cleaned_data["nag_period"],
            )
            ctx["updated"] = True
        ctx["form"] = form

    next_report_day = None
    if profile.reports != ReportFrequency.OFF and profile.next_report_date:
        next_report_day = profile.next_report_date.astimezone(zone(profile.tz)).date()
    ctx |= {
        "profile": profile,
        "nag_seconds": int(profile.nag_period.total_seconds()),
        "next_report_day": next_report_day,
    }
    return render(request, "accounts/notifications.html", ctx)

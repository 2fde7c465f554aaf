"""The schedule dialog: saving a schedule, its live previews and validation (web spec §6.10)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import render
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.views.decorators.http import require_POST, require_safe

from hc.accounts.access import get_check
from hc.accounts.models import Project
from hc.api.models import Check
from hc.api.services.checks import do_set_schedule
from hc.front.forms_schedules import PreviewForm, TimeoutForm, ValidateScheduleForm, error_list
from hc.front.schedule_preview import Preview
from hc.front.schedule_preview import cron_preview as make_cron_preview
from hc.front.schedule_preview import oncalendar_preview as make_oncalendar_preview
from hc.front.tz_choices import zone_choices
from hc.lib.schedules import InvalidSchedule, validate_schedule

# The checks list's filter and sort parameters, kept when redirecting back to it.
_KEPT_PARAMS = ("tag", "search", "status", "sort")


def schedule_modal_context(project: Project) -> dict[str, Any]:
    """What templates/front/schedule_modal.html needs; merge it into the page's context."""
    common, all_zones = zone_choices(project)
    return {"tz_common": common, "tz_all": all_zones}


def _bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def rejected(request: HttpRequest, check: Check, heading: str, errors: list[str]) -> HttpResponse:
    """A 400 page saying why a dialog's form was refused (the dialogs' scripts
    prevent most of these), with a way back."""
    ctx = {"project": check.project, "page": "checks", "heading": heading, "errors": errors}
    return render(request, "front/checks_bad_request.html", ctx, status=400)


def details_url(check: Check) -> str:
    return reverse("hc-details", args=[check.code])


def _referer_route(request: HttpRequest) -> tuple[str | None, str]:
    """The route name and query string of the page the request came from."""
    parts = urlsplit(request.META.get("HTTP_REFERER", ""))
    path = parts.path
    prefix = get_script_prefix()
    if not path.startswith(prefix):
        return None, parts.query
    try:
        match = resolve("/" + path.removeprefix(prefix))
    except Resolver404:
        return None, parts.query
    return match.url_name, parts.query


def redirect_back(request: HttpRequest, check: Check) -> HttpResponseRedirect:
    """Back to the details page if the form was there, else to the checks
    list with its filters and sort (from the Referer) kept (web spec §6.5, §6.9)."""
    route, query = _referer_route(request)
    if route == "hc-details":
        return HttpResponseRedirect(details_url(check))
    given = QueryDict(query)
    kept = urlencode([(key, value) for key in _KEPT_PARAMS for value in given.getlist(key)])
    url = reverse("hc-checks", args=[check.project.code])
    return HttpResponseRedirect(f"{url}?{kept}" if kept else url)


@login_required
@require_POST
def update_timeout(request: HttpRequest, code: UUID) -> HttpResponse:
    check, _ = get_check(request, code, rw=True)
    form = TimeoutForm(request.POST)
    if not form.is_valid():
        return rejected(request, check, "The schedule was not saved", error_list(form))
    do_set_schedule(check, form.to_schedule())
    return redirect_back(request, check)


def _preview(request: HttpRequest, make: Callable[[str, str], Preview]) -> Preview:
    form = PreviewForm(request.POST)
    if not form.is_valid():
        # Only a NUL character gets here: that is no valid expression.
        return Preview(tz="UTC", error="schedule")
    return make(form.cleaned_data["schedule"], form.cleaned_data["tz"] or "UTC")


@require_POST
def cron_preview(request: HttpRequest) -> HttpResponse:
    """The cron panel's preview; anonymous too, for the docs' cron tester (§11.4)."""
    ctx = {"preview": _preview(request, make_cron_preview)}
    return render(request, "front/cron_preview.html", ctx)


@login_required
@require_POST
def oncalendar_preview(request: HttpRequest) -> HttpResponse:
    ctx = {"preview": _preview(request, make_oncalendar_preview)}
    return render(request, "front/oncalendar_preview.html", ctx)


@require_safe
def validate_schedule_view(request: HttpRequest) -> HttpResponse:
    """{"result": bool} for the Add Check dialog's live validation (§6.7)."""
    form = ValidateScheduleForm(request.GET)
    if not form.is_valid():
        if "kind" in form.errors:
            return _bad_request("kind must be cron or oncalendar")
        return JsonResponse({"result": False})
    try:
        validate_schedule(form.cleaned_data["kind"], form.cleaned_data["schedule"])
    except InvalidSchedule:
        return JsonResponse({"result": False})
    return JsonResponse({"result": True})

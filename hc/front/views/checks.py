"""The "My Checks" page and its endpoints (web spec §6.1 to §6.9, §6.11).

Views parse the request, resolve access through hc.accounts.access, call one
service of hc.api.services.check_edits and answer. The table's data comes
from hc.front.checks_list, its rows' HTML from hc.front.checks_rows and the
live status from hc.front.checks_status.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST, require_safe

from hc.accounts.access import ProjectAccess, get_check, get_project
from hc.accounts.activity import do_note_visit, remember_project
from hc.accounts.models import Profile, Project
from hc.api.models import Channel, Check, Status
from hc.api.services.check_edits import (
    CheckLimitReached,
    checks_used,
    do_add_check,
    do_set_channel_link,
    do_set_show_slugs,
    do_set_sort,
    do_update_name,
)
from hc.front import checks_list as cl
from hc.front.checks_rows import Table, url_pattern
from hc.front.checks_status import BadSince, parse_since, since_token, status_payload
from hc.front.forms_checks import AddCheckForm, NameForm, error_messages
from hc.front.views.schedules import schedule_modal_context

# Query parameters carried over when a form on the page redirects back to it.
_KEPT_PARAMS = ("tag", "search", "status", "sort")


def _profile(user: User) -> Profile:
    profile = getattr(user, "profile", None)
    if profile is None:
        profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


def _kept_query(query: QueryDict | str) -> str:
    """The filter and sort parameters of a query, as "?…" (or "")."""
    if isinstance(query, str):
        query = QueryDict(query)
    pairs = [(key, value) for key in _KEPT_PARAMS for value in query.getlist(key)]
    return "?" + urlencode(pairs) if pairs else ""


def _referer(request: HttpRequest) -> tuple[str | None, str]:
    """The route name and query string of the page a form was sent from."""
    parts = urlsplit(request.META.get("HTTP_REFERER", ""))
    prefix = get_script_prefix()
    if not parts.path.startswith(prefix):
        return None, parts.query
    try:
        match = resolve("/" + parts.path.removeprefix(prefix))
    except Resolver404:
        return None, parts.query
    return match.url_name, parts.query


def _back_to_checks(request: HttpRequest, project: Project) -> HttpResponse:
    _, query = _referer(request)
    return redirect(reverse("hc-checks", args=[project.code]) + _kept_query(query))


def _bad_request(
    request: HttpRequest, project: Project, heading: str, errors: list[str]
) -> HttpResponse:
    ctx = {"project": project, "page": "checks", "heading": heading, "errors": errors}
    return render(request, "front/checks_bad_request.html", ctx, status=400)


def name_modal_context(project: Project) -> dict[str, Any]:
    """What templates/front/name_modal.html needs besides `project`."""
    tags: set[str] = set()
    for value in Check.objects.filter(project=project).values_list("tags", flat=True):
        tags.update(value.split())
    return {"all_tags": sorted(tags, key=lambda t: (t.lower(), t))}


def _sort_links(sort: str, filters: cl.Filters) -> dict[str, dict[str, str]]:
    """Where the sortable headers lead: default → ascending → descending → default."""

    def cycle(ascending: str) -> str:
        if sort == ascending:
            return f"-{ascending}"
        if sort == f"-{ascending}":
            return cl.DEFAULT_SORT
        return ascending

    links = {}
    for key in ("name", "last_ping"):
        target = cycle(key)
        links[key] = {"sort": target, "href": filters.query(sort=target)}
    return links


def _capacity(project: Project, access: ProjectAccess, viewer: Profile) -> dict[str, Any]:
    """The owner's check allowance: used, limit and whether one more fits."""
    if project.owner_id == viewer.user_id:
        limit = viewer.check_limit
    else:
        limit = (
            Profile.objects.filter(user_id=project.owner_id)
            .values_list("check_limit", flat=True)
            .first()
        ) or 0
    used = checks_used(project.owner_id)
    return {
        "used": used,
        "limit": limit,
        "free": max(limit - used, 0),
        "can_add": access.rw and used < limit,
        "over_limit": used > limit,
        "at_limit": used == limit,
    }


def _js_urls() -> dict[str, str]:
    """URL templates for the page's script, with {code} and {channel} placeholders."""
    marker = str(UUID(int=1))
    routes = {"pause": "hc-pause", "last_ping": "hc-last-ping", "log": "hc-log"}
    urls = {}
    for key, name in routes.items():
        pattern = url_pattern(name)
        if pattern is not None:
            urls[key] = f"{pattern[0]}{{code}}{pattern[1]}"
    switch = url_pattern("hc-switch-channel", UUID(int=1))
    if switch is not None:
        urls["switch"] = f"{switch[0]}{{code}}{switch[1].replace(marker, '{channel}')}"
    return urls


def _status_menu(icons: dict[str, str]) -> list[tuple[str, str, SafeString]]:
    """The status filter menu's items: value, label and icon."""
    running = '<span class="running-dots" aria-hidden="true"><i></i><i></i><i></i></span>'
    return [
        (value, label, mark_safe(running if value == "started" else icons[value]))
        for value, label in cl.STATUS_FILTERS.items()
    ]


@login_required
@require_safe
def checks(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_project(request, code)
    project = access.project
    user = _user(request)
    profile = _profile(user)

    if access.rw and request.GET.get("urls") in ("uuid", "slug"):
        do_set_show_slugs(project, request.GET["urls"] == "slug")
    if request.GET.get("sort") in cl.SORT_KEYS:
        do_set_sort(profile, request.GET["sort"])
    sort = profile.sort if profile.sort in cl.SORT_KEYS else cl.DEFAULT_SORT
    filters = cl.Filters.from_query(request.GET)

    now = timezone.now()
    channels = cl.project_channels(project)
    rows = cl.build_rows(
        Check.objects.filter(project=project).order_by("created", "id"),
        now=now,
        links=cl.channel_links(channels),
        filters=filters,
    )
    pills = cl.tag_pills((row.tags, row.status) for row in rows)
    n_down = sum(1 for row in rows if row.status == Status.DOWN)
    cl.sort_rows(rows, sort)
    table = Table(project, access.rw, channels, now)

    do_note_visit(request, user)
    remember_project(request, project)
    ctx = {
        "project": project,
        "page": "checks",
        "rw": access.rw,
        "is_owner": project.owner_id == user.id,
        "rows_html": table.render(rows),
        "n_rows": len(rows),
        "n_hidden": sum(1 for row in rows if row.hidden),
        "pills": pills,
        "all_tags": [pill.tag for pill in pills],
        "n_down": n_down,
        "title": cl.page_title(n_down),
        "filters": filters,
        "status_chips": [(value, cl.STATUS_FILTERS[value]) for value in filters.statuses],
        "status_menu": _status_menu(table.icons),
        "sort": sort,
        "sort_links": _sort_links(sort, filters),
        "url_style_links": {
            "uuid": filters.query(urls="uuid"),
            "slug": filters.query(urls="slug"),
        },
        "channel_codes": " ".join(info.code for info in channels),
        "any_duration": any(row.check.visible_duration() for row in rows),
        "capacity": _capacity(project, access, profile),
        "js_urls": _js_urls(),
        "since": since_token(now),
        "tz": profile.tz,
        **schedule_modal_context(project),
    }
    return render(request, "front/checks.html", ctx)


@require_safe
def status(request: HttpRequest, code: UUID) -> HttpResponse:
    """Live status for the checks page; `?since=` limits it to rows that changed."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "login required"}, status=403)
    project = get_project(request, code).project
    now = timezone.now()
    since = None
    if "since" in request.GET:
        try:
            since = parse_since(request.GET["since"], now)
        except BadSince as e:
            return JsonResponse({"error": str(e)}, status=400)
    return JsonResponse(status_payload(project, now, since))


@login_required
@require_POST
def add_check(request: HttpRequest, code: UUID) -> HttpResponse:
    project = get_project(request, code, rw=True).project
    form = AddCheckForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, project, "The check was not added", error_messages(form))
    try:
        do_add_check(project, form.new_check())
    except CheckLimitReached:
        message = "The project owner's account has no free check slots left."
        return _bad_request(request, project, "The check was not added", [message])
    return _back_to_checks(request, project)


@login_required
@require_POST
def update_name(request: HttpRequest, code: UUID) -> HttpResponse:
    check, access = get_check(request, code, rw=True)
    # Fields the request leaves out keep their values.
    data = request.POST.copy()
    for key, value in (
        ("name", check.name),
        ("slug", check.slug),
        ("tags", check.tags),
        ("desc", check.desc),
    ):
        data.setdefault(key, value)
    form = NameForm(data)
    if not form.is_valid():
        return _bad_request(
            request, access.project, "The check was not changed", error_messages(form)
        )
    do_update_name(check, **form.cleaned_data)
    route, _ = _referer(request)
    if route == "hc-details":
        return redirect("hc-details", check.code)
    return _back_to_checks(request, access.project)


@login_required
@require_POST
def switch_channel(request: HttpRequest, code: UUID, channel: UUID) -> HttpResponse:
    check, _ = get_check(request, code, rw=True)
    state = request.POST.get("state")
    if state not in ("on", "off"):
        return HttpResponseBadRequest("state must be on or off", content_type="text/plain")
    target = Channel.objects.filter(code=channel, project_id=check.project_id).first()
    if target is None:
        raise Http404
    do_set_channel_link(check, target, enabled=state == "on")
    return HttpResponse(status=200)

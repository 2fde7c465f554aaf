"""Management API: checks (list, get, create, update, pause, resume, delete).

Spec: management-api §6.1-§6.7. `api_view` has already answered preflight
and disallowed methods, parsed the body and checked the key by the time a
view runs.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse

from hc.api.access import ApiRequest, api_view, error
from hc.api.models import Channel, Check
from hc.api.models.checks import CheckQuerySet
from hc.api.schemas import parse_check_body
from hc.api.serializers import check_to_dict
from hc.api.services.checks import (
    ChannelError,
    CheckLimitReached,
    CheckNotPaused,
    do_delete_check,
    do_pause_check,
    do_resume_check,
    do_update_check,
    do_upsert_check,
)


@api_view({"GET": "read", "POST": "write"})
def checks(request: ApiRequest) -> HttpResponse:
    if request.http.method == "POST":
        return _create(request)
    return _list(request)


@api_view({"GET": "read", "POST": "write", "DELETE": "write"})
def single(request: ApiRequest, code: str) -> HttpResponse:
    # GET and DELETE answer with this very instance: fetch its channels now.
    check = _check_by_code(request, code, with_channels=request.http.method != "POST")
    if isinstance(check, HttpResponse):
        return check
    if request.http.method == "POST":
        return _update(request, check)
    if request.http.method == "DELETE":
        return _delete(request, check)
    return _check_response(request, check)


@api_view({"GET": "read"})
def single_by_unique_key(request: ApiRequest, unique_key: str) -> HttpResponse:
    checks = _with_channels(Check.objects.filter(project=request.project))
    check = checks.by_unique_key(unique_key)
    if check is None:
        return HttpResponse(status=404)
    return _check_response(request, check)


@api_view({"POST": "write"})
def pause(request: ApiRequest, code: str) -> HttpResponse:
    check = _check_by_code(request, code)
    if isinstance(check, HttpResponse):
        return check
    paused = do_pause_check(check)
    if paused is None:
        return HttpResponse(status=404)
    return _check_response(request, paused)


@api_view({"POST": "write"})
def resume(request: ApiRequest, code: str) -> HttpResponse:
    check = _check_by_code(request, code)
    if isinstance(check, HttpResponse):
        return check
    try:
        resumed = do_resume_check(check)
    except CheckNotPaused:
        return HttpResponse("check is not paused", status=409, content_type="text/plain")
    if resumed is None:
        return HttpResponse(status=404)
    return _check_response(request, resumed)


def _list(request: ApiRequest) -> HttpResponse:
    # Filters apply in Python: matches must be exact (tag tokens, and slugs
    # on MariaDB, whose collation ignores case).
    tags = set(request.http.GET.getlist("tag"))
    slug = request.http.GET.get("slug", "")
    q = Check.objects.filter(project=request.project).order_by("created", "id")
    if not request.readonly:
        q = _with_channels(q)
    found = [
        check
        for check in q
        if tags.issubset(_tag_set(check.tags)) and (not slug or check.slug == slug)
    ]
    data = [check_to_dict(c, version=request.version, readonly=request.readonly) for c in found]
    return JsonResponse({"checks": data})


def _create(request: ApiRequest) -> HttpResponse:
    body = parse_check_body(request.body)
    if isinstance(body, str):
        return error(body)
    try:
        check, created = do_upsert_check(request.project, body, version=request.version)
    except CheckLimitReached:
        return HttpResponse(status=403)
    except ChannelError as e:
        return error(e.message)
    return _check_response(request, check, status=201 if created else 200)


def _update(request: ApiRequest, check: Check) -> HttpResponse:
    body = parse_check_body(request.body)
    if isinstance(body, str):
        return error(body)
    try:
        updated = do_update_check(check, body, version=request.version)
    except ChannelError as e:
        return error(e.message)
    if updated is None:
        return HttpResponse(status=404)
    return _check_response(request, updated)


def _delete(request: ApiRequest, check: Check) -> HttpResponse:
    # The response shows the check as it was, with its original UUID.
    response = _check_response(request, check)
    if not do_delete_check(check):
        return HttpResponse(status=404)
    return response


def _check_by_code(
    request: ApiRequest, code: str, *, with_channels: bool = False
) -> Check | HttpResponse:
    q = Check.objects.filter(code=code)
    check = (_with_channels(q) if with_channels else q).first()
    if check is None:
        return HttpResponse(status=404)
    if check.project_id != request.project.id:
        return HttpResponse(status=403)
    return check


def _with_channels(q: CheckQuerySet) -> CheckQuerySet:
    return q.prefetch_related(Prefetch("channel_set", queryset=Channel.objects.only("code")))


def _check_response(request: ApiRequest, check: Check, status: int = 200) -> JsonResponse:
    data = check_to_dict(check, version=request.version, readonly=request.readonly)
    return JsonResponse(data, status=status)


def _tag_set(tags: str) -> set[str]:
    return {tag.strip() for tag in tags.split(" ") if tag.strip()}

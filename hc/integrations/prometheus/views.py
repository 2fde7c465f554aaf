"""Prometheus exporter: a project's checks in the text exposition format.

Wire contract: management-api.md §7.1. The project is found by its read-only
API key alone; like upstream, the project UUID in the path is not compared.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
)
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from hc.accounts.api_keys import key_matches
from hc.accounts.models import Project
from hc.api.access import KEY_LENGTH, find_project
from hc.api.models import Check, Status

BEARER = "Bearer "
# (name, HELP text) of the per-check families, in output order.
CHECK_FAMILIES = (
    ("hc_check_up", "1 when the check is not down, else 0."),
    ("hc_check_started", "1 while a started run has not finished, else 0."),
    ("hc_check_grace", "1 when the check is late but still in its grace period, else 0."),
    ("hc_check_paused", "1 when the check is paused, else 0."),
)
TAG_UP_HELP = "1 when no check carrying this tag is down, else 0."
TOTAL_HELP = "Number of checks in the project."
DOWN_TOTAL_HELP = "Number of checks that are down right now."


def escape(value: str) -> str:
    """A label value in the exposition format's escaping."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _tags(check: Check) -> list[str]:
    return [tag.strip() for tag in check.tags.split(" ") if tag.strip()]


def _header(name: str, help_text: str) -> str:
    return f"# HELP {name} {help_text}\n# TYPE {name} gauge\n"


def exposition(checks: list[Check]) -> Iterator[str]:
    """The exposition text for these checks, given in output order."""
    now = timezone.now()
    rows = [(check, check.get_status(now=now)) for check in checks]

    for name, help_text in CHECK_FAMILIES:
        yield _header(name, help_text)
        for check, status in rows:
            values = {
                "hc_check_up": status != Status.DOWN,
                "hc_check_started": check.last_start is not None,
                "hc_check_grace": status == Status.GRACE,
                "hc_check_paused": status == Status.PAUSED,
            }
            labels = (
                f'name="{escape(check.name)}", tags="{escape(check.tags)}", '
                f'unique_key="{check.unique_key}"'
            )
            yield f"{name}{{{labels}}} {int(values[name])}\n"
        yield "\n"

    tag_up: dict[str, bool] = {}
    for check, status in rows:
        for tag in _tags(check):
            tag_up[tag] = tag_up.get(tag, True) and status != Status.DOWN
    yield _header("hc_tag_up", TAG_UP_HELP)
    for tag in sorted(tag_up):
        yield f'hc_tag_up{{tag="{escape(tag)}"}} {int(tag_up[tag])}\n'
    yield "\n"

    yield _header("hc_checks_total", TOTAL_HELP)
    yield f"hc_checks_total {len(rows)}\n"
    yield "\n"

    num_down = sum(1 for _, status in rows if status == Status.DOWN)
    yield _header("hc_checks_down_total", DOWN_TOTAL_HELP)
    yield f"hc_checks_down_total {num_down}\n"


def _respond(key: str) -> HttpResponse:
    if len(key) != KEY_LENGTH:
        return HttpResponseBadRequest()
    project = _read_only_project(key)
    if project is None:
        return HttpResponseForbidden()
    return HttpResponse("".join(exposition(_checks(project))), content_type="text/plain")


def _read_only_project(key: str) -> Project | None:
    """The project whose read-only key this is (scrape configs hold keys in plain text)."""
    found = find_project(key, write=False)
    if found is None:
        return None
    project, readonly = found
    # Legacy keys are looked up with "=", which MySQL's collation makes
    # case-insensitive; the exact comparison keeps them case-sensitive.
    if not readonly or not key_matches(key, project.api_key_readonly):
        return None
    return project


def _checks(project: Project) -> list[Check]:
    return list(Check.objects.filter(project=project).order_by("created", "id"))


@csrf_exempt
@require_safe
def metrics(request: HttpRequest, code: uuid.UUID, key: str) -> HttpResponse:
    if not settings.PROMETHEUS_ENABLED:
        return HttpResponseNotFound()
    return _respond(key)


@csrf_exempt
@require_safe
def metrics_bearer(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    if not settings.PROMETHEUS_ENABLED:
        return HttpResponseNotFound()
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.startswith(BEARER):
        return HttpResponse(status=401)
    return _respond(header.removeprefix(BEARER))

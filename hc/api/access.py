"""Management API plumbing: body parsing, API keys, CORS (management-api §2-3).

Every API view is wrapped by `api_view`, which does, in the contract's order:
CORS preflight and method check, JSON body parsing (POST), then API key
authentication. The view receives an `ApiRequest` with the project, whether
the key is read-only, the API version and the parsed body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from hc.accounts.api_keys import READ_ONLY_PREFIX, READ_WRITE_PREFIX, key_matches
from hc.accounts.models import Project

KEY_LENGTH = 32
Access = Literal["read", "write"]


@dataclass
class ApiRequest:
    http: HttpRequest
    project: Project
    readonly: bool
    version: int
    body: dict[str, Any] = field(default_factory=dict)


ApiView = Callable[..., HttpResponse]


def error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def parse_body(request: HttpRequest) -> dict[str, Any] | JsonResponse:
    """The JSON object in the body, whatever the Content-Type (empty = {})."""
    raw = request.body
    if not raw:
        return {}
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return error("could not parse request body")
    if not isinstance(value, dict):
        return error("json validation error: value is not an object")
    return value


def _presented_key(request: HttpRequest, body: dict[str, Any]) -> str:
    if "HTTP_X_API_KEY" in request.META:
        # The header wins even when empty.
        return str(request.META["HTTP_X_API_KEY"])
    if request.method == "POST" and "api_key" in body:
        value = body["api_key"]
        return value if isinstance(value, str) else str(value)
    return ""


def find_project(key: str, *, write: bool) -> tuple[Project, bool] | None:
    """The project this key belongs to, and whether the key is read-only."""
    if not (key.isascii() and key.isprintable()):
        # Keys are printable ASCII, so this one matches no project; and it
        # could not even be looked up: PostgreSQL refuses NUL, and a lone
        # surrogate (possible in a JSON body's api_key) cannot be encoded.
        return None
    if key.startswith((READ_WRITE_PREFIX, READ_ONLY_PREFIX)):
        readonly = key.startswith(READ_ONLY_PREFIX)
        if write and readonly:
            return None
        column = "api_key_readonly" if readonly else "api_key"
        # Stored values start with the 8 characters after the prefix.
        candidates = Project.objects.filter(**{f"{column}__startswith": key[4:12] + "."})
        for project in candidates:
            if key_matches(key, getattr(project, column)):
                return project, readonly
        return None
    # Legacy plain-text keys. The equality narrows the search through the
    # index; key_matches() then compares exactly, as MariaDB's default
    # collation ignores case.
    for project in Project.objects.filter(api_key=key):
        if key_matches(key, project.api_key):
            return project, False
    if not write:
        for project in Project.objects.filter(api_key_readonly=key):
            if key_matches(key, project.api_key_readonly):
                return project, True
    return None


def authenticate(
    request: HttpRequest, body: dict[str, Any], access: Access
) -> tuple[Project, bool] | JsonResponse:
    key = _presented_key(request, body)
    if len(key) != KEY_LENGTH:
        return error("missing api key", 401)
    found = find_project(key, write=access == "write")
    if found is None:
        return error("wrong api key", 401)
    return found


def add_cors(response: HttpResponse, methods: tuple[str, ...]) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Headers"] = "X-Api-Key"
    response["Access-Control-Allow-Methods"] = ", ".join((*methods, "OPTIONS"))
    response["Access-Control-Max-Age"] = "600"
    return response


def api_view(access: dict[str, Access]) -> Callable[[ApiView], Callable[..., HttpResponse]]:
    """Wrap an API view; `access` maps each allowed method to the key it needs.

    The wrapped view is called as view(api_request, **url_kwargs) with the
    `v` URL argument removed (it is api_request.version).
    """
    methods = tuple(access)

    def decorator(view: ApiView) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, v: str, **kwargs: Any) -> HttpResponse:
            if request.method == "OPTIONS":
                return add_cors(HttpResponse(status=204), methods)
            if request.method not in access:
                # RFC 9110 requires Allow on a 405.
                not_allowed = HttpResponse(status=405)
                not_allowed["Allow"] = ", ".join((*methods, "OPTIONS"))
                return add_cors(not_allowed, methods)
            body: dict[str, Any] = {}
            if request.method == "POST":
                parsed = parse_body(request)
                if isinstance(parsed, JsonResponse):
                    return add_cors(parsed, methods)
                body = parsed
            found = authenticate(request, body, access[request.method])
            if isinstance(found, JsonResponse):
                return add_cors(found, methods)
            project, readonly = found
            api_request = ApiRequest(request, project, readonly, int(v), body)
            return add_cors(view(api_request, **kwargs), methods)

        return wrapped

    return decorator

"""The OpenAPI 3.1 document of Management API v3, served at /api/v3/openapi.json.

Everything that describes data comes from hc.api.schemas: the request body of
create and update is `CheckBody.model_json_schema()`, the very schema that
validates those requests, and the response objects are generated from the
pydantic models next to it. This module only adds what pydantic cannot know:
paths, parameters, security, status codes and headers (management-api §1-§9).

The wire contract (shared/spec/management-api.md) is normative; where this
document and the contract disagree, the document is wrong.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Final

from django.conf import settings
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, models_json_schema
from pydantic_core import core_schema

from hc.api.channel_bodies import request_schemas
from hc.api.schemas import (
    RESPONSE_MODELS,
    UNIQUE_KEY_PATTERN,
    UUID_PATTERN,
    CheckBody,
)
from hc.api.views.api_misc import FLIP_PARAM_LIMITS
from hc.integrations import registry

Json = dict[str, Any]
REF: Final = "#/components/schemas/{model}"
# Statuses whose responses may come from Django itself rather than the
# endpoint (a path that matches no route, a body over the size limit), and
# so may lack the CORS headers.
FRAMEWORK_STATUSES: Final = frozenset({"400", "404"})


class _ResponseJsonSchema(GenerateJsonSchema):
    """Response members have no defaults: each one is required or may be absent."""

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])


def _ref(name: str) -> Json:
    return {"$ref": REF.format(model=name)}


def _schemas() -> Json:
    _, definitions = models_json_schema(
        [(model, "serialization") for model in RESPONSE_MODELS],
        ref_template=REF,
        schema_generator=_ResponseJsonSchema,
    )
    schemas: Json = definitions["$defs"]
    # The one schema that validates create and update requests.
    schemas["CheckBody"] = CheckBody.model_json_schema()
    schemas["AnyCheck"] = {
        "description": "A check in the view of the API key: read-write or read-only",
        "anyOf": [_ref("Check"), _ref("ReadOnlyCheck")],
    }
    # Integration bodies, from the config models of the integration packages.
    schemas.update(request_schemas(REF))
    return schemas


# Parameters ----------------------------------------------------------------------

CODE: Final = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "The check's UUID (lowercase)",
    "schema": {"type": "string", "pattern": f"^{UUID_PATTERN}$"},
}
CHECK: Final = {
    "name": "check",
    "in": "path",
    "required": True,
    "description": "The check's UUID (lowercase) or its unique_key",
    "schema": {"type": "string", "pattern": f"^({UUID_PATTERN}|{UNIQUE_KEY_PATTERN})$"},
}
CHANNEL: Final = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "The integration's UUID (lowercase)",
    "schema": {"type": "string", "pattern": f"^{UUID_PATTERN}$"},
}
PING_N: Final = {
    "name": "n",
    "in": "path",
    "required": True,
    "description": "The ping's sequence number",
    "schema": {"type": "integer", "minimum": 0},
}
TAG: Final = {
    "name": "tag",
    "in": "query",
    "description": "Only checks carrying every given tag (whole tokens, case-sensitive); "
    "an empty value matches no check",
    "schema": {"type": "array", "items": {"type": "string"}},
    "style": "form",
    "explode": True,
}
SLUG: Final = {
    "name": "slug",
    "in": "query",
    "description": "Only checks with exactly this slug; empty means no filter",
    "schema": {"type": "string"},
}
_FLIP_PARAM_DESCRIPTIONS: Final = {
    "seconds": "Only flips of the last this many seconds; 0 means no filter",
    "start": "Only flips at or after this UNIX time",
    "end": "Only flips strictly before this UNIX time",
}
FLIP_PARAMS: Final = [
    {
        "name": name,
        "in": "query",
        "description": _FLIP_PARAM_DESCRIPTIONS[name] + "; an empty value is ignored",
        "schema": {"type": "integer", "minimum": 0, "maximum": maximum},
        "allowEmptyValue": True,
    }
    for name, maximum in FLIP_PARAM_LIMITS.items()
]

# Security ------------------------------------------------------------------------

READ: Final[list[Json]] = [{"ApiKey": []}, {"ReadOnlyApiKey": []}]
WRITE: Final[list[Json]] = [{"ApiKey": []}]
NONE: Final[list[Json]] = []
SECURITY_SCHEMES: Final = {
    "ApiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": "The project's read-write API key (32 characters, `hcw_…` or a "
        "legacy key). POST requests may instead carry it as the `api_key` member of "
        "the JSON body; the header wins when both are present.",
    },
    "ReadOnlyApiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": "The project's read-only API key (32 characters, `hcr_…` or a "
        "legacy key). Checks are then shown without their UUID and with `unique_key`.",
    },
    "MetricsKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Metrics-Key",
        "description": "The operator's METRICS_KEY setting",
    },
}

# Responses -----------------------------------------------------------------------


def _cors_headers(methods: tuple[str, ...], *, required: bool) -> Json:
    lookaheads = "".join(f"(?=.*\\b{method}\\b)" for method in (*methods, "OPTIONS"))
    listed = ", ".join((*methods, "OPTIONS"))
    values: dict[str, tuple[str, Json]] = {
        "Access-Control-Allow-Origin": ("Any origin", {"type": "string", "const": "*"}),
        "Access-Control-Allow-Headers": (
            "The API key header",
            {"type": "string", "const": "X-Api-Key"},
        ),
        "Access-Control-Allow-Methods": (
            f"{listed} (any order)",
            {"type": "string", "pattern": f"^{lookaheads}[A-Z]+(, [A-Z]+)*$"},
        ),
        "Access-Control-Max-Age": ("Seconds", {"type": "string", "const": "600"}),
    }
    return {
        name: {"description": description, "required": required, "schema": schema}
        for name, (description, schema) in values.items()
    }


def _json(schema: Json, description: str) -> Json:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _text(description: str, media_type: str, schema: Json | None = None) -> Json:
    return {
        "description": description,
        "content": {media_type: {"schema": schema or {"type": "string"}}},
    }


def _empty(description: str) -> Json:
    # Django gives bodiless responses its default content type.
    return _text(description, "text/html", {"type": "string", "maxLength": 0})


ERROR = _ref("ErrorBody")
R400_BODY: Final = {
    "description": "The body is not JSON, not an object, or fails validation "
    '(`{"error": "json validation error: <field> <problem>"}`), or an integration '
    "in `channels` does not resolve. A body over 2.5 MiB gets the framework's HTML page.",
    "content": {
        "application/json": {"schema": ERROR},
        "text/html": {"schema": {"type": "string"}},
    },
}
R401: Final = _json(
    ERROR,
    'No key or a wrong key: `{"error": "missing api key"}` or '
    '`{"error": "wrong api key"}`; also a read-only key on a write endpoint',
)
R401_READ: Final = _json(
    ERROR, 'No key or a wrong key: `{"error": "missing api key"}` or `{"error": "wrong api key"}`'
)
R403_FOREIGN: Final = _empty("The check belongs to another project (empty body)")
R404_CHECK: Final = _text(
    "No such check (empty body), or a path that matches no route (the framework's page)",
    "text/html",
)
R400_CHANNEL: Final = {
    "description": 'The body is not a JSON object, or a member is not acceptable: `{"error": '
    '"<message naming the member>"}`, e.g. `invalid value for url_down: …`, `unknown field: …`, '
    "or a kind the API cannot set up. A body over 2.5 MiB gets the framework's HTML page.",
    "content": {
        "application/json": {"schema": ERROR},
        "text/html": {"schema": {"type": "string"}},
    },
}
R403_FOREIGN_CHANNEL: Final = _empty("The integration belongs to another project (empty body)")
R404_CHANNEL: Final = {
    "description": 'No such integration (`{"error": "not found"}`), or a path that matches '
    "no route (the framework's page)",
    "content": {
        "application/json": {"schema": ERROR},
        "text/html": {"schema": {"type": "string"}},
    },
}
R405_BY_KEY: Final = {
    **_empty("The check was addressed by its unique_key (empty body)"),
    "headers": {"Allow": {"required": True, "schema": {"type": "string"}}},
}


def _operation(
    operation_id: str,
    summary: str,
    tag: str,
    security: list[Json],
    responses: dict[str, Json],
    *,
    parameters: list[Json] | None = None,
    body: Json | None = None,
    description: str | None = None,
) -> Json:
    operation: Json = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "security": security,
        "responses": responses,
    }
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = body
    return operation


def _with_cors(operations: dict[str, Json], methods: tuple[str, ...]) -> Json:
    """Add the CORS headers to every response, and the OPTIONS preflight."""
    for operation in operations.values():
        operation["responses"] = {
            status: {
                **response,
                "headers": {
                    **_cors_headers(methods, required=status not in FRAMEWORK_STATUSES),
                    **response.get("headers", {}),
                },
            }
            for status, response in operation["responses"].items()
        }
    first = next(iter(operations.values()))
    parameters = first.get("parameters", [])
    name = first["operationId"]
    preflight = _operation(
        f"preflight{name[0].upper()}{name[1:]}",
        "CORS preflight",
        "cors",
        NONE,
        {
            "204": {
                "description": "No content; the CORS headers",
                "headers": _cors_headers(methods, required=True),
            },
            "404": {**R404_CHECK, "description": "A path that matches no route"},
        },
        parameters=[p for p in parameters if p["in"] == "path"],
    )
    if not any(p["in"] == "path" for p in parameters):
        del preflight["responses"]["404"]
    return {**operations, "options": preflight}


CHECK_BODY: Final = {
    "required": False,
    "description": "Any JSON object, whatever the Content-Type; an empty body counts as `{}`. "
    "Unknown members are ignored.",
    "content": {"application/json": {"schema": _ref("CheckBody")}},
}
NO_FIELDS_BODY: Final = {
    "required": False,
    "description": "No fields. May be empty, `{}`, or carry `api_key`.",
    "content": {"application/json": {"schema": {"type": "object"}}},
}


def _check_links() -> Json:
    """Where a created check's UUID can be used next (for link-following clients)."""
    targets = {
        "GetCheck": ("getCheck", "check"),
        "UpdateCheck": ("updateCheck", "check"),
        "DeleteCheck": ("deleteCheck", "check"),
        "PauseCheck": ("pauseCheck", "code"),
        "ResumeCheck": ("resumeCheck", "code"),
        "ListPings": ("listPings", "code"),
        "ListFlips": ("listFlips", "check"),
    }
    return {
        name: {"operationId": operation_id, "parameters": {param: "$response.body#/uuid"}}
        for name, (operation_id, param) in targets.items()
    }


def _channel_links() -> Json:
    """Where a created integration's id can be used next."""
    targets = {
        "GetChannel": "getChannel",
        "UpdateChannel": "updateChannel",
        "DeleteChannel": "deleteChannel",
    }
    return {
        name: {"operationId": operation_id, "parameters": {"code": "$response.body#/id"}}
        for name, operation_id in targets.items()
    }


# Sample bodies, for readers and for the fuzzer's positive cases.
CHANNEL_EXAMPLES: Final[dict[str, Json]] = {
    "email": {"kind": "email", "name": "Ops mailbox", "value": "ops@example.org", "up": False},
    "webhook": {
        "kind": "webhook",
        "name": "Incident tool",
        "method_down": "POST",
        "url_down": "https://incidents.example.org/hooks/down?check=$CODE",
        "body_down": "$JSON",
        "headers_down": {"Content-Type": "application/json"},
        "url_up": "https://incidents.example.org/hooks/up?check=$CODE",
    },
}
CHANNEL_UPDATE_EXAMPLES: Final[dict[str, Json]] = {"rename": {"name": "Renamed"}}


def _channel_body(
    schema: str, description: str, examples: dict[str, Json], *, required: bool
) -> Json:
    return {
        "required": required,
        "description": description,
        "content": {
            "application/json": {
                "schema": _ref(schema),
                "examples": {name: {"value": value} for name, value in examples.items()},
            }
        },
    }


def _channel_paths() -> Json:
    found = {"401": R401, "403": R403_FOREIGN_CHANNEL, "404": R404_CHANNEL}
    return {
        "/channels/": _with_cors(
            {
                "get": _operation(
                    "listChannels",
                    "List the project's integrations",
                    "integrations",
                    WRITE,
                    {"200": _json(_ref("ChannelList"), "The integrations"), "401": R401},
                ),
                "post": _operation(
                    "createChannel",
                    "Create an integration",
                    "integrations",
                    WRITE,
                    {
                        "201": {
                            **_json(_ref("ChannelDetail"), "Created"),
                            "links": _channel_links(),
                        },
                        "400": R400_CHANNEL,
                        "401": R401,
                    },
                    body=_channel_body(
                        "ChannelCreateBody",
                        "`kind`, an optional `name` and the kind's own fields, as a JSON "
                        "object whatever the Content-Type. The new integration is linked to "
                        "no check: use the `channels` member of a check for that.",
                        # Only kinds this server has a package for.
                        {k: v for k, v in CHANNEL_EXAMPLES.items() if k in registry.PACKAGES},
                        required=True,
                    ),
                ),
            },
            ("GET", "POST"),
        ),
        "/channels/{code}": _with_cors(
            {
                "get": _operation(
                    "getChannel",
                    "Get an integration",
                    "integrations",
                    READ,
                    {
                        "200": _json(
                            _ref("ChannelDetail"),
                            "The integration; a read-only key gets neither `checks` nor "
                            "the kind's fields",
                        ),
                        **found,
                    },
                    parameters=[CHANNEL],
                ),
                "post": _operation(
                    "updateChannel",
                    "Update an integration",
                    "integrations",
                    WRITE,
                    {
                        "200": _json(_ref("ChannelDetail"), "The updated integration"),
                        "400": R400_CHANNEL,
                        **found,
                    },
                    parameters=[CHANNEL],
                    body=_channel_body(
                        "ChannelUpdateBody",
                        "The members to change. The given kind fields are merged over the "
                        "stored ones and the result is validated as a whole; saving clears "
                        "`disabled`. Integrations the API cannot set up may only be renamed. "
                        "An empty body counts as `{}`.",
                        CHANNEL_UPDATE_EXAMPLES,
                        required=False,
                    ),
                ),
                "delete": _operation(
                    "deleteChannel",
                    "Delete an integration",
                    "integrations",
                    WRITE,
                    {"204": {"description": "Deleted, with its notifications"}, **found},
                    parameters=[CHANNEL],
                ),
            },
            ("GET", "POST", "DELETE"),
        ),
    }


def _redirect(name: str, target: str, methods: tuple[str, ...], parameters: list[Json]) -> Json:
    operations: Json = {}
    for method in methods:
        operations[method.lower()] = _operation(
            f"redirect{method.title()}{name}",
            f"Redirect to {target}/",
            "redirects",
            NONE,
            {
                "301": {
                    "description": "Moved Permanently to the same path with a trailing slash "
                    "(any method; a POST body is not carried over)",
                    "headers": {
                        "Location": {
                            "description": "The same path and query, with the slash",
                            "required": True,
                            "schema": {"type": "string", "pattern": "/(\\?.*)?$"},
                        },
                    },
                    "content": {"text/html": {"schema": {"type": "string", "maxLength": 0}}},
                },
                "404": {**R404_CHECK, "description": "A path that matches no route"},
            },
            parameters=parameters,
        )
        if not parameters:
            del operations[method.lower()]["responses"]["404"]
    return operations


def _paths() -> Json:
    check_responses = {
        "401": R401_READ,
        "403": R403_FOREIGN,
        "404": R404_CHECK,
    }
    write_responses = {"400": R400_BODY, "401": R401, "403": R403_FOREIGN, "404": R404_CHECK}
    paths: Json = {
        "/checks/": _with_cors(
            {
                "get": _operation(
                    "listChecks",
                    "List checks",
                    "checks",
                    READ,
                    {
                        "200": _json(_ref("CheckList"), "The checks, in the key's view"),
                        "401": R401_READ,
                    },
                    parameters=[TAG, SLUG],
                ),
                "post": _operation(
                    "createCheck",
                    "Create a check, or update the one `unique` matches",
                    "checks",
                    WRITE,
                    {
                        "200": {
                            **_json(
                                _ref("Check"),
                                "`unique` matched an existing check, which was updated",
                            ),
                            "links": _check_links(),
                        },
                        "201": {
                            **_json(_ref("Check"), "Created"),
                            "links": _check_links(),
                        },
                        "400": R400_BODY,
                        "401": R401,
                        "403": _empty("The owner's check limit is reached (empty body)"),
                    },
                    body=CHECK_BODY,
                ),
            },
            ("GET", "POST"),
        ),
        "/checks/{check}": _with_cors(
            {
                "get": _operation(
                    "getCheck",
                    "Get a check by UUID or unique_key",
                    "checks",
                    READ,
                    {
                        "200": _json(_ref("AnyCheck"), "The check, in the key's view"),
                        **check_responses,
                    },
                    parameters=[CHECK],
                ),
                "post": _operation(
                    "updateCheck",
                    "Update a check (by UUID only)",
                    "checks",
                    WRITE,
                    {
                        "200": _json(_ref("Check"), "The updated check"),
                        **write_responses,
                        "405": R405_BY_KEY,
                    },
                    parameters=[CHECK],
                    body=CHECK_BODY,
                    description="Only the members present change; `unique` is ignored.",
                ),
                "delete": _operation(
                    "deleteCheck",
                    "Delete a check (by UUID only)",
                    "checks",
                    WRITE,
                    {
                        "200": _json(_ref("Check"), "The check as it was"),
                        "401": R401,
                        "403": R403_FOREIGN,
                        "404": R404_CHECK,
                        "405": R405_BY_KEY,
                    },
                    parameters=[CHECK],
                ),
            },
            # A unique_key URL allows GET only; a UUID URL also POST and DELETE.
            ("GET",),
        ),
        "/checks/{code}/pause": _with_cors(
            {
                "post": _operation(
                    "pauseCheck",
                    "Pause monitoring",
                    "checks",
                    WRITE,
                    {"200": _json(_ref("Check"), "The paused check"), **write_responses},
                    parameters=[CODE],
                    body=NO_FIELDS_BODY,
                )
            },
            ("POST",),
        ),
        "/checks/{code}/resume": _with_cors(
            {
                "post": _operation(
                    "resumeCheck",
                    "Resume a paused check",
                    "checks",
                    WRITE,
                    {
                        "200": _json(_ref("Check"), "The resumed check, now new"),
                        **write_responses,
                        "409": _text(
                            "The check is not paused",
                            "text/plain",
                            {"type": "string", "const": "check is not paused"},
                        ),
                    },
                    parameters=[CODE],
                    body=NO_FIELDS_BODY,
                )
            },
            ("POST",),
        ),
        "/checks/{code}/pings/": _with_cors(
            {
                "get": _operation(
                    "listPings",
                    "List a check's recent pings",
                    "pings",
                    WRITE,
                    {
                        "200": _json(_ref("PingList"), "The pings, newest first"),
                        "401": R401,
                        "403": R403_FOREIGN,
                        "404": R404_CHECK,
                    },
                    parameters=[CODE],
                )
            },
            ("GET",),
        ),
        "/checks/{code}/pings/{n}/body": _with_cors(
            {
                "get": _operation(
                    "getPingBody",
                    "Get a ping's body",
                    "pings",
                    WRITE,
                    {
                        "200": _text(
                            "The body exactly as received (may be binary)",
                            "text/plain",
                            {"type": "string", "format": "binary"},
                        ),
                        "401": R401,
                        "403": R403_FOREIGN,
                        "404": {
                            **R404_CHECK,
                            "description": "No such check, no such ping within the kept "
                            "window, or the ping has no body (empty body)",
                        },
                        "503": _empty("The body is in object storage, which is unavailable"),
                    },
                    parameters=[CODE, PING_N],
                )
            },
            ("GET",),
        ),
        "/checks/{check}/flips/": _with_cors(
            {
                "get": _operation(
                    "listFlips",
                    "List a check's status changes",
                    "checks",
                    READ,
                    {
                        "200": _json(_ref("FlipList"), "The flips, newest first"),
                        "400": _empty("Invalid query parameters (empty body)"),
                        **check_responses,
                    },
                    parameters=[CHECK, *FLIP_PARAMS],
                )
            },
            ("GET",),
        ),
        **_channel_paths(),
        "/badges/": _with_cors(
            {
                "get": _operation(
                    "listBadges",
                    "List the project's badge URLs",
                    "badges",
                    READ,
                    {"200": _json(_ref("BadgeList"), "Badge URLs by tag"), "401": R401_READ},
                )
            },
            ("GET",),
        ),
        "/status/": {
            "get": _operation(
                "getStatus",
                "Service status, for uptime monitors",
                "service",
                NONE,
                {
                    "200": _text(
                        "The database answers", "text/plain", {"type": "string", "const": "OK"}
                    ),
                    "500": _text("The database does not answer", "text/html"),
                },
            )
        },
        "/metrics/": {
            "get": _operation(
                "getMetrics",
                "Operator metrics",
                "service",
                [{"MetricsKey": []}],
                {
                    "200": _json(_ref("Metrics"), "The metrics"),
                    "403": _empty("METRICS_KEY is not set, or the header does not match it"),
                },
            )
        },
        "/openapi.json": _with_cors(
            {
                "get": _operation(
                    "getOpenApiDocument",
                    "This document",
                    "service",
                    NONE,
                    {"200": _json({"type": "object"}, "The OpenAPI 3.1 document")},
                )
            },
            ("GET",),
        ),
    }
    redirects = {
        "/checks": _redirect("Checks", "/checks", ("GET", "POST"), []),
        "/channels": _redirect("Channels", "/channels", ("GET", "POST"), []),
        "/badges": _redirect("Badges", "/badges", ("GET",), []),
        "/status": _redirect("Status", "/status", ("GET",), []),
        "/metrics": _redirect("Metrics", "/metrics", ("GET",), []),
        "/checks/{check}/pings": _redirect("Pings", "/checks/{check}/pings", ("GET",), [CHECK]),
        "/checks/{check}/flips": _redirect("Flips", "/checks/{check}/flips", ("GET",), [CHECK]),
    }
    return {**paths, **redirects}


DESCRIPTION: Final = """\
Management API v3 of this service, compatible with Healthchecks.io's.

* Keys belong to a project: a read-write key (`ApiKey`) or a read-only key
  (`ReadOnlyApiKey`), sent in the `X-Api-Key` header. A read-only key on an
  endpoint that needs the read-write key gets `401 wrong api key`.
* POST bodies are parsed as JSON whatever their Content-Type; errors there
  (400) come before authentication.
* Endpoints whose path ends with a slash answer `301` to the slashed URL when
  the slash is missing, whatever the method.
* A method an endpoint does not list gets `405` with an empty body and an
  `Allow` header (and the CORS headers where the endpoint has them). HEAD is
  refused too, except by `status/` and `metrics/`.
* Every response of the API endpoints carries the CORS headers; OPTIONS is the
  preflight (`204`, no key needed). `status/` and `metrics/` have no CORS.
"""


def build_document() -> Json:
    """The document as a dict (a fresh copy on each call)."""
    document: Json = json.loads(document_json())
    return document


@lru_cache(maxsize=4)
def _document_json(site_root: str, site_name: str) -> str:
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": f"{site_name} Management API",
            "version": "3",
            "description": DESCRIPTION,
        },
        "servers": [{"url": f"{site_root}/api/v3"}],
        "tags": [
            {"name": name}
            for name in (
                "checks",
                "pings",
                "integrations",
                "badges",
                "service",
                "cors",
                "redirects",
            )
        ],
        "paths": _paths(),
        "components": {"schemas": _schemas(), "securitySchemes": SECURITY_SCHEMES},
    }
    return json.dumps(document)


def document_json() -> str:
    """The document, serialised; servers point at SITE_ROOT."""
    return _document_json(settings.SITE_ROOT, settings.SITE_NAME)

"""Request bodies of the integration endpoints of Management API v3.

A body holds `kind`, `name` and the kind's own fields at top level. The
kind's fields are validated by the config model its integration package
registers (hc.integrations.registry), and the OpenAPI request schemas are
generated from those same models, so a new kind needs nothing here.

Every problem becomes a ChannelInputError whose message names the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from hc.api.models import Channel, ChannelKind
from hc.integrations import registry
from hc.integrations.registry import Integration

NAME_MAX_LENGTH: Final = 100
# Members that are not the kind's own fields.
RESERVED: Final = frozenset({"kind", "name", "api_key"})
# Field names come from the client: echo at most this much of one.
_MAX_ECHOED: Final = 60


class ChannelInputError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CreateRequest:
    kind: str
    name: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class UpdateRequest:
    name: str | None  # None: keep the name
    fields: dict[str, Any]


def parse_create(body: Mapping[str, Any]) -> CreateRequest:
    if "kind" not in body:
        raise ChannelInputError("missing field: kind")
    kind = body["kind"]
    if not isinstance(kind, str):
        raise ChannelInputError("invalid value for kind: must be a string")
    if kind not in ChannelKind.values:
        raise ChannelInputError("invalid value for kind: not an integration kind")
    refusal = api_refusal(kind, creating=True)
    if refusal:
        raise ChannelInputError(refusal)
    name = clean_name(body["name"]) if "name" in body else ""
    return CreateRequest(kind, name, kind_fields(body))


def parse_update(body: Mapping[str, Any], channel: Channel) -> UpdateRequest:
    if "kind" in body and body["kind"] != channel.kind:
        raise ChannelInputError("kind cannot be changed")
    name = clean_name(body["name"]) if "name" in body else None
    return UpdateRequest(name, kind_fields(body))


def api_refusal(kind: str, *, creating: bool) -> str | None:
    """Why the API cannot set up integrations of this kind; None if it can."""
    if kind in registry.INTERACTIVE_KINDS:
        if creating:
            return (
                f"{kind} integrations need an interactive setup in the web UI "
                "and cannot be created through the API"
            )
        return (
            f"{kind} integrations are set up interactively in the web UI: "
            "only their name can be changed through the API"
        )
    try:
        integration = registry.get(kind)
    except registry.UnknownKind:
        integration = None
    if integration is None or not integration.enabled():
        if creating:
            return f"this server does not support creating {kind} integrations"
        return (
            f"this server does not support changing the settings of {kind} "
            "integrations: only their name can be changed"
        )
    return None


def clean_name(value: Any) -> str:
    if not isinstance(value, str):
        raise ChannelInputError("invalid value for name: must be a string")
    if len(value) > NAME_MAX_LENGTH:
        raise ChannelInputError(
            f"invalid value for name: must be at most {NAME_MAX_LENGTH} characters"
        )
    if not _storable(value):
        raise ChannelInputError("invalid value for name: contains invalid characters")
    return value


def kind_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key not in RESERVED}


def stored_fields(channel: Channel) -> dict[str, Any]:
    """The stored config as field values; a legacy bare value becomes `value`."""
    config = channel.config
    if isinstance(config, dict):
        return dict(config)
    return {"value": config}


def validate_config(
    integration: Integration, fields: Mapping[str, Any], stored: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The config to store: `fields` over `stored`, validated as a whole.

    Stored keys the model does not know (such as a copied name) are dropped;
    unknown keys in `fields` are an error.
    """
    model = integration.config
    known = model.model_fields
    merged = {k: v for k, v in (stored or {}).items() if k in known}
    merged.update(fields)
    try:
        config = model.model_validate(merged).model_dump(mode="json")
    except ValidationError as e:
        errors = e.errors(include_url=False, include_input=False)
        raise ChannelInputError(_describe(errors[0])) from None
    for field, value in config.items():
        if not _storable_json(value):
            raise ChannelInputError(f"invalid value for {field}: contains invalid characters")
    result: dict[str, Any] = config
    return result


def _describe(error: ErrorDetails) -> str:
    field = ".".join(_echo(str(part)) for part in error["loc"]) or "body"
    if error["type"] == "extra_forbidden":
        return f"unknown field: {field}"
    if error["type"] == "missing":
        return f"missing field: {field}"
    return f"invalid value for {field}: {error['msg']}"


def _echo(text: str) -> str:
    return text if len(text) <= _MAX_ECHOED else text[:_MAX_ECHOED] + "…"


def _storable(text: str) -> bool:
    # PostgreSQL refuses NUL (in text and in jsonb), and no database driver
    # can encode a lone surrogate.
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _storable_json(value: Any) -> bool:
    if isinstance(value, str):
        return _storable(value)
    if isinstance(value, dict):
        return all(_storable(str(k)) and _storable_json(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_storable_json(item) for item in value)
    return True


# OpenAPI request schemas -------------------------------------------------------------


def request_schemas(ref_template: str) -> dict[str, Any]:
    """Component schemas: `ChannelCreateBody` and `ChannelUpdateBody`, with their parts.

    Create is a oneOf on `kind` with one variant per integration package;
    update takes the same members, all optional, from any one variant.
    """
    components: dict[str, Any] = {}
    create: dict[str, str] = {}
    update: dict[str, str] = {}
    for kind in registry.PACKAGES:
        integration = registry.get(kind)
        schema = integration.config.model_json_schema(ref_template=ref_template)
        components.update(schema.pop("$defs", {}))
        title = kind.title().replace("_", "")
        create[kind] = f"{title}ChannelCreate"
        update[kind] = f"{title}ChannelUpdate"
        components[create[kind]] = _variant(integration, schema, creating=True)
        components[update[kind]] = _variant(integration, schema, creating=False)
    components["ChannelCreateBody"] = {
        "description": "A new integration: `kind`, an optional `name`, and the kind's own "
        "fields at top level. Kinds not listed here (those that need an interactive "
        "setup, or that this server has no support for) cannot be created through the API.",
        "oneOf": [{"$ref": ref_template.format(model=name)} for name in create.values()],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {kind: ref_template.format(model=name) for kind, name in create.items()},
        },
    }
    components["ChannelUpdateBody"] = {
        "description": "The members to change, all optional; absent kind fields keep their "
        "stored values. `kind` may be repeated but not changed.",
        "anyOf": [{"$ref": ref_template.format(model=name)} for name in update.values()],
    }
    return components


def _variant(integration: Integration, schema: dict[str, Any], *, creating: bool) -> Any:
    kind = integration.kind
    properties = {
        "kind": {"type": "string", "const": kind, "description": "The integration kind"},
        "name": {
            "type": "string",
            "maxLength": NAME_MAX_LENGTH,
            "description": "Label shown in the UI" + (', default ""' if creating else ""),
        },
        "api_key": {"description": "The API key, if not sent in the X-Api-Key header"},
        **schema.get("properties", {}),
    }
    variant: dict[str, Any] = {
        "title": f"{integration.label} ({kind})",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if creating:
        variant["required"] = ["kind", *schema.get("required", [])]
    return variant

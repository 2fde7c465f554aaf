"""A webhook channel's settings: schema, validation and the headers textarea (spec §3.2.2-§3.2.3).

`Channel.config` holds `WebhookConfig(...).model_dump()`; the channel's name
lives on the Channel itself.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

MAX_LENGTH: Final = 1000
SCHEMES: Final = ("http", "https")
ERROR_TYPE: Final = "webhook_config"
INVALID_URL: Final = "Enter a valid URL."
HEADERS_FORMAT: Final = 'Use "Header-Name: value" pairs, one per line.'
BODY_NEEDS_METHOD: Final = "A request body is sent only with POST or PUT."

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
# Host name labels; "_" is allowed because container service names use it.
_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$")


def _error(message: str) -> PydanticCustomError:
    return PydanticCustomError(ERROR_TYPE, message)


def _too_long() -> PydanticCustomError:
    return _error(f"Ensure this value has at most {MAX_LENGTH} characters.")


def _valid_host(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        return _is_ipv6(host[1:-1])
    try:
        ascii_host = host.encode("idna").decode().lower()
    except UnicodeError:
        return False
    labels = ascii_host.removesuffix(".").split(".")
    return len(ascii_host) <= 253 and all(_LABEL.match(label) for label in labels)


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def clean_url(value: Any) -> str:
    """Trimmed URL with a scheme; "" when blank. Placeholders stay as typed."""
    if not isinstance(value, str):
        raise _error(INVALID_URL)
    url = value.strip()
    if not url:
        return ""
    if len(url) > MAX_LENGTH:
        raise _too_long()
    scheme = _SCHEME.match(url)
    if scheme is None:
        url = "https://" + url
    elif scheme.group(1).lower() not in SCHEMES:
        raise _error("Enter a valid URL. Only http:// and https:// URLs are supported.")
    if any(ch.isspace() for ch in url) or _has_control_characters(url):
        raise _error(INVALID_URL)
    try:
        parts = urlsplit(url)
    except ValueError:
        raise _error(INVALID_URL) from None
    hostport = parts.netloc.rpartition("@")[2]
    if "$" in hostport:
        raise _error("Placeholders are not allowed in the host name.")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise _error(INVALID_URL) from None
    host = hostport.rsplit(":", 1)[0] if not hostport.endswith("]") else hostport
    if not host or not _valid_host(host):
        raise _error(INVALID_URL)
    return url


def clean_body(value: Any) -> str:
    if not isinstance(value, str):
        raise _error("Enter a text.")
    if len(value) > MAX_LENGTH:
        raise _too_long()
    return value


def _has_control_characters(text: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def clean_headers(value: Any) -> dict[str, str]:
    """Trimmed names and values; both non-empty, names latin-1 and token-like."""
    if not isinstance(value, dict):
        raise _error("Enter an object of header names and values.")
    result: dict[str, str] = {}
    for raw_name, raw_value in value.items():
        if not isinstance(raw_name, str) or not isinstance(raw_value, str):
            raise _error("Header names and values must be strings.")
        name, text = raw_name.strip(), raw_value.strip()
        if not name or not text:
            raise _error(HEADERS_FORMAT)
        if len(name) > MAX_LENGTH or len(text) > MAX_LENGTH:
            raise _error(f"Header names and values may have at most {MAX_LENGTH} characters.")
        try:
            name.encode("latin-1")
        except UnicodeEncodeError:
            raise _error(f'Header name "{name}" must not contain special characters.') from None
        if ":" in name or any(ch.isspace() for ch in name) or _has_control_characters(name):
            raise _error(f'Header name "{name}" must not contain special characters.')
        if _has_control_characters(text):
            raise _error(f'The value of header "{name}" must not contain control characters.')
        result[name] = text
    return result


def clean_method(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


Method = Annotated[Literal["GET", "POST", "PUT"], BeforeValidator(clean_method)]
Url = Annotated[str, BeforeValidator(clean_url)]
Body = Annotated[str, BeforeValidator(clean_body)]
Headers = Annotated[dict[str, str], BeforeValidator(clean_headers)]


@dataclass(frozen=True)
class RequestTemplate:
    """What to send for one status, before placeholders are substituted."""

    method: str
    url: str
    body: str
    headers: dict[str, str]


def _url(status: str) -> Any:
    return Field(
        "",
        description=f"URL to call when a check goes {status}: http or https, placeholders "
        'allowed in path and query, "" for no call',
        json_schema_extra={"maxLength": MAX_LENGTH},
    )


def _method(status: str) -> Any:
    return Field("GET", description=f"HTTP method of the {status} request")


def _body(status: str) -> Any:
    return Field(
        "",
        description=f"Body of the {status} request, with placeholders; POST and PUT only",
        json_schema_extra={"maxLength": MAX_LENGTH},
    )


def _headers(status: str) -> Any:
    return Field(
        default_factory=dict,
        description=f"Headers of the {status} request, name to value; values take placeholders",
    )


class WebhookConfig(BaseModel):
    """Webhook settings: an HTTP request per status, with placeholders."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # In sorted order, so the stored keys are too.
    body_down: Body = _body("down")
    body_up: Body = _body("up")
    headers_down: Headers = _headers("down")
    headers_up: Headers = _headers("up")
    method_down: Method = _method("down")
    method_up: Method = _method("up")
    url_down: Url = _url("down")
    url_up: Url = _url("up")

    @model_validator(mode="after")
    def _check_combinations(self) -> WebhookConfig:
        errors: list[InitErrorDetails] = []
        for status in ("down", "up"):
            body = getattr(self, f"body_{status}")
            if body and getattr(self, f"method_{status}") == "GET":
                errors.append(_details(f"body_{status}", BODY_NEEDS_METHOD, body))
        if not self.url_down and not self.url_up:
            errors.append(_details("url_down", INVALID_URL, self.url_down))
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    @classmethod
    def from_stored(cls, config: dict[str, Any]) -> WebhookConfig:
        """The model for a Channel.config, read leniently.

        Values saved by Healthchecks may carry a copy of the channel name and
        a body next to GET (its form hid the body, and delivery ignored it).
        """
        data = {key: value for key, value in config.items() if key != "name"}
        for status in ("down", "up"):
            if str(data.get(f"method_{status}", "GET")).upper() == "GET":
                data.pop(f"body_{status}", None)
        return cls.model_validate(data)

    def for_status(self, status: str) -> RequestTemplate:
        if status not in ("down", "up"):
            raise ValueError(f"no webhook request for status {status!r}")
        return RequestTemplate(
            method=getattr(self, f"method_{status}"),
            url=getattr(self, f"url_{status}"),
            body=getattr(self, f"body_{status}"),
            headers=getattr(self, f"headers_{status}"),
        )


def _details(field: str, message: str, value: str) -> InitErrorDetails:
    return InitErrorDetails(type=_error(message), loc=(field,), input=value)


def parse_headers(text: str) -> dict[str, str]:
    """The "Header-Name: value" textarea as a dict; ValueError on a malformed line.

    Blank lines are skipped, names and values trimmed, and the last of
    several lines with the same name wins. Further rules (latin-1 names,
    lengths) are the model's.
    """
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or not value.strip():
            raise ValueError(HEADERS_FORMAT)
        headers[name.strip()] = value.strip()
    return headers


def format_headers(headers: dict[str, str]) -> str:
    """The textarea text for stored headers, one "Name: value" per line."""
    return "\n".join(f"{name}: {value}" for name, value in headers.items())

"""Request bodies of the Management API (management-api §6.3.1-§6.3.2).

`CheckBody` is the one schema for creating and updating checks: the OpenAPI
document is generated from it, and `parse_check_body` uses it to validate a
request body and turn pydantic's errors into the exact messages clients see
("json validation error: <field> <problem>").

Types are strict, as in upstream's JSON schema: no 0/1 for booleans, no floats
or strings for integers, and null is rejected with the field's type message.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)
from pydantic.config import JsonDict
from pydantic_core import ErrorDetails, PydanticCustomError

from hc.lib.schedules import InvalidSchedule, infer_kind, validate_schedule
from hc.lib.timezones import canonical_zone

MIN_DURATION: Final = 60
MAX_DURATION: Final = 31_536_000  # 365 days
NAME_MAX_LENGTH: Final = 100
SLUG_MAX_LENGTH: Final = 100
TAGS_MAX_LENGTH: Final = 500
SCHEDULE_MAX_LENGTH: Final = 100
KEYWORDS_MAX_LENGTH: Final = 200

# Not in the contract's list of problems: these strings crash the database
# drivers (PostgreSQL refuses NUL, no driver can encode a lone surrogate).
INVALID_CHARACTERS: Final = "contains invalid characters"

_PROBLEMS: Final = {
    "string_type": "is not a string",
    "string_unicode": INVALID_CHARACTERS,
    "string_too_long": "is too long",
    "string_pattern_mismatch": "does not match pattern",
    "bool_type": "is not a boolean",
    "int_type": "is not a number",
    "greater_than_equal": "is too small",
    "less_than_equal": "is too large",
    "literal_error": "has unexpected value",
    "list_type": "is not an array",
}
_CUSTOM: Final = "check_field"


def _problem(text: str) -> PydanticCustomError:
    """An error whose message is the problem text itself."""
    return PydanticCustomError(_CUSTOM, "{problem}", {"problem": text})


def _storable(value: str) -> str:
    # pydantic rejects lone surrogates itself ("string_unicode"), but only
    # when a length constraint makes it decode the string.
    if "\x00" in value:
        raise _problem(INVALID_CHARACTERS)
    try:
        value.encode()
    except UnicodeEncodeError:
        raise _problem(INVALID_CHARACTERS) from None
    return value


def _require_str(value: Any) -> Any:
    # Without this a number for `methods` would be "has unexpected value";
    # upstream checks the type first.
    if not isinstance(value, str):
        raise _problem(_PROBLEMS["string_type"])
    return value


def _bool_as_int(value: Any) -> Any:
    # Upstream's validator treats JSON true/false as the integers 1/0, so they
    # are "too small" rather than "not a number".
    return int(value) if isinstance(value, bool) else value


def _valid_schedule(value: str) -> str:
    try:
        validate_schedule(infer_kind(value), value)
    except InvalidSchedule:
        raise _problem("is not a valid cron or OnCalendar expression") from None
    return value


def _canonical_tz(value: str) -> str:
    zone = canonical_zone(value)
    if zone is None:
        raise _problem("is not a valid timezone")
    return zone


def _text(max_length: int | None = None, description: str = "") -> Any:
    return Field(default="", max_length=max_length, description=description)


Text = Annotated[str, AfterValidator(_storable)]
# The constraints come first so that they land in the JSON schema as
# minimum/maximum; the before-validator still runs ahead of them.
Duration = Annotated[
    int,
    Field(ge=MIN_DURATION, le=MAX_DURATION),
    BeforeValidator(_bool_as_int),
]
UniqueField = Literal["name", "slug", "tags", "timeout", "grace"]


class CheckBody(BaseModel):
    """Fields of a check, for `POST checks/` (create) and `POST checks/<uuid>` (update).

    Every field is optional. On create, absent fields take the defaults shown;
    on update, absent fields keep their values. The API key may also be sent
    as the `api_key` member (see the X-Api-Key header).
    """

    model_config = ConfigDict(strict=True, extra="ignore")

    # Declared in the order in which validation reports errors: the first
    # failing field in this order is the one reported.
    channels: Text = _text(
        description='"*" for all integrations of the project, "" for none, or a '
        "comma-separated list of integration UUIDs or names"
    )
    desc: Text = _text(description="Description")
    failure_kw: Text = _text(KEYWORDS_MAX_LENGTH, "Comma-separated failure keywords")
    filter_subject: bool = Field(False, description="Classify email pings by subject")
    filter_body: bool = Field(False, description="Classify email pings by body")
    filter_http_body: bool = Field(False, description="Classify HTTP pings by body")
    filter_default_fail: bool = Field(
        False, description="Treat a filtered ping matching no keyword as a failure"
    )
    grace: Duration = Field(3600, description="Grace time in seconds")
    manual_resume: bool = Field(False, description="Ignore pings while paused")
    methods: Annotated[Literal["", "POST"], BeforeValidator(_require_str)] = Field(
        "", description='"POST" to accept only POST pings'
    )
    name: Text = _text(NAME_MAX_LENGTH, "Name; API v1 and v2 also set slug from it")
    schedule: Annotated[str, AfterValidator(_valid_schedule)] = Field(
        "* * * * *",
        max_length=SCHEDULE_MAX_LENGTH,
        description="Cron or OnCalendar expression; makes the check a cron or "
        "OnCalendar check and wins over timeout",
    )
    slug: Text = Field(
        "",
        max_length=SLUG_MAX_LENGTH,
        pattern=r"^[a-z0-9_-]*$",
        description="Slug for slug-based ping URLs",
    )
    start_kw: Text = _text(KEYWORDS_MAX_LENGTH, "Comma-separated start keywords")
    subject: Text = _text(KEYWORDS_MAX_LENGTH, "Legacy: sets success_kw and filter_subject")
    subject_fail: Text = _text(KEYWORDS_MAX_LENGTH, "Legacy: sets failure_kw and filter_subject")
    success_kw: Text = _text(KEYWORDS_MAX_LENGTH, "Comma-separated success keywords")
    tags: Text = _text(TAGS_MAX_LENGTH, "Space-separated tags")
    timeout: Duration = Field(
        86400, description="Period in seconds; makes the check a simple check"
    )
    tz: Annotated[str, AfterValidator(_canonical_tz)] = Field(
        "UTC", description="IANA time zone of the schedule; aliases become canonical"
    )
    unique: list[UniqueField] = Field(
        default_factory=list,
        description="Create only: update the oldest check whose named fields equal "
        "this request's instead of creating one",
    )


_ORDER: Final = {name: i for i, name in enumerate(CheckBody.model_fields)}


def parse_check_body(raw: dict[str, Any]) -> CheckBody | str:
    """The validated body, or the error message for the first failing field."""
    try:
        return CheckBody.model_validate(raw)
    except ValidationError as e:
        errors = e.errors(include_url=False, include_input=False)
    first = min(errors, key=lambda err: _ORDER.get(str(err["loc"][0]), len(_ORDER)))
    return "json validation error: " + _describe(first)


def _describe(err: ErrorDetails) -> str:
    loc = err["loc"]
    subject = str(loc[0]) if len(loc) == 1 else f"an item in '{loc[0]}'"
    if err["type"] == _CUSTOM:
        problem = err["msg"]
    else:
        problem = _PROBLEMS.get(err["type"], "has unexpected value")
    return f"{subject} {problem}"


# Response objects (management-api §5-§7) --------------------------------------
#
# Only used to generate the OpenAPI document (hc.api.openapi): the views build
# their responses with plain dicts (hc.api.serializers). Members with a default
# here are the ones that may be absent; the document is generated without the
# defaults, so every other member is required. `extra="forbid"` makes the
# document list every member a response may carry, and nothing else.

UUID_PATTERN: Final = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
UNIQUE_KEY_PATTERN: Final = "[A-Za-z0-9]{40}"
_API_URL: Final = "/api/v3/checks/"
_CHECK_STATUSES = Literal["new", "up", "grace", "down", "paused"]
_CHANNEL_KINDS = Literal[
    "apprise",
    "call",
    "discord",
    "email",
    "github",
    "googlechat",
    "gotify",
    "group",
    "matrix",
    "mattermost",
    "msteamsw",
    "ntfy",
    "opsgenie",
    "pagertree",
    "pd",
    "po",
    "pushbullet",
    "rocketchat",
    "shell",
    "signal",
    "slack",
    "sms",
    "spike",
    "telegram",
    "trello",
    "victorops",
    "webhook",
    "whatsapp",
    "zulip",
]


def _pattern(regex: str, description: str, fmt: str | None = None) -> Any:
    extra: JsonDict | None = {"format": fmt} if fmt else None
    return Field(pattern=regex, description=description, json_schema_extra=extra)


def _absent(description: str, **kwargs: Any) -> Any:
    """A member that may be absent (the default is left out of the document)."""
    return Field(None, description=description, **kwargs)


# ISO 8601 in UTC: whole seconds for check fields and flips, microseconds
# (when not zero) for ping dates (§3.2).
Timestamp = Annotated[
    str,
    _pattern(
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+00:00$",
        "UTC time with whole seconds",
        "date-time",
    ),
]
PreciseTimestamp = Annotated[
    str,
    _pattern(
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?\+00:00$",
        "UTC time with microseconds (omitted when zero)",
        "date-time",
    ),
]
UuidString = Annotated[str, _pattern(f"^{UUID_PATTERN}$", "UUID, lowercase", "uuid")]
Seconds = Annotated[int, Field(ge=0, description="Seconds")]


def _kind_members(schema: JsonDict) -> None:
    """Simple checks carry `timeout`; cron and OnCalendar checks `schedule` and `tz`."""
    schema["oneOf"] = [
        {
            "required": ["timeout"],
            "not": {"anyOf": [{"required": ["schedule"]}, {"required": ["tz"]}]},
        },
        {"required": ["schedule", "tz"], "not": {"required": ["timeout"]}},
    ]


class _CheckMembers(BaseModel):
    """Members of the check object common to both views (§5.1)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_kind_members)

    name: str = Field(description="Name, at most 100 characters, may be empty")
    slug: str = Field(description="Slug, may be empty")
    tags: str = Field(description="Space-separated tags, as stored")
    desc: str = Field(description="Description")
    grace: Seconds
    n_pings: int = Field(ge=0, description="Pings received since the check was created")
    status: _CHECK_STATUSES = Field(description="Status at the time of the response")
    started: bool = Field(description="True while a started run has not finished")
    last_ping: Timestamp | None = Field(description="Last success or failure ping")
    next_ping: Timestamp | None = Field(
        description="When the next ping is expected; a running job's start time"
    )
    manual_resume: bool
    methods: Literal["", "POST"]
    subject: str = Field(description='Legacy: success_kw if filter_subject, else ""')
    subject_fail: str = Field(description='Legacy: failure_kw if filter_subject, else ""')
    start_kw: str
    success_kw: str
    failure_kw: str
    filter_subject: bool
    filter_body: bool
    filter_http_body: bool
    filter_default_fail: bool
    badge_url: str = _pattern(f"/b/2/{UUID_PATTERN}\\.svg$", "The check's badge", "uri")
    last_duration: Seconds = _absent("Duration of the last completed run, when measured")
    timeout: Seconds = _absent("Simple checks only: the period")
    schedule: str = _absent("Cron and OnCalendar checks only: the expression")
    tz: str = _absent("Cron and OnCalendar checks only: the time zone")


class Check(_CheckMembers):
    """A check as seen with a read-write API key."""

    uuid: UuidString
    ping_url: str = _pattern(f"/{UUID_PATTERN}$", "Ping URL; ends with the UUID", "uri")
    update_url: str = _pattern(f"{_API_URL}{UUID_PATTERN}$", "This check in API v3", "uri")
    pause_url: str = _pattern(f"{_API_URL}{UUID_PATTERN}/pause$", "Pauses the check", "uri")
    resume_url: str = _pattern(f"{_API_URL}{UUID_PATTERN}/resume$", "Resumes the check", "uri")
    channels: str = _pattern(
        f"^({UUID_PATTERN}(,{UUID_PATTERN})*)?$",
        "Comma-separated UUIDs of the assigned integrations, sorted",
    )


class ReadOnlyCheck(_CheckMembers):
    """A check as seen with a read-only API key: no UUID anywhere (§5.2)."""

    unique_key: str = _pattern(
        "^[0-9a-f]{40}$", "Stable identifier derived from the UUID, usable in paths"
    )


class CheckList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    checks: list[Check] | list[ReadOnlyCheck] = Field(
        description="The project's checks in creation order, in the view of the key"
    )


class Ping(BaseModel):
    """One received ping (§6.8)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["success", "start", "fail", "log", "ign"]
    date: PreciseTimestamp
    n: int = Field(ge=1, description="Per-check sequence number")
    scheme: Literal["http", "https", "email"]
    remote_addr: str = Field(description="Client address")
    method: str = Field(description='HTTP method; "" for email')
    ua: str = Field(description="User agent, or `Email from <sender>`")
    rid: UuidString | None = Field(description="Run ID")
    body_url: str | None = Field(
        pattern=f"{_API_URL}{UUID_PATTERN}/pings/[0-9]+/body$",
        json_schema_extra={"format": "uri"},
        description="Where to get the body; null if the ping has none",
    )
    duration: float = _absent("Seconds since the matching start, for completions", ge=0)


class PingList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pings: list[Ping] = Field(description="The most recent pings, newest first")


class Flip(BaseModel):
    """A status change (§6.10)."""

    model_config = ConfigDict(extra="forbid")

    timestamp: Timestamp
    up: Literal[0, 1] = Field(description="1 when the new status was up, else 0")


class FlipList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    flips: list[Flip] = Field(description="Newest first")


class Channel(BaseModel):
    """An integration (§6.11)."""

    model_config = ConfigDict(extra="forbid")

    id: UuidString
    name: str = Field(description="May be empty")
    kind: _CHANNEL_KINDS


class ChannelList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: list[Channel]


class ChannelDetail(BaseModel):
    """An integration with its delivery state (API v3 `channels/<uuid>`).

    With a read-write key it also carries `checks` and the kind's own fields
    at top level, as stored (for example `value`, `down` and `up` for email,
    `url_down`, `method_down`, … for webhooks). A read-only key gets neither.
    """

    # The kind's fields are the additional members.
    model_config = ConfigDict(extra="allow")

    id: UuidString
    name: str = Field(description="May be empty")
    kind: _CHANNEL_KINDS
    disabled: bool = Field(description="True when deliveries are switched off after errors")
    last_notify: Timestamp | None = Field(description="Start of the latest delivery attempt")
    last_error: str = Field(description='The latest delivery error; "" after a success')
    failures: int = Field(ge=0, description="Consecutive failed deliveries")
    checks: list[UuidString] = _absent(
        "Read-write key only: UUIDs of the checks that alert through it, sorted"
    )


def _badge_url(fmt: str, description: str) -> Any:
    return _pattern(f"/badge/[-a-zA-Z0-9_]+/.+\\.{fmt}$", description, "uri")


class BadgeUrls(BaseModel):
    """The six badge URLs of one tag (§6.12, §8)."""

    model_config = ConfigDict(extra="forbid")

    svg: str = _badge_url("svg", "SVG, two states")
    svg3: str = _badge_url("svg", "SVG, three states")
    json_: str = Field(
        alias="json",
        pattern="/badge/[-a-zA-Z0-9_]+/.+\\.json$",
        description="JSON, two states",
        json_schema_extra={"format": "uri"},
    )
    json3: str = _badge_url("json", "JSON, three states")
    shields: str = _badge_url("shields", "Shields.io endpoint, two states")
    shields3: str = _badge_url("shields", "Shields.io endpoint, three states")


def _all_checks_badge(schema: JsonDict) -> None:
    schema["required"] = ["*"]


class BadgeList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    badges: dict[str, BadgeUrls] = Field(
        description='One entry per tag in use, plus "*" for all checks',
        json_schema_extra=_all_checks_badge,
    )


class ErrorBody(BaseModel):
    """The body of most 400 and 401 responses."""

    model_config = ConfigDict(extra="forbid")

    error: str


class Metrics(BaseModel):
    """Operator metrics (§7.2)."""

    model_config = ConfigDict(extra="forbid")

    ts: int = Field(description="Current UNIX time")
    max_ping_id: int | None = Field(description="Highest ping row id; null if none")
    max_notification_id: int | None = Field(description="Highest notification row id")
    num_unprocessed_flips: int = Field(ge=0)


RESPONSE_MODELS: Final[tuple[type[BaseModel], ...]] = (
    Check,
    ReadOnlyCheck,
    CheckList,
    Ping,
    PingList,
    Flip,
    FlipList,
    Channel,
    ChannelList,
    ChannelDetail,
    BadgeUrls,
    BadgeList,
    ErrorBody,
    Metrics,
)

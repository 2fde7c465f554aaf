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

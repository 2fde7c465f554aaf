"""Forms of the "My Checks" page: Add Check and Name & Tags (web spec §6.7, §6.9, §16)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from hc.api.models import CheckKind
from hc.api.schemas import (
    MAX_DURATION,
    MIN_DURATION,
    NAME_MAX_LENGTH,
    SLUG_MAX_LENGTH,
    TAGS_MAX_LENGTH,
)
from hc.api.services.check_edits import NewCheck
from hc.lib.schedules import MAX_SCHEDULE_LENGTH, InvalidSchedule, validate_schedule
from hc.lib.timezones import canonical_zone

SIMPLE_SCHEDULE = "* * * * *"
DEFAULT_TIMEOUT = 86400
DEFAULT_GRACE = 3600

# Lower case only (a recommended deviation): ping URLs are case-sensitive and
# an upper-case slug typed here would never match the one a script uses.
_slug_validator = RegexValidator(
    r"\A[a-z0-9_-]*\Z",
    "The slug may contain only lower-case letters, digits, hyphens and underscores.",
)


def normalize_tags(value: str) -> str:
    """Tags split on whitespace, empty parts and repeats dropped, joined by one space."""
    return " ".join(dict.fromkeys(value.split()))


def _seconds_field(label: str, *, required: bool = True) -> forms.IntegerField:
    bounds = (
        f"{label} must be between 1 minute and 365 days ({MIN_DURATION} to {MAX_DURATION} seconds)."
    )
    return forms.IntegerField(
        required=required,
        min_value=MIN_DURATION,
        max_value=MAX_DURATION,
        error_messages={
            "required": f"{label} is required.",
            "invalid": f"{label} must be a whole number of seconds.",
            "min_value": bounds,
            "max_value": bounds,
        },
    )


class _NameFields(forms.Form):
    name = forms.CharField(
        required=False,
        max_length=NAME_MAX_LENGTH,
        strip=False,
        error_messages={"max_length": f"The name can be at most {NAME_MAX_LENGTH} characters."},
    )
    slug = forms.CharField(
        required=False,
        max_length=SLUG_MAX_LENGTH,
        validators=[_slug_validator],
        error_messages={"max_length": f"The slug can be at most {SLUG_MAX_LENGTH} characters."},
    )
    tags = forms.CharField(required=False, strip=False)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        return name.strip()

    def clean_tags(self) -> str:
        tags = normalize_tags(self.cleaned_data["tags"])
        if len(tags) > TAGS_MAX_LENGTH:
            raise forms.ValidationError(f"Tags can be at most {TAGS_MAX_LENGTH} characters.")
        return tags


class NameForm(_NameFields):
    """The Name & Tags dialog."""

    desc = forms.CharField(required=False, strip=False)


class AddCheckForm(_NameFields):
    """The Add Check dialog; `new_check()` gives the validated fields."""

    kind = forms.ChoiceField(
        choices=CheckKind.choices,
        error_messages={
            "required": "Choose a schedule kind.",
            "invalid_choice": "The schedule kind must be simple, cron or oncalendar.",
        },
    )
    timeout = _seconds_field("Period", required=False)
    grace = _seconds_field("Grace time")
    schedule = forms.CharField(
        required=False,
        max_length=MAX_SCHEDULE_LENGTH,
        strip=False,
        error_messages={
            "max_length": f"The schedule can be at most {MAX_SCHEDULE_LENGTH} characters."
        },
    )
    tz = forms.CharField(required=False, max_length=36)

    def clean_tz(self) -> str:
        value: str = self.cleaned_data["tz"] or "UTC"
        zone = canonical_zone(value)
        if zone is None:
            raise forms.ValidationError(f"Unsupported time zone: {value}")
        return zone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == CheckKind.SIMPLE:
            if data.get("timeout") is None and "timeout" not in self.errors:
                self.add_error("timeout", "Period is required.")
            data["schedule"] = SIMPLE_SCHEDULE
        elif kind in (CheckKind.CRON, CheckKind.ONCALENDAR) and "schedule" in data:
            schedule = data["schedule"].strip()
            try:
                validate_schedule(kind, schedule)
            except InvalidSchedule:
                label = "cron" if kind == CheckKind.CRON else "OnCalendar"
                self.add_error("schedule", f"Please enter a valid {label} expression.")
            else:
                data["schedule"] = schedule
        return data

    def new_check(self) -> NewCheck:
        data = self.cleaned_data
        return NewCheck(
            name=data["name"],
            slug=data["slug"],
            tags=data["tags"],
            kind=CheckKind(data["kind"]),
            timeout=timedelta(seconds=data["timeout"] or DEFAULT_TIMEOUT),
            grace=timedelta(seconds=data["grace"]),
            schedule=data["schedule"],
            tz=data["tz"],
        )


def error_messages(form: forms.Form) -> list[str]:
    """Every error of the form as one flat list of sentences."""
    return [str(message) for errors in form.errors.values() for message in errors]

"""Forms of the schedule dialog, the previews and the check actions (web spec §6.10, §7.5, §16)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms

from hc.api.models import CheckKind, Methods
from hc.api.schemas import KEYWORDS_MAX_LENGTH, MAX_DURATION, MIN_DURATION
from hc.api.services.checks import FilteringRules, Schedule
from hc.lib.schedules import InvalidSchedule, validate_schedule
from hc.lib.timezones import canonical_zone

SCHEDULE_ERRORS = {
    CheckKind.CRON: "Not a valid cron expression.",
    CheckKind.ONCALENDAR: "Not a valid OnCalendar expression.",
}
TZ_ERROR = "Not a valid time zone."


def _duration_field() -> forms.IntegerField:
    return forms.IntegerField(min_value=MIN_DURATION, max_value=MAX_DURATION, required=False)


def _flag() -> forms.ChoiceField:
    """A "0"/"1" radio pair; absent means "0"."""
    return forms.ChoiceField(choices=[("0", "no"), ("1", "yes")], required=False)


def error_list(form: forms.Form) -> list[str]:
    """The form's errors, each prefixed with its field's name."""
    return [
        str(error) if field == "__all__" else f"{field}: {error}"
        for field, errors in form.errors.items()
        for error in errors
    ]


class TimeoutForm(forms.Form):
    """POST /checks/<code>/timeout/: a simple period, or a cron/OnCalendar schedule."""

    kind = forms.ChoiceField(choices=CheckKind.choices)
    timeout = _duration_field()
    grace = forms.IntegerField(min_value=MIN_DURATION, max_value=MAX_DURATION)
    schedule = forms.CharField(required=False)
    tz = forms.CharField(required=False)

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data.get("kind")
        if kind == CheckKind.SIMPLE:
            if data.get("timeout") is None and "timeout" not in self.errors:
                self.add_error("timeout", "This field is required.")
        elif kind in SCHEDULE_ERRORS:
            schedule = data.get("schedule", "")
            try:
                validate_schedule(kind, schedule)
            except InvalidSchedule:
                self.add_error("schedule", SCHEDULE_ERRORS[CheckKind(kind)])
            zone = canonical_zone(data.get("tz", ""))
            if zone is None:
                self.add_error("tz", TZ_ERROR)
            else:
                data["tz"] = zone
        return data

    def to_schedule(self) -> Schedule:
        data = self.cleaned_data
        kind = CheckKind(data["kind"])
        grace = timedelta(seconds=data["grace"])
        if kind == CheckKind.SIMPLE:
            return Schedule(kind, grace, timeout=timedelta(seconds=data["timeout"]))
        return Schedule(kind, grace, schedule=data["schedule"], tz=data["tz"])


class PreviewForm(forms.Form):
    """The cron and OnCalendar previews: an expression and a zone, checked by the view."""

    schedule = forms.CharField(required=False)
    tz = forms.CharField(required=False)


class ValidateScheduleForm(forms.Form):
    kind = forms.ChoiceField(choices=[(CheckKind.CRON, "cron"), (CheckKind.ONCALENDAR, "oncal")])
    schedule = forms.CharField(required=False)


class FilteringRulesForm(forms.Form):
    """POST /checks/<code>/filtering_rules/ (web spec §7.5)."""

    methods = forms.ChoiceField(choices=Methods.choices, required=False)
    filter_http_body = forms.BooleanField(required=False)
    filter_subject = forms.BooleanField(required=False)
    filter_body = forms.BooleanField(required=False)
    start_kw = forms.CharField(max_length=KEYWORDS_MAX_LENGTH, required=False)
    success_kw = forms.CharField(max_length=KEYWORDS_MAX_LENGTH, required=False)
    failure_kw = forms.CharField(max_length=KEYWORDS_MAX_LENGTH, required=False)
    filter_default_fail = _flag()
    manual_resume = _flag()

    def to_rules(self) -> FilteringRules:
        data = self.cleaned_data
        return FilteringRules(
            methods=Methods(data["methods"]),
            filter_http_body=data["filter_http_body"],
            filter_subject=data["filter_subject"],
            filter_body=data["filter_body"],
            start_kw=data["start_kw"],
            success_kw=data["success_kw"],
            failure_kw=data["failure_kw"],
            filter_default_fail=data["filter_default_fail"] == "1",
            manual_resume=data["manual_resume"] == "1",
        )


class TransferForm(forms.Form):
    project = forms.UUIDField()

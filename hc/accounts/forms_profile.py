"""Forms of the account settings pages (web spec §4, §16)."""

from __future__ import annotations

from datetime import timedelta

from django import forms

from hc.accounts.models import ReportFrequency, Theme
from hc.lib.timezones import canonical_zone

# Reminder periods on offer, in seconds: off, hourly, daily (monitoring §2.1).
NAG_PERIODS = (0, 3600, 86400)


class TimezoneForm(forms.Form):
    tz = forms.CharField(max_length=36)

    def clean_tz(self) -> str:
        # Legacy aliases (US/Eastern) are stored under their canonical name.
        zone = canonical_zone(self.cleaned_data["tz"])
        if zone is None:
            raise forms.ValidationError("Unknown time zone.")
        return zone


class AppearanceForm(forms.Form):
    # Light is the empty value, so the field cannot be "required" in Django's
    # sense; clean() insists the browser actually sent it.
    theme = forms.ChoiceField(choices=Theme.choices, required=False)

    def clean(self) -> dict[str, object] | None:
        if "theme" not in self.data:
            raise forms.ValidationError("Choose a theme.")
        return super().clean()


def _seconds_to_period(value: str) -> timedelta:
    return timedelta(seconds=int(value))


class ReportSettingsForm(forms.Form):
    reports = forms.ChoiceField(
        choices=ReportFrequency.choices,
        error_messages={"invalid_choice": "Choose how often to receive reports."},
    )
    nag_period = forms.TypedChoiceField(
        choices=[(str(seconds), str(seconds)) for seconds in NAG_PERIODS],
        coerce=_seconds_to_period,
        error_messages={
            "invalid_choice": "Choose no reminders, hourly or daily reminders.",
            "required": "Choose how often to be reminded.",
        },
    )


class LeaveProjectForm(forms.Form):
    code = forms.UUIDField()

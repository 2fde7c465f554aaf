"""The email integration's add/edit form (integrations spec §3.1)."""

from __future__ import annotations

from typing import Any

from django import forms

from hc.integrations.email.config import MAX_ADDRESS_LENGTH, EmailSettings

SELECT_ONE = "Select at least one: a check going down, or a check coming back up."


class EmailForm(forms.Form):
    value = forms.EmailField(
        label="Email",
        max_length=MAX_ADDRESS_LENGTH,
        widget=forms.EmailInput(
            attrs={"class": "form-control", "placeholder": "you@example.org", "autofocus": True}
        ),
    )
    down = forms.BooleanField(required=False, initial=True)
    up = forms.BooleanField(required=False, initial=True)

    @classmethod
    def for_settings(cls, stored: EmailSettings) -> EmailForm:
        return cls(initial={"value": stored.address, "down": stored.down, "up": stored.up})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("down") and not data.get("up"):
            self.add_error("down", SELECT_ONE)
        return data

    def fields_to_save(self) -> dict[str, Any]:
        """The config fields of the integration's schema."""
        data = self.cleaned_data
        return {"value": data["value"], "down": bool(data["down"]), "up": bool(data["up"])}

"""The webhook integration's add/edit form (integrations spec §3.2.2).

The form parses the headers textareas and hands everything to WebhookConfig,
the schema the Management API uses too, then puts each of its errors next
to the field it is about.
"""

from __future__ import annotations

from typing import Any, Final

from django import forms
from pydantic import ValidationError

from hc.integrations.webhook.config import (
    MAX_LENGTH,
    WebhookConfig,
    format_headers,
    parse_headers,
)

NAME_MAX_LENGTH: Final = 100
STATUSES: Final = ("down", "up")
METHODS: Final = [("GET", "GET"), ("POST", "POST"), ("PUT", "PUT")]
NO_URL: Final = "Enter a valid URL. At least one of the two requests needs a URL."


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control", "spellcheck": "false"})


class WebhookForm(forms.Form):
    config: WebhookConfig  # set by a successful clean()
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for status in STATUSES:
            self.fields[f"method_{status}"] = forms.ChoiceField(
                label="Method",
                choices=METHODS,
                initial="GET",
                widget=forms.Select(attrs={"class": "form-select webhook-method"}),
            )
            self.fields[f"url_{status}"] = forms.CharField(
                label="URL",
                max_length=MAX_LENGTH,
                required=False,
                widget=forms.TextInput(
                    attrs={"class": "form-control monospace", "placeholder": "https://"}
                ),
            )
            self.fields[f"body_{status}"] = forms.CharField(
                label="Request Body",
                max_length=MAX_LENGTH,
                required=False,
                strip=False,
                widget=_textarea(3),
            )
            self.fields[f"headers_{status}"] = forms.CharField(
                label="Request Headers",
                required=False,
                widget=_textarea(3),
            )

    @classmethod
    def for_channel(cls, name: str, config: Any) -> WebhookForm:
        """The edit form of a stored channel; its headers one "Name: value" per line."""
        stored = config if isinstance(config, dict) else {}
        initial: dict[str, Any] = {"name": name}
        for status in STATUSES:
            headers = stored.get(f"headers_{status}")
            initial[f"method_{status}"] = str(stored.get(f"method_{status}", "GET")).upper()
            initial[f"url_{status}"] = stored.get(f"url_{status}", "")
            initial[f"body_{status}"] = stored.get(f"body_{status}", "")
            initial[f"headers_{status}"] = (
                format_headers(headers) if isinstance(headers, dict) else ""
            )
        return cls(initial=initial)

    def status_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Each status with its method, URL, body and headers fields, for the template."""
        return [
            (status, [self[f"{part}_{status}"] for part in ("method", "url", "body", "headers")])
            for status in STATUSES
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        candidate: dict[str, Any] = {}
        for status in STATUSES:
            try:
                candidate[f"headers_{status}"] = parse_headers(data[f"headers_{status}"])
            except ValueError as e:
                self.add_error(f"headers_{status}", str(e))
            for part in ("method", "url", "body"):
                candidate[f"{part}_{status}"] = data[f"{part}_{status}"]
        if self.errors:
            return data
        if not candidate["url_down"].strip() and not candidate["url_up"].strip():
            self.add_error("url_down", NO_URL)
            return data
        try:
            self.config = WebhookConfig.model_validate(candidate)
        except ValidationError as e:
            for error in e.errors(include_url=False):
                field = str(error["loc"][0]) if error["loc"] else None
                self.add_error(field if field in self.fields else None, error["msg"])
        return data

    def fields_to_save(self) -> dict[str, Any]:
        """The config fields of the integration's schema, validated."""
        fields: dict[str, Any] = self.config.model_dump()
        return fields

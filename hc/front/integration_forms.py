"""Input of the integrations and badges pages (web spec §9.2, §10, §16)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Final

from django import forms
from django.http import QueryDict

CHANNEL_NAME_MAX_LENGTH: Final = 100
TAG_MAX_LENGTH: Final = 100
CHECK_KEY_PREFIX: Final = "check-"


class ChannelNameForm(forms.Form):
    name = forms.CharField(max_length=CHANNEL_NAME_MAX_LENGTH, required=False)


class AssignmentError(ValueError):
    pass


@dataclass(frozen=True)
class Assignment:
    """The assign-checks dialog's answer: a channel and the checks it should have."""

    channel: uuid.UUID
    checks: frozenset[uuid.UUID]


def parse_assignment(data: QueryDict) -> Assignment:
    """`channel=<uuid>` and one `check-<uuid>` key per ticked check.

    Raises AssignmentError with a message for the user.
    """
    try:
        channel = uuid.UUID(data.get("channel", ""))
    except ValueError:
        raise AssignmentError("Missing or malformed integration code.") from None
    checks: set[uuid.UUID] = set()
    for key in data:
        if not key.startswith(CHECK_KEY_PREFIX):
            continue
        try:
            checks.add(uuid.UUID(key.removeprefix(CHECK_KEY_PREFIX)))
        except ValueError:
            raise AssignmentError("Malformed check code.") from None
    return Assignment(channel, frozenset(checks))


class BadgeForm(forms.Form):
    """The badge generator's choices; `tag` and `check` only count for their target."""

    target = forms.ChoiceField(choices=[("all", "all"), ("tag", "tag"), ("check", "check")])
    tag = forms.CharField(max_length=TAG_MAX_LENGTH, required=False)
    check = forms.UUIDField(required=False)
    fmt = forms.ChoiceField(choices=[("svg", "SVG"), ("json", "JSON"), ("shields", "Shields.io")])
    states = forms.TypedChoiceField(choices=[("2", "2"), ("3", "3")], coerce=int)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = data.get("target")
        if target == "tag":
            tag = data.get("tag") or ""
            if not tag or any(ch.isspace() for ch in tag):
                self.add_error("tag", "Choose a tag.")
        elif target == "check" and not data.get("check"):
            self.add_error("check", "Choose a check.")
        return data

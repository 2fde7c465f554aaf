"""Forms of the project pages: name, keys, team and transfer (web spec §5, §16)."""

from __future__ import annotations

from django import forms

from hc.accounts.models import Role

PROJECT_NAME_MAX_LENGTH = 60
KEY_CHOICES = [
    ("api_key", "API key"),
    ("api_key_readonly", "API key (read-only)"),
    ("ping_key", "Ping key"),
]


class LowercaseEmailField(forms.EmailField):
    def to_python(self, value: object) -> str:
        return str(super().to_python(value)).lower()


class ProjectNameForm(forms.Form):
    name = forms.CharField(
        max_length=PROJECT_NAME_MAX_LENGTH,
        error_messages={
            "required": "Please enter a project name.",
            "max_length": f"The project name can be at most {PROJECT_NAME_MAX_LENGTH} characters.",
        },
    )


class CreateKeyForm(forms.Form):
    create_key = forms.ChoiceField(choices=KEY_CHOICES)


class RevokeKeyForm(forms.Form):
    revoke_key = forms.ChoiceField(choices=KEY_CHOICES)


class InviteForm(forms.Form):
    email = LowercaseEmailField(
        max_length=254,
        error_messages={
            "required": "Please enter an email address.",
            "invalid": "Please enter a valid email address.",
            "max_length": "The email address can be at most 254 characters.",
        },
    )
    role = forms.ChoiceField(
        choices=Role.choices,
        error_messages={
            "required": "Please choose an access level.",
            "invalid_choice": "Please choose an access level.",
        },
    )


class MemberEmailForm(forms.Form):
    """Names a team member: who to remove, or who to offer the project to."""

    email = LowercaseEmailField(max_length=254)

"""Forms of login, signup and the sensitive account changes (web spec §3, §16)."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.contrib import auth
from django.contrib.auth.models import User
from django.http import HttpRequest

from hc.accounts import ratelimits

RATE_LIMITED = "Too many attempts, please try again later."
NO_EMAIL = "Outgoing email is not configured on this server."


@cache
def supported_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class LowercaseEmailField(forms.EmailField):
    """Email addresses are identities, compared lower-cased everywhere."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).lower()


class EmailLinkForm(forms.Form):
    # "identity", not "email": naive form-filling bots look for the latter.
    identity = LowercaseEmailField(max_length=254)


class SignupForm(forms.Form):
    identity = LowercaseEmailField(max_length=254)
    # No max_length: a bad zone is replaced, never an error.
    tz = forms.CharField(required=False)

    def clean_tz(self) -> str:
        # The browser's zone is a convenience: anything unknown means UTC.
        tz: str = self.cleaned_data["tz"]
        return tz if tz in supported_timezones() else "UTC"


class PasswordLoginForm(forms.Form):
    email = LowercaseEmailField(max_length=254)
    password = forms.CharField(max_length=1000, strip=False)

    WRONG = "Incorrect email or password."

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.errors:
            # One generic message, whatever was wrong with the input.
            raise forms.ValidationError(self.WRONG)
        email: str = self.cleaned_data["email"]
        # Counted before the check, so guessing costs attempts either way.
        if not ratelimits.allow_password_login(email):
            raise forms.ValidationError(RATE_LIMITED)
        user = auth.authenticate(
            self.request, username=email, password=self.cleaned_data["password"]
        )
        if not isinstance(user, User):
            raise forms.ValidationError(self.WRONG)
        self.user = user
        return cleaned


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        min_length=8,
        max_length=1000,
        strip=False,
        error_messages={"min_length": "The password must be at least 8 characters long."},
    )


class ChangeEmailForm(forms.Form):
    email = LowercaseEmailField(max_length=254)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(f"{email} is already registered.")
        return email


class CloseAccountForm(forms.Form):
    confirmation = forms.CharField(max_length=254, strip=False)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirmation(self) -> str:
        value: str = self.cleaned_data["confirmation"]
        if value != self.user.email:
            raise forms.ValidationError("That is not your email address.")
        return value

"""Forms of the second-factor pages: security keys, passkeys and TOTP codes."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from hc.accounts import totp

# A registration response with an attestation certificate chain stays well
# under this; anything longer is not from a browser.
MAX_RESPONSE_LENGTH = 64 * 1024

INCORRECT_CODE = "The code you entered is incorrect."


class WebAuthnResponseForm(forms.Form):
    """The browser's credential, serialised by webauthn-json, as a dict."""

    response = forms.CharField(max_length=MAX_RESPONSE_LENGTH, strip=False)

    def clean_response(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["response"])
        except ValueError:
            raise forms.ValidationError("The security key response is not valid JSON.") from None
        if not isinstance(value, dict):
            raise forms.ValidationError("The security key response is not a JSON object.")
        return value


class AddWebAuthnForm(WebAuthnResponseForm):
    name = forms.CharField(max_length=100)


class TotpCodeForm(forms.Form):
    """A 6-digit code, checked against `secret` (one step of clock skew allowed)."""

    code = forms.RegexField(
        regex=r"^[0-9]{6}$",
        error_messages={"invalid": "Please enter the 6-digit code from your app."},
    )

    def __init__(self, *args: Any, secret: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.secret = secret

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if not totp.verify(self.secret, code):
            raise forms.ValidationError(INCORRECT_CODE)
        return code

"""WebAuthn ceremonies on top of fido2 (web spec §3.6.2, plus passkey login).

The browser gets the options as plain JSON in the shape @github/webauthn-json
expects; the ceremony state stays in the session as plain JSON too; a key is
stored as fido2's attested credential data (AAGUID, credential id, public key).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from fido2.cose import ES256, RS256
from fido2.server import Fido2Server
from fido2.webauthn import (
    AttestedCredentialData,
    AuthenticationResponse,
    PublicKeyCredentialParameters,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialType,
    PublicKeyCredentialUserEntity,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from hc.accounts.models import Credential

# The relying party's display name: a fixed product name, not SITE_NAME, so
# that renaming a site does not change what authenticators show.
RP_NAME = "Mychecks"

# ES256 and RS256 only: older Firefox releases mangled Ed25519 credentials.
ALGORITHMS = (ES256.ALGORITHM, RS256.ALGORITHM)

Options = dict[str, Any]
State = dict[str, Any]


class WebAuthnError(Exception):
    """The browser's response did not verify; the message is safe to log."""


class UnknownCredential(WebAuthnError):
    """A passkey that is not (or no longer) registered here."""


def enabled() -> bool:
    return bool(settings.RP_ID)


def _server() -> Fido2Server:
    server = Fido2Server(PublicKeyCredentialRpEntity(id=settings.RP_ID, name=RP_NAME))
    server.allowed_algorithms = [
        PublicKeyCredentialParameters(type=PublicKeyCredentialType.PUBLIC_KEY, alg=alg)
        for alg in ALGORITHMS
    ]
    return server


def _plain(value: Mapping[str, Any]) -> dict[str, Any]:
    # fido2's mappings serialise bytes as base64url and enums as strings; a
    # JSON round trip leaves plain dicts that sessions and json_script accept.
    result: dict[str, Any] = json.loads(json.dumps(dict(value)))
    return result


def _stored(credentials: Iterable[bytes]) -> list[AttestedCredentialData]:
    return [AttestedCredentialData(bytes(data)) for data in credentials]


def _verify(step: str, action: Any, *args: Any) -> Any:
    # fido2 reports malformed input with whatever the parser hit (ValueError,
    # TypeError, KeyError, struct.error, ...); to the caller all of them mean
    # "this response does not verify", never a server error.
    try:
        return action(*args)
    except Exception as e:
        raise WebAuthnError(f"{step}: {type(e).__name__}: {e}") from e


def begin_registration(email: str, existing: Iterable[bytes]) -> tuple[Options, State]:
    """Options for registering a new key, excluding the user's current keys."""
    user = PublicKeyCredentialUserEntity(
        # Random and never stored: the handle carries no personal data.
        id=secrets.token_bytes(16),
        name=email,
        display_name=email,
    )
    options, state = _server().register_begin(
        user,
        _stored(existing),
        # A discoverable credential, where the authenticator can make one,
        # also works as a passkey for login without typing an email.
        resident_key_requirement=ResidentKeyRequirement.PREFERRED,
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    return _plain(options), _plain(state)


def complete_registration(state: State, response: Mapping[str, Any]) -> bytes:
    """The attested credential data of a verified registration response."""
    auth_data = _verify("registration", _server().register_complete, state, response)
    credential = auth_data.credential_data
    if credential is None:
        raise WebAuthnError("registration: no attested credential data")
    if credential.public_key.ALGORITHM not in ALGORITHMS:
        raise WebAuthnError(f"registration: algorithm {credential.public_key.ALGORITHM}")
    return bytes(credential)


def begin_authentication(credentials: Iterable[bytes]) -> tuple[Options, State]:
    """Options for the security-key login step: any of the user's keys."""
    options, state = _server().authenticate_begin(
        _stored(credentials), user_verification=UserVerificationRequirement.DISCOURAGED
    )
    return _plain(options), _plain(state)


def complete_authentication(
    state: State, credentials: Iterable[bytes], response: Mapping[str, Any]
) -> None:
    """Raise WebAuthnError unless one of `credentials` signed the response."""
    _verify(
        "authentication", _server().authenticate_complete, state, _stored(credentials), response
    )


def begin_passkey() -> tuple[Options, State]:
    """Options for passkey login: no allowed list, so the browser offers the
    discoverable credentials it has; the user must be verified (PIN,
    biometrics), which makes the passkey count as both factors."""
    options, state = _server().authenticate_begin(
        [], user_verification=UserVerificationRequirement.REQUIRED
    )
    return _plain(options), _plain(state)


def find_credential(credential_id: bytes) -> Credential | None:
    """The stored key with this credential id, whoever owns it."""
    rows = Credential.objects.select_related("user").filter(
        id_digest=Credential.digest(credential_id)
    )
    for credential in rows:
        try:
            stored = AttestedCredentialData(bytes(credential.data))
        except Exception:  # noqa: S112 (an unreadable row is no match)
            continue
        if stored.credential_id == credential_id:
            return credential
    return None


def complete_passkey(state: State, response: Mapping[str, Any]) -> Credential:
    """The stored key that signed a passkey response with user verification."""
    parsed = _verify("passkey", AuthenticationResponse.from_dict, response)
    credential = find_credential(parsed.raw_id)
    if credential is None:
        raise UnknownCredential("passkey: unknown credential")
    complete_authentication(state, [bytes(credential.data)], response)
    # fido2 checks the flag because the state asks for it; check it here too
    # so that a state from another ceremony can never skip it.
    if not parsed.response.authenticator_data.is_user_verified():
        raise WebAuthnError("passkey: user not verified")
    return credential

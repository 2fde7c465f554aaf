"""A software WebAuthn authenticator for server-side tests.

It answers the options our views embed (the JSON webauthn-json feeds to the
browser) with the JSON webauthn-json sends back, building the authenticator
data, attestation object and signatures itself:

    key = SoftAuthenticator()
    response = key.register(options)            # dict, post as json.dumps(...)
    response = key.authenticate(options)
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from fido2 import cbor

ORIGIN = "https://testserver"
RP_ID = "testserver"

FLAG_UP = 0x01
FLAG_UV = 0x04
FLAG_AT = 0x40

AAGUID = bytes(range(16))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _int_bytes(value: int, length: int | None = None) -> bytes:
    length = length or (value.bit_length() + 7) // 8
    return value.to_bytes(length, "big")


class SoftAuthenticator:
    """One credential (key pair + id) with a signature counter.

    alg: "ES256" (P-256), "RS256" (RSA 2048) or "EdDSA" (Ed25519, which the
    server must refuse).
    """

    def __init__(self, alg: str = "ES256") -> None:
        self.alg = alg
        self.credential_id = os.urandom(32)
        self.counter = 0
        self.key: Any
        if alg == "ES256":
            self.key = ec.generate_private_key(ec.SECP256R1())
        elif alg == "RS256":
            self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        elif alg == "EdDSA":
            self.key = ed25519.Ed25519PrivateKey.generate()
        else:
            raise ValueError(alg)

    def cose_public_key(self) -> dict[int, Any]:
        public = self.key.public_key()
        if self.alg == "ES256":
            numbers = public.public_numbers()
            x, y = _int_bytes(numbers.x, 32), _int_bytes(numbers.y, 32)
            return {1: 2, 3: -7, -1: 1, -2: x, -3: y}
        if self.alg == "RS256":
            numbers = public.public_numbers()
            return {1: 3, 3: -257, -1: _int_bytes(numbers.n), -2: _int_bytes(numbers.e)}
        raw = public.public_bytes_raw()
        return {1: 1, 3: -8, -1: 6, -2: raw}

    def sign(self, data: bytes) -> bytes:
        if self.alg == "ES256":
            signature: bytes = self.key.sign(data, ec.ECDSA(hashes.SHA256()))
        elif self.alg == "RS256":
            signature = self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        else:
            signature = self.key.sign(data)
        return signature

    def attested_credential_data(self) -> bytes:
        """What the server should store for this credential."""
        return (
            AAGUID
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + cbor.encode(self.cose_public_key())
        )

    def _auth_data(self, rp_id: str, flags: int, attested: bool) -> bytes:
        self.counter += 1
        rp_id_hash = hashlib.sha256(rp_id.encode()).digest()
        data = rp_id_hash + struct.pack(">BI", flags, self.counter)
        return data + self.attested_credential_data() if attested else data

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        fields = {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        return json.dumps(fields, separators=(",", ":")).encode()

    def register(
        self,
        options: dict[str, Any],
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        uv: bool = False,
        fmt: str = "packed",
        challenge: str | None = None,
    ) -> dict[str, Any]:
        """A registration response to `options` ({"publicKey": ...})."""
        public_key = options["publicKey"]
        rp_id = rp_id or public_key["rp"]["id"]
        client_data = self._client_data(
            "webauthn.create", challenge or public_key["challenge"], origin
        )
        flags = FLAG_UP | FLAG_AT | (FLAG_UV if uv else 0)
        auth_data = self._auth_data(rp_id, flags, attested=True)
        statement: dict[str, Any] = {}
        if fmt == "packed":
            # Self attestation: signed with the credential's own key.
            alg = self.cose_public_key()[3]
            signed = auth_data + hashlib.sha256(client_data).digest()
            statement = {"alg": alg, "sig": self.sign(signed)}
        attestation = cbor.encode({"fmt": fmt, "attStmt": statement, "authData": auth_data})
        return {
            "type": "public-key",
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "authenticatorAttachment": "cross-platform",
            "response": {
                "clientDataJSON": b64(client_data),
                "attestationObject": b64(attestation),
                "transports": ["usb"],
            },
            "clientExtensionResults": {},
        }

    def authenticate(
        self,
        options: dict[str, Any],
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        uv: bool = False,
        user_handle: bytes | None = None,
        tamper: bool = False,
    ) -> dict[str, Any]:
        """An assertion answering `options` ({"publicKey": ...})."""
        public_key = options["publicKey"]
        rp_id = rp_id or public_key["rpId"]
        client_data = self._client_data("webauthn.get", public_key["challenge"], origin)
        flags = FLAG_UP | (FLAG_UV if uv else 0)
        auth_data = self._auth_data(rp_id, flags, attested=False)
        signature = self.sign(auth_data + hashlib.sha256(client_data).digest())
        if tamper:
            signature = signature[:-1] + bytes([signature[-1] ^ 1])
        return {
            "type": "public-key",
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "authenticatorAttachment": "cross-platform",
            "response": {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": b64(user_handle) if user_handle else None,
            },
            "clientExtensionResults": {},
        }

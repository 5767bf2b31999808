"""A software authenticator for the passkey tests: an EC P-256 key that answers WebAuthn ceremonies the way a
security key does (attestation "none"), and returns what the browser's `credential.toJSON()` posts."""

from __future__ import annotations

import hashlib
import json
import os
from base64 import urlsafe_b64encode
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec


def b64u(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftAuthenticator:
    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0

    def _cose(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()

    def create(self, options: dict[str, Any], *, origin: str = "http://testserver") -> str:
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        auth_data = (hashlib.sha256(options["rp"]["id"].encode()).digest() + bytes([0x45])
                     + self.sign_count.to_bytes(4, "big") + bytes(16) + len(self.credential_id).to_bytes(2, "big")
                     + self.credential_id + self._cose())
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps({"id": b64u(self.credential_id), "rawId": b64u(self.credential_id), "type": "public-key",
                           "response": {"clientDataJSON": b64u(client_data), "attestationObject": b64u(attestation),
                                        "transports": ["usb"]},
                           "clientExtensionResults": {}, "authenticatorAttachment": "cross-platform"})

    def get(self, options: dict[str, Any], *, origin: str = "http://testserver", rp_id: str = "testserver",
            count_up: bool = True) -> str:
        if count_up:
            self.sign_count += 1
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([0x05]) + self.sign_count.to_bytes(4, "big")
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps({"id": b64u(self.credential_id), "rawId": b64u(self.credential_id), "type": "public-key",
                           "response": {"clientDataJSON": b64u(client_data), "authenticatorData": b64u(auth_data),
                                        "signature": b64u(signature), "userHandle": None},
                           "clientExtensionResults": {}, "authenticatorAttachment": "cross-platform"})

"""Signing and verifying confirmations: pure, no Django, so verification runs offline.

The form is the W3C "Securing Verifiable Credentials using JOSE and COSE" recommendation
(VC-JOSE-COSE, 2025): a compact JWS whose protected header is
``{"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": ...}`` and whose payload is the
credential itself (VC Data Model 2.0; an Open Badges 3.0 ``OpenBadgeCredential``). Keys are
Ed25519 (RFC 8037), published as a JWK Set; ``kid`` is the key's RFC 7638 thumbprint.

``verify`` returns the credential, or raises ``VerificationError`` whose ``code`` says why
(the views and the command translate the code into a sentence).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

HEADER_TYPE = "vc+jwt"
#: The longest token accepted for verification (a confirmation is about 2 kB).
MAX_TOKEN = 20_000


class VerificationError(Exception):
    """Why a credential does not verify. ``code`` is one of the keys of ``REASONS``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code
        self.detail = detail


#: Every reason a credential can fail, in English (the app translates them for people).
REASONS = {
    "empty": "No credential was given.",
    "too_long": "This is too long to be a credential.",
    "malformed": "This is not a signed credential (a compact JWS has three dot-separated parts).",
    "bad_encoding": "A part of the credential is not valid base64url-encoded JSON.",
    "wrong_algorithm": "The credential is not signed with EdDSA (Ed25519).",
    "wrong_type": "The credential's header does not say it is a credential (typ vc+jwt).",
    "unknown_key": "The credential was signed with a key this installation has not published.",
    "bad_signature": "The signature does not match: the credential was altered, or forged.",
    "not_a_credential": "The signed content is not a verifiable credential.",
    "not_yet_valid": "The credential is not valid yet.",
    "expired": "The credential has expired.",
}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not text or any(c not in _B64URL for c in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


@dataclass(frozen=True)
class KeyPair:
    private_pem: str
    x: str  # the public key, base64url (JWK "x")

    @property
    def kid(self) -> str:
        return thumbprint(self.x)


def generate() -> KeyPair:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return KeyPair(private_pem=pem, x=b64url(raw))


def thumbprint(x: str) -> str:
    """RFC 7638 thumbprint of an Ed25519 JWK (members in lexicographic order, no spaces)."""
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    return b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def public_jwk(x: str) -> dict[str, str]:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": x,
        "kid": thumbprint(x),
        "alg": "EdDSA",
        "use": "sig",
    }


def jwks(xs: list[str]) -> dict[str, list[dict[str, str]]]:
    return {"keys": [public_jwk(x) for x in xs]}


def sign(credential: Mapping[str, Any], key: KeyPair) -> str:
    header = {"alg": "EdDSA", "typ": HEADER_TYPE, "cty": "vc", "kid": key.kid}
    signing_input = f"{b64url(_json(header))}.{b64url(_json(credential))}"
    private = serialization.load_pem_private_key(key.private_pem.encode("ascii"), password=None)
    assert isinstance(private, Ed25519PrivateKey)
    return f"{signing_input}.{b64url(private.sign(signing_input.encode('ascii')))}"


def keys_from_jwks(document: Mapping[str, Any]) -> dict[str, str]:
    """kid -> x for every Ed25519 key in a JWK Set (others are ignored)."""
    found: dict[str, str] = {}
    for jwk in document.get("keys", []) if isinstance(document, Mapping) else []:
        if isinstance(jwk, Mapping) and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            x = jwk.get("x")
            try:
                if isinstance(x, str) and len(b64url_decode(x)) == 32:
                    found[thumbprint(x)] = x
            except ValueError:
                continue
    return found


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def verify(token: str, keys: Mapping[str, str], now: datetime) -> dict[str, Any]:
    """The credential in ``token`` if it is signed by one of ``keys`` (kid -> x) and valid at
    ``now`` (aware); VerificationError with the reason otherwise."""
    token = "".join((token or "").split())
    if not token:
        raise VerificationError("empty")
    if len(token) > MAX_TOKEN:
        raise VerificationError("too_long")
    parts = token.split(".")
    if len(parts) != 3:
        raise VerificationError("malformed")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except ValueError as error:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise VerificationError("bad_encoding") from error
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise VerificationError("bad_encoding")
    if header.get("alg") != "EdDSA":
        raise VerificationError("wrong_algorithm", str(header.get("alg"))[:40])
    if header.get("typ") != HEADER_TYPE:
        raise VerificationError("wrong_type", str(header.get("typ"))[:40])
    x = keys.get(str(header.get("kid")))
    if x is None:
        raise VerificationError("unknown_key", str(header.get("kid"))[:80])
    public = Ed25519PublicKey.from_public_bytes(b64url_decode(x))
    try:
        public.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature as error:
        raise VerificationError("bad_signature") from error
    types = payload.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise VerificationError("not_a_credential")
    valid_from = _parse_time(payload.get("validFrom"))
    if valid_from is None:
        raise VerificationError("not_a_credential")
    if valid_from > now:
        raise VerificationError("not_yet_valid")
    valid_until = _parse_time(payload.get("validUntil"))
    if valid_until is not None and valid_until <= now:
        raise VerificationError("expired")
    return payload

"""The installation's signing key and the confirmations it signs (Open Badges 3.0 as a W3C
Verifiable Credential, secured as a compact JWS: see ``jws.py`` for the form).

The key is made on first use and kept in the database (so backups carry it and every app
server signs with the same key); the public half is published at ``/.well-known/jwks.json``
and as a ``did:web`` document at ``/.well-known/did.json``. Old keys stay published, so a
credential signed before a rotation still verifies.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kollegium.recognition import jws
from kollegium.recognition.models import SigningKey

OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def issuer_did() -> str:
    """did:web of the installation (its host; a port is percent-encoded as did:web says)."""
    parts = urlsplit(site_url())
    host = (parts.hostname or "localhost") + (f"%3A{parts.port}" if parts.port else "")
    path = ":".join(p for p in parts.path.split("/") if p)
    return f"did:web:{host}" + (f":{path}" if path else "")


@transaction.atomic
def current_key() -> jws.KeyPair:
    """The newest signing key; one is made (and kept) the first time a credential is signed."""
    row = SigningKey.objects.select_for_update().order_by("-created_at", "-pk").first()
    if row is None:
        pair = jws.generate()
        row = SigningKey.objects.create(
            kid=pair.kid, private_key_pem=pair.private_pem, public_x=pair.x
        )
    return jws.KeyPair(private_pem=row.private_key_pem, x=row.public_x)


def published_keys() -> dict[str, str]:
    """kid -> public x of every key this installation has signed with."""
    return dict(SigningKey.objects.values_list("kid", "public_x"))


def jwks_document() -> dict[str, Any]:
    return jws.jwks(list(published_keys().values()))


def did_document() -> dict[str, Any]:
    did = issuer_did()
    methods = []
    for kid, x in published_keys().items():
        methods.append(
            {
                "id": f"{did}#{kid}",
                "type": "JsonWebKey",
                "controller": did,
                "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": x},
            }
        )
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


def _hashed_email(email: str, salt: str) -> str:
    """Open Badges 3.0's salted identity hash: the email is never in the credential itself."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def build_credential(
    *,
    uid: str,
    person_name: str,
    person_email: str,
    achievement_name: str,
    achievement_description: str,
    criteria: str,
    hours: str,
    meetings: int,
    issuer_name: str,
    issued_at: datetime,
) -> dict[str, Any]:
    """An OpenBadgeCredential (Open Badges 3.0 on the VC Data Model 2.0)."""
    site = site_url()
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{uid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_did(), "type": ["Profile"], "name": issuer_name, "url": site},
        "validFrom": issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": achievement_name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": person_name,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": _hashed_email(person_email, uid),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": uid,
                }
            ],
            "achievement": {
                "id": f"{site}/recognition/achievement/{uid}",
                "type": ["Achievement"],
                "achievementType": "LearningProgram",
                "name": achievement_name,
                "description": achievement_description,
                "criteria": {"narrative": criteria},
            },
            "result": [
                {"type": ["Result"], "value": f"{hours} h"},
                {"type": ["Result"], "value": f"{meetings} meetings"},
            ],
        },
    }


def sign(credential: dict[str, Any]) -> str:
    return jws.sign(credential, current_key())


def verify(token: str, now: datetime | None = None) -> dict[str, Any]:
    """Verify against this installation's published keys (jws.VerificationError if not)."""
    return jws.verify(token, published_keys(), now or timezone.now())

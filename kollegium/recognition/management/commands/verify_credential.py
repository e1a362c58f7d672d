"""Verify a confirmation credential offline.

    kollegium verify_credential confirmation.jwt --jwks jwks.json

With ``--jwks`` (the installation's /.well-known/jwks.json, saved once) nothing else is read:
no network, no database. Without it, the installation's own published keys are used. Exits 0
and prints the credential when it verifies; exits 1 with the reason when it does not.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kollegium.recognition import jws


class Command(BaseCommand):
    help = "Verify a signed confirmation (a .jwt file, or - for standard input)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("credential", help="the .jwt file, or - to read standard input")
        parser.add_argument("--jwks", help="a saved JWK Set: verify without the database")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["credential"]
        try:
            token = sys.stdin.read() if source == "-" else Path(source).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {source}: {error}") from error
        if options.get("jwks"):
            try:
                keys = jws.keys_from_jwks(json.loads(Path(options["jwks"]).read_text("utf-8")))
            except (OSError, ValueError) as error:
                raise CommandError(f"cannot read the key set: {error}") from error
        else:
            from kollegium.recognition.credentials import published_keys

            keys = published_keys()
        try:
            credential = jws.verify(token, keys, timezone.now())
        except jws.VerificationError as error:
            self.stderr.write(f"NOT VERIFIED: {jws.REASONS[error.code]}")
            sys.exit(1)
        subject = credential.get("credentialSubject", {})
        self.stdout.write(
            f"VERIFIED: {credential.get('name', '')} – {subject.get('name', '')}, "
            f"issued by {credential.get('issuer', {}).get('name', '')} "
            f"({credential.get('validFrom', '')})"
        )
        self.stdout.write(json.dumps(credential, ensure_ascii=False, indent=2))

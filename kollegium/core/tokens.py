"""Secret links (invitations, calendar feeds, anonymous follow codes): the database keeps only
a hash, so a leaked database holds no working link."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

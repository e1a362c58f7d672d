"""How the asker of an anonymous question is recognised without storing who they are.

Two pieces of state, neither of which names the person:

1. `Question.follow_token_hash` = SHA-256 of a random 32-byte token. The token is shown to the
   asker once, as a private link. Whoever holds the link acts as the asker.
2. `Question.asker_digest` = HMAC-SHA256(key, "<user id>:<question id>"), where the key is
   derived from the server's SECRET_KEY with a purpose-specific salt. When a signed-in person
   opens the question, the server computes the digest for *them* and compares. Their
   "my anonymous questions" list is found the same way, over the anonymous questions of their
   own schools.

The question id is part of the message, so two questions by the same person have unrelated
digests (they cannot be grouped), and the digest is useless without the server's secret key.
Nothing is stored per person: no table of "my questions", no session entry, no log line.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.crypto import salted_hmac

from kollegium.core.tokens import hash_token

if TYPE_CHECKING:
    from kollegium.organisations.actor import Actor
    from kollegium.questions.models import Question

_SALT = "kollegium.questions.anonymous-asker.v1"


def asker_digest(user_id: int, question_id: int, secret: str | None = None) -> str:
    return salted_hmac(
        _SALT,
        f"{user_id}:{question_id}",
        secret=secret or settings.SECRET_KEY,
        algorithm="sha256",
    ).hexdigest()


def is_asker(user: Actor, question: Question) -> bool:
    """True if `user` asked the anonymous `question` (checks the current and fallback keys)."""
    if not question.is_anonymous or not question.asker_digest:
        return False
    if not user.is_authenticated:
        return False
    secrets_to_try = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        hmac.compare_digest(asker_digest(user.pk, question.pk, secret), question.asker_digest)
        for secret in secrets_to_try
    )


def is_asker_id(user_id: int, question: Question) -> bool:
    """`is_asker` for a person known only by id (routing compares the eligible colleagues in
    memory and keeps nothing)."""
    if not question.is_anonymous or not question.asker_digest:
        return False
    secrets_to_try = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        hmac.compare_digest(asker_digest(user_id, question.pk, secret), question.asker_digest)
        for secret in secrets_to_try
    )


def token_matches(token: str, question: Any) -> bool:
    return bool(question.follow_token_hash) and hmac.compare_digest(
        hash_token(token), question.follow_token_hash
    )

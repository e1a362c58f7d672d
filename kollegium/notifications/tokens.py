"""Signed one-click unsubscribe links: the person and the kinds, nothing else (no time, no
notification: a link in an email about an anonymous question says nothing about its asker)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing

SALT = "kollegium.notifications.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kinds: tuple[str, ...]


def make_token(user_id: int, kinds: Iterable[str]) -> str:
    return signing.dumps({"u": int(user_id), "k": sorted(set(kinds))}, salt=SALT, compress=True)


def read_token(token: str) -> Unsubscribe | None:
    """What a token says, or None when it is not one of ours (tampered, cut short, made up)."""
    try:
        data = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    user_id, kinds = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or not isinstance(kinds, list) or not kinds:
        return None
    if not all(isinstance(k, str) for k in kinds):
        return None
    return Unsubscribe(user_id=user_id, kinds=tuple(kinds))

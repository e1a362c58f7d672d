"""A fair, seeded, repeatable draw of a TeachMeet's speaking order (pure: no Django).

Within each talk slot the talks are taken in sign-up order (by their number), and shuffled
with Python's ``random.Random`` seeded with the text ``"<seed>:<slot key>"``. Anyone with the
seed and the sign-up list gets the same order again, so the draw can be shown and checked:
``draw_order("7f3a9c21", {"nano_talks": [4, 9, 12]})``.
"""

from __future__ import annotations

import random
import secrets
import string
from collections.abc import Mapping, Sequence

SEED_MAX = 40
SEED_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_")


def new_seed() -> str:
    """A fresh seed of eight hexadecimal characters, shown with the draw."""
    return secrets.token_hex(4)


def valid_seed(seed: str) -> bool:
    return 0 < len(seed) <= SEED_MAX and set(seed) <= SEED_CHARACTERS


def draw_order(seed: str, talks_by_slot: Mapping[str, Sequence[int]]) -> dict[str, list[int]]:
    """The speaking order of every slot: the talks' numbers, shuffled by the seed."""
    order: dict[str, list[int]] = {}
    for slot, talk_ids in talks_by_slot.items():
        ids = sorted(talk_ids)
        random.Random(f"{seed}:{slot}").shuffle(ids)
        order[slot] = ids
    return order

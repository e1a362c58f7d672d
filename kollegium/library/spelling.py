"""Did you mean: the closest word of the index's own vocabulary (pure: no Django).

A query word whose stems no item holds is looked up again, first without diacritics
("bedomning" → "bedömning", the vocabulary's ``folded`` key), then by edit distance
(optimal string alignment: a letter left out, added, changed or two swapped) over the
vocabulary's words with the same first letter and a length within the distance. The best
candidate is the nearest, then the most common, then the first in alphabetical order, so
both databases choose the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    stem: str
    word: str
    folded: str
    n: int


def max_distance(length: int) -> int:
    """How many edits a word of this length may be away: 1 up to five letters, else 2."""
    return 1 if length <= 5 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or ``limit + 1`` once it is surely larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def best(folded: str, candidates: Iterable[Candidate]) -> Candidate | None:
    """The nearest candidate within ``max_distance`` (then most items, then alphabetical)."""
    limit = max_distance(len(folded))
    scored = []
    for c in candidates:
        d = distance(folded, c.folded, limit)
        if d <= limit:
            scored.append((d, -c.n, c.stem, c))
    return min(scored)[3] if scored else None

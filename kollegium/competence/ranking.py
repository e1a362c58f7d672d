"""Scoring for "who can help with X" (pure: no Django).

Each candidate gets a score and a list of structured reasons. The reasons are codes with a
value, not sentences: the Django layer turns them into one translated line
(see `kollegium.competence.explain`). Keeping the words out of here keeps this module pure
and every visible string translatable.

Weights, highest first: level, willingness to share, closeness (same team > same school >
network), endorsements (diminishing), recent activity, and a match on "ask me about".
Results are ordered own school first, then the network; the caller shows them as two lists.
Within each, colleagues who are still learning the skill themselves (level 2, "practising")
come after everyone at level 3-4 or with a matching "ask me about", whatever their other
points: a willing team-mate who is practising is a good partner to learn with, not the first
person to ask. `Ranked.still_learning` says so, and the page shows it.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

LEVEL_POINTS = {1: 0, 2: 10, 3: 30, 4: 40}
LEARNED_LEVEL = 3  # below this, the colleague is still learning the skill themselves
WILLING_POINTS = 15
SAME_TEAM_POINTS = 12
SAME_SCHOOL_POINTS = 8
TEXT_MATCH_POINTS = 5
MAX_ENDORSEMENT_POINTS = 10
RECENT_DAYS = 14
FAIRLY_RECENT_DAYS = 60
RECENT_POINTS = 6
FAIRLY_RECENT_POINTS = 3


class Proximity(enum.IntEnum):
    """How close a candidate is to the person asking (lower sorts first)."""

    TEAM = 0
    SCHOOL = 1
    NETWORK = 2


class ReasonCode(enum.StrEnum):
    LEVEL = "level"  # value: the level 1-4
    WILLING = "willing"
    ENDORSED = "endorsed"  # value: number of endorsements
    SAME_TEAM = "same_team"
    SAME_SCHOOL = "same_school"
    NETWORK = "network"
    ACTIVE = "active"  # value: days since last active
    ASK_ME_ABOUT = "ask_me_about"


@dataclass(frozen=True, slots=True)
class Reason:
    code: ReasonCode
    value: int | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: int
    proximity: Proximity
    level: int | None = None  # None: matched on free text only, no level in the skill
    willing_to_share: bool = False
    endorsements: int = 0
    last_active: date | None = None
    text_match: bool = False


@dataclass(frozen=True, slots=True)
class Ranked:
    person_id: int
    proximity: Proximity
    score: int
    reasons: tuple[Reason, ...]
    still_learning: bool = False  # level 2 (practising): shown as such, ranked after 3-4


def endorsement_points(count: int) -> int:
    """Diminishing returns: 1 -> 3, 3 -> 6, 10 -> 10 (capped)."""
    if count <= 0:
        return 0
    return min(MAX_ENDORSEMENT_POINTS, round(3 * math.log2(count + 1)))


def score_candidate(candidate: Candidate, *, today: date) -> Ranked:
    score = 0
    reasons: list[Reason] = []
    if candidate.level is not None:
        score += LEVEL_POINTS.get(candidate.level, 0)
        reasons.append(Reason(ReasonCode.LEVEL, candidate.level))
    if candidate.willing_to_share:
        score += WILLING_POINTS
        reasons.append(Reason(ReasonCode.WILLING))
    if candidate.proximity is Proximity.TEAM:
        score += SAME_TEAM_POINTS
        reasons.append(Reason(ReasonCode.SAME_TEAM))
    elif candidate.proximity is Proximity.SCHOOL:
        score += SAME_SCHOOL_POINTS
        reasons.append(Reason(ReasonCode.SAME_SCHOOL))
    else:
        reasons.append(Reason(ReasonCode.NETWORK))
    if candidate.endorsements > 0:
        score += endorsement_points(candidate.endorsements)
        reasons.append(Reason(ReasonCode.ENDORSED, candidate.endorsements))
    if candidate.last_active is not None:
        days = max(0, (today - candidate.last_active).days)
        if days <= RECENT_DAYS:
            score += RECENT_POINTS
            reasons.append(Reason(ReasonCode.ACTIVE, days))
        elif days <= FAIRLY_RECENT_DAYS:
            score += FAIRLY_RECENT_POINTS
            reasons.append(Reason(ReasonCode.ACTIVE, days))
    if candidate.text_match:
        score += TEXT_MATCH_POINTS
        reasons.append(Reason(ReasonCode.ASK_ME_ABOUT))
    return Ranked(
        person_id=candidate.person_id,
        proximity=candidate.proximity,
        score=score,
        reasons=tuple(reasons),
        still_learning=candidate.level is not None and candidate.level < LEARNED_LEVEL,
    )


def rank(candidates: Iterable[Candidate], *, today: date) -> list[Ranked]:
    """Score and order candidates: own school (team and school) first, then the network;
    within each, those still learning the skill after the others, then highest score first;
    ties broken by person id for a stable order."""
    ranked = [score_candidate(c, today=today) for c in candidates]
    ranked.sort(
        key=lambda r: (
            r.proximity is Proximity.NETWORK,
            r.still_learning,
            -r.score,
            r.person_id,
        )
    )
    return ranked

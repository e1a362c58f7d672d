"""The published prioritisation of proposed topics: plain functions over frozen dataclasses.

Every criterion turns one fact about a topic into a value between 0 and 1; a topic's score
is the weighted average of its values, 0 to 100, and its breakdown says how many points
each criterion gave, so a teacher sees honestly why a topic ranks where it does. The
weights come from ``data/weights.yaml`` (a school's leader may adjust them).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "weights.yaml"
CRITERIA = ("focus", "need", "shared", "lead", "risk")
MAX_WEIGHT = 10


class WeightsError(ValueError):
    """The weights file or a leader's weights are not usable."""


class FocusFit(enum.StrEnum):
    FOCUS = "focus"  # linked to an active focus area of the school
    SKILL = "skill"  # one of its skills belongs to an active focus area
    NONE = "none"


class LeadLevel(enum.StrEnum):
    GUIDE = "guide"  # someone offered to contribute, or can guide others in its skills
    CONFIDENT = "confident"  # someone is confident in its skills
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Facts:
    """What the prioritisation knows about one topic."""

    topic_id: int
    focus: FocusFit
    has_evidence: bool
    sharers: int  # the proposer and everyone who answered "we need this too"
    lead: LeadLevel
    sole_holder_skills: int  # skills held by exactly one person at the school
    gap_skills: int  # skills nobody at the school holds
    order: int = 0  # tie-break: earlier proposals first


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str
    weight: int
    title: Mapping[str, str]
    explanation: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Weights:
    criteria: tuple[Criterion, ...]
    people_for_full_share: int

    def weight(self, key: str) -> int:
        return next(c.weight for c in self.criteria if c.key == key)

    def with_weights(self, weights: Mapping[str, int]) -> Weights:
        """The same criteria with a leader's weights (missing keys keep their default)."""
        checked = {key: _check_weight(key, weights.get(key, self.weight(key))) for key in CRITERIA}
        if not any(checked.values()):
            raise WeightsError("at least one weight must be above 0")
        return Weights(
            criteria=tuple(
                Criterion(c.key, checked[c.key], c.title, c.explanation) for c in self.criteria
            ),
            people_for_full_share=self.people_for_full_share,
        )

    def as_dict(self) -> dict[str, int]:
        return {c.key: c.weight for c in self.criteria}


def _check_weight(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WEIGHT:
        raise WeightsError(f"{key}: a weight is a whole number from 0 to {MAX_WEIGHT}")
    return value


def _texts(node: Any, where: str) -> dict[str, str]:
    if not isinstance(node, dict) or not all(isinstance(node.get(k), str) for k in ("sv", "en")):
        raise WeightsError(f"{where}: needs a Swedish and an English text (sv, en)")
    return {"sv": node["sv"], "en": node["en"]}


def load_weights(path: Path = DATA_FILE) -> Weights:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), dict):
        raise WeightsError("the file needs a mapping 'criteria'")
    raw = data["criteria"]
    if sorted(raw) != sorted(CRITERIA):
        raise WeightsError(f"the criteria must be exactly {', '.join(CRITERIA)}")
    full = data.get("people_for_full_share")
    if isinstance(full, bool) or not isinstance(full, int) or full < 1:
        raise WeightsError("people_for_full_share: a whole number of at least 1")
    criteria = tuple(
        Criterion(
            key=key,
            weight=_check_weight(
                key, raw[key].get("weight") if isinstance(raw[key], dict) else None
            ),
            title=_texts(raw[key].get("title"), f"{key}.title"),
            explanation=_texts(raw[key].get("explanation"), f"{key}.explanation"),
        )
        for key in CRITERIA
    )
    return Weights(criteria=criteria, people_for_full_share=full)


@dataclass(frozen=True, slots=True)
class Part:
    """One criterion's share of a topic's score."""

    key: str
    value: float  # 0..1
    weight: int
    points: float  # its share of the 0..100 score


@dataclass(frozen=True, slots=True)
class Scored:
    topic_id: int
    score: float  # 0..100, one decimal
    parts: tuple[Part, ...]
    rank: int = 0


def values(facts: Facts, people_for_full_share: int) -> dict[str, float]:
    """Each criterion's value for a topic, between 0 and 1."""
    focus = {FocusFit.FOCUS: 1.0, FocusFit.SKILL: 0.5, FocusFit.NONE: 0.0}[facts.focus]
    lead = {LeadLevel.GUIDE: 1.0, LeadLevel.CONFIDENT: 0.5, LeadLevel.NONE: 0.0}[facts.lead]
    if facts.sole_holder_skills > 0:
        risk = 1.0
    elif facts.gap_skills > 0:
        risk = 0.5
    else:
        risk = 0.0
    shared = min(max(facts.sharers, 0), people_for_full_share) / people_for_full_share
    return {
        "focus": focus,
        "need": 1.0 if facts.has_evidence else 0.5,
        "shared": shared,
        "lead": lead,
        "risk": risk,
    }


def score(facts: Facts, weights: Weights) -> Scored:
    total_weight = sum(c.weight for c in weights.criteria)
    vals = values(facts, weights.people_for_full_share)
    parts = tuple(
        Part(
            key=c.key,
            value=vals[c.key],
            weight=c.weight,
            points=round(100 * c.weight * vals[c.key] / total_weight, 1) if total_weight else 0.0,
        )
        for c in weights.criteria
    )
    total = (
        round(100 * sum(c.weight * vals[c.key] for c in weights.criteria) / total_weight, 1)
        if total_weight
        else 0.0
    )
    return Scored(topic_id=facts.topic_id, score=total, parts=parts)


def rank(all_facts: Iterable[Facts], weights: Weights) -> list[Scored]:
    """Highest score first; equal scores keep the earlier proposal first. Ranks are shared
    by equal scores (1, 2, 2, 4)."""
    facts = list(all_facts)
    order = {f.topic_id: (f.order, f.topic_id) for f in facts}
    scored = sorted((score(f, weights) for f in facts), key=lambda s: (-s.score, order[s.topic_id]))
    ranked: list[Scored] = []
    for index, item in enumerate(scored):
        same = bool(ranked) and ranked[-1].score == item.score
        place = ranked[-1].rank if same else index + 1
        ranked.append(Scored(item.topic_id, item.score, item.parts, place))
    return ranked


#: The method guide suggested for a topic taken up as a learning group, and why (a key the
#: page translates).
def suggest_guide(*, has_evidence: bool, needs_expert: bool) -> tuple[str, str]:
    """Reading research first when colleagues need an expert's knowledge; a cycle of
    trying and checking when there is evidence of the students' need; otherwise a teacher
    learning community, which starts from the students' need."""
    if needs_expert:
        return "reading-circle", "expert"
    if has_evidence:
        return "action-research", "evidence"
    return "tlc", "default"

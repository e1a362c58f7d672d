"""Topics' pure core: the published prioritisation (no Django)."""

from kollegium.topics.core.score import (
    CRITERIA,
    MAX_WEIGHT,
    Criterion,
    Facts,
    FocusFit,
    LeadLevel,
    Part,
    Scored,
    Weights,
    WeightsError,
    load_weights,
    rank,
    score,
    suggest_guide,
)

__all__ = [
    "CRITERIA",
    "MAX_WEIGHT",
    "Criterion",
    "Facts",
    "FocusFit",
    "LeadLevel",
    "Part",
    "Scored",
    "Weights",
    "WeightsError",
    "load_weights",
    "rank",
    "score",
    "suggest_guide",
]

"""Reads of the insights app (aggregates for leaders and owners, a person's own ledger)."""

from kollegium.insights.selectors.ledger import (
    PersonTime,
    current_term,
    held_minutes,
    promises_for,
)
from kollegium.insights.selectors.owner import OwnerRow, owner_comparison
from kollegium.insights.selectors.personal import OwnLedger, own_ledger, schools_for_ledger
from kollegium.insights.selectors.school import SchoolInsights, headline, school_insights

__all__ = [
    "OwnLedger",
    "OwnerRow",
    "PersonTime",
    "SchoolInsights",
    "current_term",
    "headline",
    "held_minutes",
    "own_ledger",
    "owner_comparison",
    "promises_for",
    "school_insights",
    "schools_for_ledger",
]

"""A school owner's comparison of its schools: promised vs held, per school, in a fixed number
of queries for any number of schools. A school with fewer people than the minimum group size
shows "too few to show"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from kollegium.insights import figures
from kollegium.insights.models import TimePromise
from kollegium.insights.periods import Period
from kollegium.insights.selectors.ledger import (
    COUNTED_ROLES,
    held_minutes,
    promised_minutes,
    promises_for_schools,
)
from kollegium.organisations.models import Membership, Organisation, TeamMembership
from kollegium.organisations.selectors import min_group_size, owner_schools


@dataclass
class OwnerRow:
    school: Organisation
    people: int
    dist: figures.Distribution | None
    promise: TimePromise | None


def owner_comparison(
    owner: Organisation, period: Period, today: date | None = None
) -> list[OwnerRow]:
    """Per school of the owner: people counted, the promise and the held distribution.
    Eight queries whatever the number of schools."""
    today = today or timezone.localdate()
    minimum = min_group_size(owner)
    schools = list(owner_schools(owner=owner).order_by("name", "pk"))
    school_ids = owner_schools(owner=owner).values("pk")
    people: dict[int, list[int]] = defaultdict(list)
    memberships = Membership.objects.filter(school_id__in=school_ids, role__in=COUNTED_ROLES)
    for school_id, user_id in memberships.order_by().values_list("school_id", "user_id"):
        people[school_id].append(user_id)
    teams: dict[tuple[int, int], list[int]] = defaultdict(list)
    for school_id, user_id, team_id in (
        TeamMembership.objects.filter(team__school_id__in=school_ids)
        .order_by()
        .values_list("team__school_id", "user_id", "team_id")
    ):
        teams[(school_id, user_id)].append(team_id)
    promises = promises_for_schools(school_ids)
    held = held_minutes(memberships.values("user_id"), period.until(today))
    rows = []
    for school in schools:
        entry = promises[school.pk]
        pairs = []
        for user_id in people.get(school.pk, []):
            spent = held.get(user_id)
            promise = entry.for_person(teams.get((school.pk, user_id), []))
            pairs.append((spent.total if spent else 0, promised_minutes(promise, period, today)))
        n, dist = figures.distribution(pairs, minimum)
        rows.append(OwnerRow(school=school, people=n, dist=dist, promise=entry.school))
    return rows

"""A person's own ledger: their time held term by term against what their school promised, and
their school leaders' own participation (leaders set the example, so their staff see it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from kollegium.accounts.models import User
from kollegium.insights.periods import Period, recent_terms
from kollegium.insights.selectors.ledger import (
    PersonTime,
    held_minutes,
    promised_minutes,
    promises_for,
    school_read,
)
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Membership, Organisation, Role, TeamMembership


@dataclass
class TermLine:
    period: Period
    time: PersonTime
    promised: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.time.total / self.promised) if self.promised else None


@dataclass
class LeaderLine:
    person: User
    time: PersonTime


@dataclass
class OwnLedger:
    school: Organisation | None
    terms: list[TermLine]
    leaders: list[LeaderLine]

    @property
    def current(self) -> TermLine:
        return self.terms[0]


def own_ledger(actor: Actor, school: Organisation | None, today: date | None = None) -> OwnLedger:
    """The acting person's own minutes for the current and three previous terms. A constant
    number of queries (five per term, plus the promise, teams and leaders)."""
    today = today or timezone.localdate()
    promises = promises_for(school) if school is not None else None
    team_ids = (
        list(
            TeamMembership.objects.filter(user_id=actor.pk, team__school=school).values_list(
                "team_id", flat=True
            )
        )
        if school is not None
        else []
    )
    promise = promises.for_person(team_ids) if promises is not None else None
    terms = []
    for index, period in enumerate(recent_terms(today, 4)):
        so_far = period.until(today) if index == 0 else period
        time = held_minutes([actor.pk], so_far).get(actor.pk, PersonTime())
        terms.append(TermLine(period, time, promised_minutes(promise, period, today)))
    leaders: list[LeaderLine] = []
    if school is not None:
        leader_qs = User.objects.filter(
            memberships__school=school, memberships__role=Role.LEADER, is_active=True
        )
        people = list(leader_qs.order_by("full_name", "pk"))
        current = terms[0].period.until(today)
        spent = held_minutes(leader_qs.values("pk"), current)
        leaders = [LeaderLine(p, spent.get(p.pk, PersonTime())) for p in people]
    return OwnLedger(school=school, terms=terms, leaders=leaders)


def schools_for_ledger(actor: Actor) -> list[Organisation]:
    """The schools where the person is counted (teaching or leading there)."""
    return [
        m.school
        for m in Membership.objects.filter(user_id=actor.pk)
        .select_related("school")
        .order_by("school__name")
    ]


def own_current(
    actor: Actor, school: Organisation, period: Period, today: date | None = None
) -> dict[str, object]:
    """The home page's line: the person's hours this term and the promise so far (six
    queries; none after the leader's panel read the same school and period for the request)."""
    today = today or timezone.localdate()
    so_far = period.until(today)
    read = school_read(actor, school.pk, so_far)
    if read is not None:
        promise = read.promises.for_person(read.people.person_teams.get(actor.pk, []))
        time = read.held.get(actor.pk, PersonTime())
        return {"held": time.total, "promised": promised_minutes(promise, period, today)}
    team_ids = TeamMembership.objects.filter(user_id=actor.pk, team__school=school).values_list(
        "team_id", flat=True
    )
    promise = promises_for(school).for_person(list(team_ids))
    time = held_minutes([actor.pk], so_far).get(actor.pk, PersonTime())
    return {"held": time.total, "promised": promised_minutes(promise, period, today)}

"""The protected-time ledger: collegial-learning time held per person, and what was promised.

Time held is read from the other apps' records, never typed in:
- group meetings attended (present, meeting held): the minutes of the meeting's agenda
  (its method guide's meeting type); workshops and TeachMeets (the workshop method) apart;
- peer observations made and received that took place: the lesson's length, and the
  debrief's when one was held.
Each kind is one aggregate query for any number of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from django.db.models import Count, F, FloatField, Func, Q, QuerySet, Sum
from django.utils import timezone

from kollegium.groups.models import Attendance, Meeting, MethodGuide
from kollegium.insights import figures
from kollegium.insights.models import PROMISE_LIMITS, PromiseUnit, TimePromise
from kollegium.insights.periods import Period, day_after, teaching_weeks, term_of
from kollegium.observations.models import Observation, ObservationStatus
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Membership, Organisation, Role, Team, TeamMembership

WORKSHOP_METHODS = frozenset({"workshop"})
#: Who the ledger counts at a school: everyone who teaches or leads there.
COUNTED_ROLES = (Role.TEACHER, Role.FACILITATOR, Role.LEADER)
_TOOK_PLACE = (ObservationStatus.DONE, ObservationStatus.DEBRIEFED)


@dataclass
class PersonTime:
    """One person's collegial-learning minutes in a period, by kind."""

    meetings: int = 0
    workshops: int = 0
    observing: int = 0
    observed: int = 0
    debriefs: int = 0

    @property
    def total(self) -> int:
        return self.meetings + self.workshops + self.observing + self.observed + self.debriefs


def bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as [start, end) in aware datetimes at local midnight."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    end = datetime.combine(day_after(period.end), time.min, tzinfo=zone)
    return start, end


class MinutesBetween(Func):
    """Minutes from ``start`` to ``end`` in the database's own arithmetic (no Python function
    called per row, as Django's datetime subtraction is on SQLite)."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        (end_sql, end_params), (start_sql, start_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        params = [*end_params, *start_params]
        if connection.vendor == "sqlite":
            return f"((julianday({end_sql}) - julianday({start_sql})) * 1440.0)", params
        return f"(EXTRACT(EPOCH FROM ({end_sql} - {start_sql})) / 60.0)", params


def _duration(end: str, start: str) -> MinutesBetween:
    return MinutesBetween(F(end), F(start))


def _minutes(value: float | None) -> int:
    return round(value) if value else 0


def agenda_minutes(guides: QuerySet) -> dict[tuple[int, str], tuple[int, str]]:
    """(guide, meeting type) → (the agenda's minutes, the guide's method). One query (always:
    ``guides`` is a subquery, so the count does not depend on whether anything was held)."""
    out: dict[tuple[int, str], tuple[int, str]] = {}
    for guide in MethodGuide.objects.filter(pk__in=guides).only(
        "pk", "slug", "version", "source", "method"
    ):
        for meeting_type in guide.parsed.meeting_types:
            out[(guide.pk, meeting_type.key)] = (meeting_type.total_minutes, guide.method)
    return out


def held_minutes(users: QuerySet | Iterable[int], period: Period) -> dict[int, PersonTime]:
    """Each person's minutes in ``period`` (people with none are missing). Five queries."""
    start, end = bounds(period)
    result: dict[int, PersonTime] = defaultdict(PersonTime)
    present = Attendance.objects.filter(
        user_id__in=users,
        present=True,
        meeting__status=Meeting.Status.HELD,
        meeting__starts_at__gte=start,
        meeting__starts_at__lt=end,
    ).order_by()
    attended = list(
        present.values("user_id", "meeting__group__guide_id", "meeting__meeting_type_key").annotate(
            n=Count("pk"), scheduled=Sum(_duration("meeting__ends_at", "meeting__starts_at"))
        )
    )
    # The guides of the groups that met in the period (a small set; no second attendance join).
    agendas = agenda_minutes(
        Meeting.objects.filter(
            status=Meeting.Status.HELD, starts_at__gte=start, starts_at__lt=end
        ).values("group__guide_id")
    )
    for row in attended:
        agenda = agendas.get((row["meeting__group__guide_id"], row["meeting__meeting_type_key"]))
        if agenda is not None:
            minutes, method = agenda[0] * row["n"], agenda[1]
        else:  # a meeting type the guide no longer has: the time it was booked for
            minutes, method = _minutes(row["scheduled"]), ""
        person = result[row["user_id"]]
        if method in WORKSHOP_METHODS:
            person.workshops += minutes
        else:
            person.meetings += minutes
    took_place = Observation.objects.filter(
        status__in=_TOOK_PLACE, start__gte=start, start__lt=end
    ).order_by()
    debrief = Sum(
        _duration("debrief_end", "debrief_start"),
        filter=Q(status=ObservationStatus.DEBRIEFED, debrief_end__gt=F("debrief_start")),
    )
    for role, attribute in (("observer", "observing"), ("observed", "observed")):
        for row in (
            took_place.filter(**{f"{role}_id__in": users})
            .values(f"{role}_id")
            .annotate(lesson=Sum(_duration("end", "start")), debrief=debrief)
        ):
            person = result[row[f"{role}_id"]]
            setattr(person, attribute, getattr(person, attribute) + _minutes(row["lesson"]))
            person.debriefs += _minutes(row["debrief"])
    return dict(result)


# --- the promise -----------------------------------------------------------------------------


@dataclass
class Promises:
    """A school's promises: for all, and per team; resolved to minutes for a period."""

    school: TimePromise | None
    teams: dict[int, TimePromise] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return self.school is not None or bool(self.teams)

    def for_person(self, team_ids: Iterable[int]) -> TimePromise | None:
        own = [self.teams[t] for t in team_ids if t in self.teams]
        if own:
            return max(own, key=lambda p: per_week(p))
        return self.school


def promises_for(school: Organisation) -> Promises:
    rows = list(TimePromise.objects.filter(school=school).select_related("team"))
    return Promises(
        school=next((p for p in rows if p.team_id is None), None),
        teams={p.team_id: p for p in rows if p.team_id is not None},
    )


def promises_for_schools(school_ids: QuerySet | Iterable[int]) -> dict[int, Promises]:
    out: dict[int, Promises] = defaultdict(lambda: Promises(None))
    for promise in TimePromise.objects.filter(school_id__in=school_ids):
        entry = out[promise.school_id]
        if promise.team_id is None:
            entry.school = promise
        else:
            entry.teams[promise.team_id] = promise
    return out


def per_week(promise: TimePromise) -> float:
    if promise.unit == PromiseUnit.WEEK:
        return float(promise.minutes)
    r = figures.rhythm()
    return promise.minutes / ((r.autumn_weeks + r.spring_weeks) / 2)


@lru_cache(maxsize=256)
def weeks_in(period: Period) -> float:
    r = figures.rhythm()
    return teaching_weeks(period, autumn_weeks=r.autumn_weeks, spring_weeks=r.spring_weeks)


def promised_minutes(promise: TimePromise | None, period: Period, today: date) -> int:
    """What a promise adds up to over the part of ``period`` up to ``today``."""
    if promise is None or today < period.start:
        return 0
    return round(per_week(promise) * weeks_in(period.until(today)))


def hours_a_year(promise: TimePromise) -> float:
    r = figures.rhythm()
    return per_week(promise) * (r.autumn_weeks + r.spring_weeks) / 60


def promise_limits(unit: str) -> tuple[int, int]:
    return PROMISE_LIMITS[PromiseUnit(unit)]


@dataclass
class People:
    """Who the ledger counts at the school, their teams, subjects and stages."""

    roles: dict[int, str]
    teams: list[Team]
    team_members: dict[int, set[int]]
    person_teams: dict[int, list[int]]

    @property
    def ids(self) -> list[int]:
        return list(self.roles)


def people_of(school: Organisation) -> People:
    roles = dict(
        Membership.objects.filter(
            school=school, role__in=(Role.TEACHER, Role.FACILITATOR, Role.LEADER)
        )
        .order_by()
        .values_list("user_id", "role")
    )
    teams = list(Team.objects.filter(school=school).order_by("name", "pk"))
    team_members: dict[int, set[int]] = defaultdict(set)
    person_teams: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in (
        TeamMembership.objects.filter(team__school=school)
        .order_by()
        .values_list("team_id", "user_id")
    ):
        if user_id in roles:
            team_members[team_id].add(user_id)
            person_teams[user_id].append(team_id)
    return People(roles=roles, teams=teams, team_members=team_members, person_teams=person_teams)


# --- who is counted --------------------------------------------------------------------------


def counted_people(school: Organisation) -> QuerySet:
    """The ids of the people the school's ledger counts (a subquery)."""
    return Membership.objects.filter(school=school, role__in=COUNTED_ROLES).values("user_id")


def current_term(today: date | None = None) -> Period:
    return term_of(today or timezone.localdate())


# --- what a request has read already ---------------------------------------------------------


@dataclass
class SchoolRead:
    """A school's counted people, their minutes and the promises, for one period, as the
    leader's home panel read them."""

    school_id: int
    period: Period
    people: People
    held: dict[int, PersonTime]
    promises: Promises


#: By acting person (one per request; Actors compare by identity): the leader's own line on
#: the same home page takes its minutes and promise from what their school's panel read
#: (issue 10: seven queries fewer on a leader's home page).
_READ: WeakKeyDictionary[Actor, SchoolRead] = WeakKeyDictionary()


def remember_school_read(actor: Actor, read: SchoolRead) -> None:
    _READ[actor] = read


def school_read(actor: Actor, school_id: int, period: Period) -> SchoolRead | None:
    """What this request already read of the school for the period, if it counts the person."""
    read = _READ.get(actor)
    if read is None or read.school_id != school_id or read.period != period:
        return None
    return read if actor.pk in read.people.roles else None

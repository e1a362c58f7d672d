"""The leader's page: where time and learning fall short at one school, in a fixed number of
queries whatever the school's size. Aggregates only; below the owner's minimum group size a
figure is None ("too few to show") and never reaches the template."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kollegium.core.aggregates import shown
from kollegium.groups.models import (
    Attendance,
    GroupMembership,
    LearningGroup,
    Meeting,
)
from kollegium.insights import figures
from kollegium.insights.models import TimePromise
from kollegium.insights.periods import Period, months_after
from kollegium.insights.selectors.learning import EquityTable, FocusRow, equity, focus_chain
from kollegium.insights.selectors.ledger import (
    People,
    PersonTime,
    Promises,
    SchoolRead,
    bounds,
    counted_people,
    held_minutes,
    hours_a_year,
    people_of,
    promised_minutes,
    promises_for,
    remember_school_read,
)
from kollegium.observations.models import ObservationRound, RoundStatus
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import (
    Organisation,
)
from kollegium.organisations.selectors import min_group_size
from kollegium.scheduling.models import DedicatedTime

#: A group with no meeting held for this long is paused (within its run).
PAUSE_AFTER = timedelta(days=60)
#: Months after a group's end at which we look whether its members still meet.
LASTING_MARKS = (6, 12, 18)
#: Whether someone "still meets" at a mark: a meeting attended in the months before it.
LASTING_WINDOW_MONTHS = 3


# --- time -----------------------------------------------------------------------------------


@dataclass
class TimeRow:
    label: str
    people: int
    dist: figures.Distribution | None
    promise: TimePromise | None


@dataclass
class TimeSection:
    school: TimeRow
    teams: list[TimeRow]
    promises: Promises
    promise_finding: figures.Finding | None
    held_people: int  # people with any time held (for the empty state)
    kinds: dict[str, int] | None  # minutes per kind, school total (None below the minimum)


def time_section(
    school: Organisation, people: People, held: dict[int, PersonTime], period: Period, today: date
) -> TimeSection:
    minimum = min_group_size(school)
    promises = promises_for(school)
    pairs: dict[int, tuple[int, int]] = {}
    for user_id in people.ids:
        promise = promises.for_person(people.person_teams.get(user_id, []))
        spent = held.get(user_id)
        pairs[user_id] = (spent.total if spent else 0, promised_minutes(promise, period, today))
    _n, school_dist = figures.distribution(pairs.values(), minimum)
    teams = []
    for team in people.teams:
        members = people.team_members.get(team.pk, set())
        n, dist = figures.distribution([pairs[u] for u in members], minimum)
        teams.append(TimeRow(team.name, n, dist, promises.teams.get(team.pk) or promises.school))
    kinds = None
    if shown(len(people.ids), minimum):
        kinds = {
            kind: sum(getattr(held[u], kind) for u in people.ids if u in held)
            for kind in ("meetings", "workshops", "observing", "observed", "debriefs")
        }
    finding = figures.check_promise(hours_a_year(promises.school)) if promises.school else None
    return TimeSection(
        school=TimeRow(school.display_name, len(people.ids), school_dist, promises.school),
        teams=teams,
        promises=promises,
        promise_finding=finding,
        held_people=sum(1 for u in people.ids if u in held and held[u].total),
        kinds=kinds,
    )


# --- dedicated time --------------------------------------------------------------------------


@dataclass
class Dedicated:
    offered: int  # minutes of the school's dedicated time in the period so far
    used: int  # minutes of held meetings of the school's groups inside it


def _occurrences(slot: DedicatedTime, first: date, last: date) -> list[tuple[datetime, datetime]]:
    zone = timezone.get_current_timezone()
    day = max(first, slot.first_date)
    day += timedelta(days=(slot.weekday - day.weekday()) % 7)
    out = []
    while day <= min(last, slot.last_date):
        weeks = (day - slot.first_date).days // 7
        if weeks % max(slot.every_weeks, 1) == 0:
            out.append(
                (
                    datetime.combine(day, slot.start_time, tzinfo=zone),
                    datetime.combine(day, slot.end_time, tzinfo=zone),
                )
            )
        day += timedelta(days=7)
    return out


def dedicated_time(school: Organisation, period: Period, today: date) -> Dedicated | None:
    """The school's dedicated time so far in the period, and how much meetings used. Two
    queries; None when the school has placed none."""
    slots = list(DedicatedTime.objects.filter(school=school))
    so_far = period.until(today)
    windows = [w for slot in slots for w in _occurrences(slot, so_far.start, so_far.end)]
    offered = sum(round((end - start).total_seconds() / 60) for start, end in windows)
    start, end = bounds(so_far)
    used = 0
    for m_start, m_end in Meeting.objects.filter(
        group__school=school, status=Meeting.Status.HELD, starts_at__gte=start, starts_at__lt=end
    ).values_list("starts_at", "ends_at"):
        for w_start, w_end in windows:
            overlap = (min(m_end, w_end) - max(m_start, w_start)).total_seconds()
            if overlap > 0:
                used += round(overlap / 60)
    if not slots:
        return None
    return Dedicated(offered=offered, used=min(used, offered))


# --- load ------------------------------------------------------------------------------------


@dataclass
class Load:
    people: int
    counts: list[int] | None  # people carrying 0, 1, 2, 3, 4+ at once
    over: int | None  # people above the research's limit
    over_percent: int | None
    warn: bool
    limit: int


def load(school: Organisation, people: People, today: date) -> Load:
    """Groups running now and observation rounds under way that each person is in. Two queries."""
    per_person: dict[int, int] = defaultdict(int)
    for user_id, n in (
        GroupMembership.objects.filter(
            user_id__in=counted_people(school),
            group__starts_on__lte=today,
            group__ends_on__gte=today,
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    ):
        per_person[user_id] += n
    through = ObservationRound.participants.through
    rounds = (
        through.objects.filter(
            user_id__in=counted_people(school),
            observationround__status=RoundStatus.PUBLISHED,
            observationround__last_day__gte=today,
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
    )
    for row in rounds:
        per_person[row["user_id"]] += row["n"]
    rhythm = figures.rhythm()
    limit = rhythm.value("parallel_max")
    n = len(people.ids)
    if not shown(n, min_group_size(school)):
        return Load(n, None, None, None, False, limit)
    values = [per_person.get(u, 0) for u in people.ids]
    over = sum(1 for v in values if v > limit)
    percent = round(100 * over / n)
    warn = percent >= rhythm.value("parallel_share_warn")
    return Load(n, figures.load_counts(values), over, percent, warn, limit)


# --- groups: rhythm and whether it lasts ------------------------------------------------------


@dataclass
class GroupRow:
    group: LearningGroup
    members: int
    status: str  # active, paused, ended, planned
    findings: list[figures.Finding]
    lasting: list[tuple[int, figures.Share | None, bool]] = field(default_factory=list)


def _regular_minutes(group: LearningGroup) -> int:
    guide = group.guide.parsed
    phase = max(guide.phases, key=lambda p: p.meetings)
    try:
        return guide.meeting_type(phase.meeting_type).total_minutes
    except KeyError:
        return 0


def groups_section(school: Organisation, today: date) -> list[GroupRow]:
    """Every group of the school with its status, research findings (running groups) and, for
    groups that ended, whether its members still meet 6, 12 and 18 months later. Four queries."""
    now = timezone.now()
    groups = list(
        LearningGroup.objects.filter(school=school)
        .select_related("guide")
        .annotate(
            # subqueries, not joins: members × meetings would multiply the rows
            member_count=Subquery(
                GroupMembership.objects.filter(group=OuterRef("pk"))
                .order_by()
                .values("group")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            last_held=Subquery(
                Meeting.objects.filter(group=OuterRef("pk"), status=Meeting.Status.HELD)
                .order_by("-starts_at")
                .values("starts_at")[:1]
            ),
        )
        .order_by("name", "pk")
    )
    rows = []
    for group in groups:
        members = group.member_count or 0  # type: ignore[attr-defined]
        last_held = group.last_held  # type: ignore[attr-defined]
        if group.ends_on < today:
            status = "ended"
        elif group.starts_on > today:
            status = "planned"
        elif (last_held and now - last_held <= PAUSE_AFTER) or (
            today - group.starts_on
        ) <= PAUSE_AFTER:
            status = "active"
        else:
            status = "paused"
        findings = []
        if status in ("active", "paused", "planned"):
            plan = figures.GroupPlan(
                members=members,
                interval_days=group.interval_days,
                meeting_minutes=_regular_minutes(group),
                run_days=(group.ends_on - group.starts_on).days + 1,
            )
            findings = figures.check_plan(plan)
        rows.append(GroupRow(group, members, status, findings))
    _lasting(school, [r for r in rows if r.status == "ended"], today)
    return rows


def _lasting(school: Organisation, rows: list[GroupRow], today: date) -> None:
    """Two queries, also when no group has ended (so a page's count never depends on it)."""
    minimum = min_group_size(school)
    ended = GroupMembership.objects.filter(group__school=school, group__ends_on__lt=today)
    members: dict[int, set[int]] = defaultdict(set)
    for group_id, user_id in ended.order_by().values_list("group_id", "user_id"):
        members[group_id].add(user_id)
    # Only the months some mark looks at: from three months after the earliest end.
    earliest = months_after(
        min((r.group.ends_on for r in rows), default=today), 6 - LASTING_WINDOW_MONTHS
    )
    start, _end = bounds(Period("custom", earliest, earliest))
    months: dict[int, set[date]] = defaultdict(set)
    for user_id, month in (
        Attendance.objects.filter(
            user_id__in=ended.values("user_id"),
            present=True,
            meeting__status=Meeting.Status.HELD,
            meeting__starts_at__gte=start,
        )
        .annotate(month=TruncMonth("meeting__starts_at"))
        .order_by()
        .values_list("user_id", "month")
        .distinct()
    ):
        day = month.date() if isinstance(month, datetime) else month
        months[user_id].add(day.replace(day=1))
    for row in rows:
        group_members = members.get(row.group.pk, set())
        for mark in LASTING_MARKS:
            at = months_after(row.group.ends_on, mark)
            if at > today:
                row.lasting.append((mark, None, False))
                continue
            window = {months_after(at, -k).replace(day=1) for k in range(LASTING_WINDOW_MONTHS)}
            still = sum(1 for u in group_members if months[u] & window)
            row.lasting.append((mark, figures.share(len(group_members), still, minimum), True))


# --- the whole page --------------------------------------------------------------------------


@dataclass
class SchoolInsights:
    school: Organisation
    period: Period
    minimum: int
    time: TimeSection
    dedicated: Dedicated | None
    load: Load
    groups: list[GroupRow]
    focus: list[FocusRow]
    equity: list[EquityTable]

    @property
    def has_data(self) -> bool:
        return bool(
            self.time.held_people
            or any(r.commitments or r.conclusions for r in self.focus)
            or any(g.status != "planned" for g in self.groups)
        )

    @property
    def rhythm_findings(self) -> list[tuple[GroupRow, figures.Finding]]:
        return [(row, f) for row in self.groups for f in row.findings]

    @property
    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("active", "paused", "ended", "planned"), 0)
        for row in self.groups:
            counts[row.status] += 1
        return counts


def school_insights(
    school: Organisation, period: Period, today: date | None = None
) -> SchoolInsights:
    """Everything on the leader's page (the caller has checked that the person leads it)."""
    today = today or timezone.localdate()
    people = people_of(school)
    held = held_minutes(counted_people(school), period.until(today))
    return SchoolInsights(
        school=school,
        period=period,
        minimum=min_group_size(school),
        time=time_section(school, people, held, period, today),
        dedicated=dedicated_time(school, period, today),
        load=load(school, people, today),
        groups=groups_section(school, today),
        focus=focus_chain(school, period),
        equity=equity(school, people, held, period),
    )


def headline(
    school: Organisation, period: Period, today: date | None = None, *, actor: Actor | None = None
) -> dict[str, Any]:
    """The home panel's line: promised vs held (median) and how many are below half. With
    the acting person, what was read is kept for their own line on the same page."""
    today = today or timezone.localdate()
    people = people_of(school)
    so_far = period.until(today)
    held = held_minutes(counted_people(school), so_far)
    section = time_section(school, people, held, period, today)
    if actor is not None:
        remember_school_read(actor, SchoolRead(school.pk, so_far, people, held, section.promises))
    return {"school": school, "period": period, "time": section}

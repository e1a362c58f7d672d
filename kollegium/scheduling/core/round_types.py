"""Data types of the observation-round solver, its score and shared helpers (pure: no Django).

See :mod:`kollegium.scheduling.core.rounds` for the rules and the public functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

SUBJECT_MODES = ("same", "cross", "mixed")
RULES = ("k_observe", "k_observed", "subject_mode", "no_repeat", "max_per_day", "observer_free")

#: Objective weights (integers so CP-SAT optimises exactly).
W_PREFERRED = 10  # per assignment of a leader-chosen pair
W_SUBJECT = 3  # per assignment where the lesson's subject is one of the observer's subjects
W_SPREAD = 2  # per person, role (observing / observed) and week with at least one observation


@dataclass(frozen=True)
class Teacher:
    id: str
    subjects: frozenset[str]
    team: str | None = None
    #: where the teacher works (a site of a school, or a school of a network); "" = anywhere
    site: str = ""


@dataclass(frozen=True)
class Lesson:
    id: str
    teacher_id: str
    start: datetime
    end: datetime
    subject: str


@dataclass(frozen=True)
class RoundRules:
    k: int
    subject_mode: str  # "same" | "cross" | "mixed"
    forbidden_pairs: frozenset[tuple[str, str]] = frozenset()  # (observer, observed)
    max_per_day: int = 1
    require_observer_free: bool = True
    #: an observer visiting another site must also be free this long before and after the
    #: lesson (part of ``observer_free``)
    travel_minutes: int = 0
    #: instructional rounds between schools: observers only visit colleagues at other sites
    other_site_only: bool = False


@dataclass(frozen=True)
class RoundInstance:
    teachers: tuple[Teacher, ...]
    lessons: tuple[Lesson, ...]
    # per teacher: everything they are busy with, their own lessons included
    busy: Mapping[str, tuple[tuple[datetime, datetime], ...]]
    rules: RoundRules
    preferred_pairs: frozenset[tuple[str, str]] = frozenset()
    timezone: str = "Europe/Stockholm"


@dataclass(frozen=True)
class Assignment:
    observer_id: str
    observed_id: str
    lesson_id: str


@dataclass(frozen=True)
class BlockingRule:
    rule: str  # one of RULES
    people: tuple[str, ...]
    detail: str
    #: what relaxing the rule would give, machine-readable: "max_per_day=2", "k=3",
    #: "subject_mode=mixed", "no_repeat=off", "observer_free=off", or "" when unknown
    relax: str = ""
    #: the rule concerns every participant (the page then says so instead of listing names)
    everyone: bool = False


@dataclass(frozen=True)
class RoundResult:
    status: str  # "optimal" | "feasible" | "infeasible" | "unknown"
    assignments: tuple[Assignment, ...]
    objective: float
    best_bound: float
    gap: float
    wall_time_s: float
    blocking: tuple[BlockingRule, ...] = ()
    #: the best objective of the greedy restarts (None when greedy found no whole schedule)
    greedy_objective: float | None = None
    #: which search gave the schedule kept: "greedy" or "cp-sat"
    method: str = ""


# --------------------------------------------------------------------------------------------
# Validation and shared helpers
# --------------------------------------------------------------------------------------------


def validate(instance: RoundInstance) -> None:
    rules = instance.rules
    if rules.subject_mode not in SUBJECT_MODES:
        raise ValueError(f"subject_mode must be one of {SUBJECT_MODES}, not {rules.subject_mode!r}")
    if rules.k < 0:
        raise ValueError("k must be zero or more")
    if rules.max_per_day < 1:
        raise ValueError("max_per_day must be at least 1")
    if rules.travel_minutes < 0:
        raise ValueError("travel_minutes must be zero or more")
    ids = [t.id for t in instance.teachers]
    if len(set(ids)) != len(ids):
        raise ValueError("teacher ids must be unique")
    lesson_ids = [lesson.id for lesson in instance.lessons]
    if len(set(lesson_ids)) != len(lesson_ids):
        raise ValueError("lesson ids must be unique")
    ZoneInfo(instance.timezone)
    for lesson in instance.lessons:
        if lesson.start.tzinfo is None or lesson.end.tzinfo is None:
            raise ValueError(f"lesson {lesson.id} has a naive datetime")
        if lesson.end.timestamp() <= lesson.start.timestamp():
            raise ValueError(f"lesson {lesson.id} ends before it starts")
    for person, intervals in instance.busy.items():
        for start, end in intervals:
            if start.tzinfo is None or end.tzinfo is None:
                raise ValueError(f"busy interval of {person} has a naive datetime")


def subject_allowed(mode: str, observer: Teacher, lesson_subject: str) -> bool:
    """Whether the subject mode allows ``observer`` to observe a lesson in ``lesson_subject``."""
    if mode == "same":
        return lesson_subject in observer.subjects
    if mode == "cross":
        return lesson_subject not in observer.subjects
    return True


def score_round(instance: RoundInstance, assignments: Sequence[Assignment]) -> int:
    """The objective value of a schedule (higher is better). Independent of the CP-SAT model."""
    tz = ZoneInfo(instance.timezone)
    teachers = {t.id: t for t in instance.teachers}
    lessons = {lesson.id: lesson for lesson in instance.lessons}
    total = 0
    weeks: set[tuple[str, str, tuple[int, int]]] = set()
    for a in assignments:
        lesson = lessons[a.lesson_id]
        if (a.observer_id, a.observed_id) in instance.preferred_pairs:
            total += W_PREFERRED
        if lesson.subject in teachers[a.observer_id].subjects:
            total += W_SUBJECT
        iso = lesson.start.astimezone(tz).date().isocalendar()
        week = (iso[0], iso[1])
        weeks.add((a.observer_id, "observe", week))
        weeks.add((a.observed_id, "observed", week))
    return total + W_SPREAD * len(weeks)


def needs_travel(rules: RoundRules, observer: Teacher, observed: Teacher) -> bool:
    """Whether the observer travels to the observed teacher's site (both sites known, differ)."""
    return (
        rules.travel_minutes > 0
        and bool(observer.site)
        and bool(observed.site)
        and observer.site != observed.site
    )


def same_site_refused(rules: RoundRules, observer: Teacher, observed: Teacher) -> bool:
    """Whether ``other_site_only`` refuses the pair (same known site)."""
    return rules.other_site_only and observer.site == observed.site


def merged(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    out: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out

"""Realistic observation-round instances for the benchmark and the solver tests (pure: no Django).

Unlike :mod:`.synthetic` (every teacher the same, free periods scattered at random), a school
here looks like a Swedish compulsory school's timetable:

* nine periods a day (08:10–16:00, lunch 11:45–12:30 for everyone), the weekly timetable
  repeating over the weeks of the round;
* full-timers teach ``lessons_per_week`` lessons; their free periods come in runs (a free
  first period, a free block in the afternoon), not one here and one there;
* about one in six works part-time: a free day (no lessons, not at school) and fewer lessons;
* teachers belong to work teams of about ten, each with a weekly team meeting (busy, never a
  lesson) at a time of its own; everyone has the staff meeting on Tuesday afternoons;
* subjects: one to three per teacher, weighted as in a real staff room (many teach Swedish,
  mathematics and English; few teach music or crafts), each lesson in one of them;
* two sites: a fifth of the school works at the other building; some teachers teach on both
  sites on different days and have the journey as busy time;
* a previous round (its pairs may not be repeated) and a few leader-chosen preferred pairs.

:func:`realistic_network` puts several such schools together (one site per school, a travel
time between them) for instructional rounds between the schools of a network.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .round_types import Lesson, RoundInstance, RoundRules, Teacher

#: (start, minutes) of the nine periods of a day
PERIODS = (
    (time(8, 10), 50), (time(9, 5), 50), (time(10, 0), 50), (time(10, 55), 50),
    (time(12, 30), 50), (time(13, 25), 50), (time(14, 20), 50), (time(15, 15), 45),
    (time(16, 5), 40),
)  # fmt: skip
LUNCH = (time(11, 45), time(12, 30))
SUBJECT_WEIGHTS = (
    ("Svenska", 14), ("Matematik", 14), ("Engelska", 10), ("NO", 8), ("SO", 8),
    ("Idrott och hälsa", 5), ("Bild", 3), ("Musik", 3), ("Slöjd", 3), ("Teknik", 3),
    ("Spanska", 3), ("Hemkunskap", 2), ("Moderna språk", 2), ("Svenska som andraspråk", 3),
)  # fmt: skip


def _subjects(rng: random.Random) -> frozenset[str]:
    names = [name for name, _w in SUBJECT_WEIGHTS]
    weights = [w for _name, w in SUBJECT_WEIGHTS]
    count = rng.choices((1, 2, 3), weights=(3, 5, 2))[0]
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add(rng.choices(names, weights=weights)[0])
    return frozenset(chosen)


def _free_runs(rng: random.Random, days: list[int], free_count: int) -> set[tuple[int, int]]:
    """``free_count`` free (weekday, period) slots in runs of 1-3 periods, clustered at the
    ends of the day and around lunch as real timetables have them."""
    free: set[tuple[int, int]] = set()
    period_weights = (5, 2, 1, 3, 3, 1, 2, 4, 6)
    guard = 0
    while len(free) < free_count and guard < 1000:
        guard += 1
        day = rng.choice(days)
        first = rng.choices(range(len(PERIODS)), weights=period_weights)[0]
        length = rng.choice((1, 2, 2, 3))
        for p in range(first, min(len(PERIODS), first + length)):
            if len(free) < free_count:
                free.add((day, p))
    return free


def _at(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tz)


def _school(
    rng: random.Random,
    *,
    prefix: str,
    n_teachers: int,
    lessons_per_week: int,
    weeks: int,
    first_monday: date,
    tz: ZoneInfo,
    sites: tuple[str, ...],
    travel_minutes: int,
    release_periods: int = 0,
) -> tuple[list[Teacher], list[Lesson], dict[str, list[tuple[datetime, datetime]]]]:
    teachers: list[Teacher] = []
    lessons: list[Lesson] = []
    busy: dict[str, list[tuple[datetime, datetime]]] = {}
    n_teams = max(1, n_teachers // 10)
    team_meeting = {t: (rng.randrange(5), rng.choice((7, 8))) for t in range(n_teams)}
    for i in range(n_teachers):
        teacher_id = f"{prefix}{i:03d}"
        team = i % n_teams
        home = sites[0] if len(sites) == 1 or rng.random() < 0.8 else sites[1]
        both_sites = len(sites) > 1 and rng.random() < 0.1
        teacher = Teacher(teacher_id, _subjects(rng), team=f"{prefix}team{team:02d}", site=home)
        teachers.append(teacher)
        part_time = rng.random() < 0.17
        days = list(range(5))
        if part_time:
            days.remove(rng.randrange(5))
        meeting_day, meeting_period = team_meeting[team]
        blocked = {(meeting_day, meeting_period), (1, 8)}  # team meeting, staff meeting
        slots = [(d, p) for d in days for p in range(len(PERIODS)) if (d, p) not in blocked]
        count = lessons_per_week if not part_time else int(lessons_per_week * 0.75)
        count = min(count, len(slots))
        free = _free_runs(rng, days, len(slots) - count)
        if release_periods:  # a half-day the school releases for the network's round
            free_day, first_period = rng.choice(days), rng.choice((0, 4))
            periods = range(first_period, first_period + release_periods)
            release = {(free_day, period) for period in periods} - blocked
            extra = [slot for slot in sorted(free) if slot not in release]
            free = release | set(extra[: max(0, len(slots) - count - len(release))])
        taught = [s for s in slots if s not in free][:count]
        subjects = sorted(teacher.subjects)
        subject_of = {slot: rng.choice(subjects) for slot in taught}
        other_site_days = set(rng.sample(days, 2)) if both_sites else set()
        person_busy: list[tuple[datetime, datetime]] = []
        for week in range(weeks):
            monday = first_monday + timedelta(days=7 * week)
            for d in days:
                day = monday + timedelta(days=d)
                person_busy.append((_at(day, LUNCH[0], tz), _at(day, LUNCH[1], tz)))
                if d in other_site_days:  # the journey to the other building and back
                    first, last = PERIODS[0][0], PERIODS[-1][0]
                    start = _at(day, first, tz) - timedelta(minutes=travel_minutes)
                    person_busy.append((start, _at(day, first, tz)))
                    end = _at(day, last, tz) + timedelta(minutes=PERIODS[-1][1])
                    person_busy.append((end, end + timedelta(minutes=travel_minutes)))
            for d, p in sorted(blocked):
                if d in days:
                    start = _at(monday + timedelta(days=d), PERIODS[p][0], tz)
                    person_busy.append((start, start + timedelta(minutes=60)))
            for d, p in sorted(taught):
                clock, minutes = PERIODS[p]
                start = _at(monday + timedelta(days=d), clock, tz)
                end = start + timedelta(minutes=minutes)
                lessons.append(
                    Lesson(
                        f"{teacher_id}-w{week}-{d}-{p}", teacher_id, start, end, subject_of[(d, p)]
                    )
                )
                person_busy.append((start, end))
        busy[teacher_id] = person_busy
    return teachers, lessons, busy


def _previous_and_preferred(
    rng: random.Random, ids: list[str], k: int, n_preferred: int
) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    order = ids[:]
    rng.shuffle(order)
    forbidden = {
        (person, order[(i + shift) % len(order)])
        for shift in range(1, k + 1)
        for i, person in enumerate(order)
    }
    preferred: set[tuple[str, str]] = set()
    while len(preferred) < min(n_preferred, len(ids) * (len(ids) - 1) // 2):
        a, b = rng.sample(ids, 2)
        if (a, b) not in forbidden:
            preferred.add((a, b))
    return frozenset(forbidden), frozenset(preferred)


def realistic_round(
    *,
    n_teachers: int = 120,
    lessons_per_week: int = 35,
    weeks: int = 2,
    k: int = 2,
    subject_mode: str = "mixed",
    max_per_day: int = 1,
    first_monday: date = date(2026, 9, 7),
    seed: int = 13,
    n_preferred: int = 20,
    previous_round: bool = True,
    travel_minutes: int = 20,
    timezone: str = "Europe/Stockholm",
) -> RoundInstance:
    """One school on two sites (see the module's docstring)."""
    rng = random.Random(seed)
    tz = ZoneInfo(timezone)
    teachers, lessons, busy = _school(
        rng, prefix="t", n_teachers=n_teachers, lessons_per_week=lessons_per_week,
        weeks=weeks, first_monday=first_monday, tz=tz, sites=("main", "annex"),
        travel_minutes=travel_minutes,
    )  # fmt: skip
    ids = [t.id for t in teachers]
    forbidden, preferred = _previous_and_preferred(
        rng, ids, k if previous_round else 0, n_preferred
    )
    return RoundInstance(
        teachers=tuple(teachers),
        lessons=tuple(lessons),
        busy={t: tuple(v) for t, v in busy.items()},
        rules=RoundRules(
            k=k,
            subject_mode=subject_mode,
            forbidden_pairs=forbidden,
            max_per_day=max_per_day,
            travel_minutes=travel_minutes,
        ),
        preferred_pairs=preferred,
        timezone=timezone,
    )


def realistic_network(
    *,
    n_schools: int = 5,
    teachers_per_school: int = 120,
    lessons_per_week: int = 35,
    weeks: int = 2,
    k: int = 1,
    subject_mode: str = "mixed",
    travel_minutes: int = 30,
    other_site_only: bool = True,
    first_monday: date = date(2026, 9, 7),
    seed: int = 17,
    n_preferred: int = 50,
    timezone: str = "Europe/Stockholm",
) -> RoundInstance:
    """Schools of a network, one site each, ``travel_minutes`` apart: observers visit
    colleagues at the other schools (instructional rounds) when their timetable allows the
    journey there and back. As schools do for such rounds, each teacher has a released
    half-day (four periods in a row, morning or afternoon, once a week) among their free
    periods."""
    rng = random.Random(seed)
    tz = ZoneInfo(timezone)
    teachers: list[Teacher] = []
    lessons: list[Lesson] = []
    busy: dict[str, list[tuple[datetime, datetime]]] = {}
    for s in range(n_schools):
        more = _school(
            rng, prefix=f"s{s}t", n_teachers=teachers_per_school,
            lessons_per_week=lessons_per_week, weeks=weeks, first_monday=first_monday, tz=tz,
            sites=(f"school{s}",), travel_minutes=travel_minutes, release_periods=4,
        )  # fmt: skip
        teachers += more[0]
        lessons += more[1]
        busy.update(more[2])
    ids = [t.id for t in teachers]
    _forbidden, preferred = _previous_and_preferred(rng, ids, 0, n_preferred)
    site = {t.id: t.site for t in teachers}
    preferred = frozenset(p for p in preferred if site[p[0]] != site[p[1]] or not other_site_only)
    return RoundInstance(
        teachers=tuple(teachers),
        lessons=tuple(lessons),
        busy={t: tuple(v) for t, v in busy.items()},
        rules=RoundRules(
            k=k,
            subject_mode=subject_mode,
            travel_minutes=travel_minutes,
            other_site_only=other_site_only,
        ),
        preferred_pairs=preferred,
        timezone=timezone,
    )

"""Deterministic synthetic schools for the benchmark and the solver tests (pure: no Django).

A school day has ``slots_per_day`` 50-minute lesson slots from 08:00 local time (55 minutes
apart). Every teacher teaches ``lessons_per_week`` lessons a week, spread evenly over Monday to
Friday, and the same timetable repeats every week (a weekly recurring timetable).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .rounds import Lesson, RoundInstance, RoundRules, Teacher

SUBJECTS = ("sv", "en", "ma", "no", "so", "bi", "fy", "ke", "hi", "id", "mu", "bild")


def weekly_slots(slots_per_day: int) -> list[tuple[int, time]]:
    """(weekday, start time) of every lesson slot in a week."""
    out = []
    for weekday in range(5):
        for slot in range(slots_per_day):
            minutes = 8 * 60 + 55 * slot
            out.append((weekday, time(minutes // 60, minutes % 60)))
    return out


def synthetic_round(
    *,
    n_teachers: int = 120,
    lessons_per_week: int = 35,
    weeks: int = 2,
    k: int = 2,
    subject_mode: str = "mixed",
    slots_per_day: int = 9,
    first_monday: date = date(2026, 9, 7),
    seed: int = 1,
    n_preferred: int = 60,
    previous_round: bool = True,
    timezone: str = "Europe/Stockholm",
) -> RoundInstance:
    rng = random.Random(seed)
    tz = ZoneInfo(timezone)
    per_day = lessons_per_week // 5
    extra = lessons_per_week - per_day * 5
    if per_day + (1 if extra else 0) > slots_per_day:
        raise ValueError("more lessons a day than slots")
    teachers = []
    for i in range(n_teachers):
        subjects = frozenset(rng.sample(SUBJECTS, rng.choice((1, 2, 2, 3))))
        teachers.append(Teacher(f"t{i:03d}", subjects, team=f"team{i // 10:02d}"))
    lessons: list[Lesson] = []
    busy: dict[str, list[tuple[datetime, datetime]]] = {t.id: [] for t in teachers}
    for teacher in teachers:
        extra_days = set(rng.sample(range(5), extra))
        pattern = []
        for weekday in range(5):
            count = per_day + (1 if weekday in extra_days else 0)
            pattern += [(weekday, slot) for slot in sorted(rng.sample(range(slots_per_day), count))]
        taught = sorted(teacher.subjects)
        group_subject = {p: rng.choice(taught) for p in pattern}
        for week in range(weeks):
            for weekday, slot in pattern:
                day = first_monday + timedelta(days=7 * week + weekday)
                minutes = 8 * 60 + 55 * slot
                start = datetime.combine(day, time(minutes // 60, minutes % 60), tz)
                end = start + timedelta(minutes=50)
                lessons.append(
                    Lesson(
                        f"{teacher.id}-w{week}-{weekday}-{slot}",
                        teacher.id,
                        start,
                        end,
                        group_subject[(weekday, slot)],
                    )
                )
                busy[teacher.id].append((start, end))
        # A weekly team meeting after lessons, and a break duty in a free slot.
        for week in range(weeks):
            day = first_monday + timedelta(days=7 * week + 2)
            start = datetime.combine(day, time(16, 30), tz)
            busy[teacher.id].append((start, start + timedelta(hours=1)))
    ids = [t.id for t in teachers]
    preferred: set[tuple[str, str]] = set()
    while len(preferred) < min(n_preferred, n_teachers * (n_teachers - 1)):
        a, b = rng.sample(ids, 2)
        preferred.add((a, b))
    forbidden: set[tuple[str, str]] = set()
    if previous_round and n_teachers > k:
        order = ids[:]
        rng.shuffle(order)
        for shift in range(1, k + 1):
            for i, person in enumerate(order):
                forbidden.add((person, order[(i + shift) % len(order)]))
    return RoundInstance(
        teachers=tuple(teachers),
        lessons=tuple(lessons),
        busy={t: tuple(v) for t, v in busy.items()},
        rules=RoundRules(k=k, subject_mode=subject_mode, forbidden_pairs=frozenset(forbidden)),
        preferred_pairs=frozenset(preferred),
        timezone=timezone,
    )

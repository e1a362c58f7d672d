"""Observations: planning a round from the database, and the leader's statistics.

- A round for 120 teachers of one school with 35 lessons a week each over two weeks, k = 2,
  mixed subjects: reading the timetables into the solver's instance (`build_round`), and the
  whole planning task as the page runs it (build, CP-SAT with a 10 s limit on 2 workers,
  store the 240 proposed pairs), checked with the solver's independent checker.
- The statistics page's selector for that school after the round: counts per team and round
  and who has not been observed, for 120 people and 240 observations.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from datetime import time as clock

from bench.common import BenchContext, row


def _school_with_teachers(n: int):
    from kollegium.accounts.models import User
    from kollegium.organisations.models import Membership, Organisation, Role

    school = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).order_by("pk").first()
    people = list(User.objects.filter(memberships__school=school).order_by("pk")[:n])
    facilitator = people[0]
    Membership.objects.filter(user=facilitator, school=school).update(role=Role.FACILITATOR)
    return school, people, facilitator


def _timetables(people, first_monday, weeks: int, per_week: int, seed: int = 1) -> int:
    from django.utils import timezone

    from kollegium.scheduling.models import EntryKind, TimetableEntry

    rng = random.Random(seed)
    subjects = ["Matematik", "Svenska", "Engelska", "NO", "SO", "Idrott", "Bild", "Musik"]
    slots = [clock(8 + i, 0) for i in range(9)]  # 08:00 ... 16:00
    entries = []
    for person in people:
        subject = rng.choice(subjects)
        for week in range(weeks):
            for day in range(5):
                chosen = sorted(rng.sample(range(9), per_week // 5))
                for slot in chosen:
                    start = timezone.make_aware(
                        datetime.combine(first_monday + timedelta(days=7 * week + day), slots[slot])
                    )
                    entries.append(
                        TimetableEntry(
                            user=person,
                            kind=EntryKind.LESSON,
                            subject=subject,
                            group_name=f"{rng.randint(4, 9)}{rng.choice('ABC')}",
                            start=start,
                            end=start + timedelta(minutes=50),
                        )
                    )
    TimetableEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def run(ctx: BenchContext) -> list[dict]:
    from django.utils import timezone

    from kollegium.observations import services, timetable
    from kollegium.observations.models import ObservationRound
    from kollegium.observations.selectors import statistics_for_school
    from kollegium.scheduling.core.rounds import Assignment, check_round

    n = 30 if ctx.quick else 120
    ctx.seed_people(1, n + 5)
    school, people, facilitator = _school_with_teachers(n)
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    lessons = _timetables(people, monday, weeks=2, per_week=35)

    round_ = services.round_create(
        actor=facilitator, school=school, title="Bench", participants=people,
        first_day=monday, last_day=monday + timedelta(days=11), k=2, subject_mode="mixed",
    )  # fmt: skip
    build = ctx.timeit(lambda: timetable.build_round(round_), repeat=3 if ctx.quick else 5,
                       warmup=1)  # fmt: skip

    from kollegium.scheduling.selectors import busy_intervals_for

    window = timetable.round_window(round_)
    busy = ctx.timeit(
        lambda: busy_intervals_for(users=people, start=window[0], end=window[1]),
        repeat=3 if ctx.quick else 5,
        warmup=1,
    )

    started = time.perf_counter()
    round_ = services.round_solve(actor=facilitator, round_=round_)
    total_s = time.perf_counter() - started
    round_ = ObservationRound.objects.get(pk=round_.pk)
    pairs = list(round_.pairs.all())
    built = timetable.build_round(round_)
    problems = check_round(
        built.instance,
        [Assignment(str(p.observer_id), str(p.observed_id), p.lesson_ref) for p in pairs],
    )
    good = round_.result_status == "optimal" or (
        round_.result_status == "feasible" and (round_.gap or 0) <= 0.01
    )
    stats = ctx.timeit(lambda: statistics_for_school(actor=facilitator, school=school), repeat=20)
    note = (
        f"{n} teachers, {lessons} lessons in the database; {len(pairs)} pairs stored; "
        f"status {round_.result_status}, gap {(round_.gap or 0):.2%}, solver "
        f"{(round_.wall_time_s or 0):.1f} s; checker {'ok' if not problems else 'FAILED'}"
    )
    return [
        row(f"observation_round_{n}_build_instance", build["p50"], "ms", target="< 1000 ms",
            ok=build["p95"] < 1000, note=f"{lessons} timetable entries read; "
            f"p95 {build['p95']:.0f} ms"),
        row(f"observation_round_{n}_busy_intervals", busy["p50"], "ms",
            note="of which scheduling.selectors.busy_intervals_for (timetables + calendar "
            "registry, one registry pass per person)"),
        row(f"observation_round_{n}_plan_task", total_s, "s",
            target="<= 12 s (10 s solve + reading and storing)",
            ok=total_s <= 12 and good and not problems and len(pairs) == 2 * n, note=note),
        row(f"observation_statistics_{n}_people", stats["p50"], "ms", target="< 100 ms",
            ok=stats["p95"] < 100, note=f"p95 {stats['p95']:.1f} ms"),
    ]  # fmt: skip

"""Observations: planning a round from the database, the planner on realistic schools, and the
leader's statistics.

- The planner's core on realistic instances (``scheduling.core.realistic_rounds``: periods,
  free periods in runs, part-timers with a free day, team and staff meetings, lunch, two sites
  with travel, subjects weighted as in a staff room, a previous round): 120 teachers, k = 2
  over two and three weeks (10 s: optimal or gap <= 1 % against the min-cost-flow bound, never
  worse than the greedy with restarts); a network round of 600 teachers across 5 schools with
  30 minutes' travel between them (30 s: gap <= 2 %); infeasible rounds (k = 5 in one week;
  one never-free teacher among 121) explained with the right rule and only the people it
  concerns within 15 s.
- A round for 120 teachers of one school with that realistic timetable stored in the database
  (lessons and other busy time), k = 2, two weeks: reading the timetables into the solver's
  instance (`build_round`), and the whole planning task as the page runs it (build, greedy +
  CP-SAT with a 10 s limit on 2 workers, store the 240 proposed pairs), checked with the
  solver's independent checker.
- The statistics page's selector for that school after the round: counts per team and round
  and who has not been observed, for 120 people and 240 observations.
"""

from __future__ import annotations

import time
from datetime import timedelta

from bench.common import BenchContext, row


def _school_with_teachers(n: int):
    from kollegium.accounts.models import User
    from kollegium.organisations.models import Membership, Organisation, Role

    school = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).order_by("pk").first()
    people = list(User.objects.filter(memberships__school=school).order_by("pk")[:n])
    facilitator = people[0]
    Membership.objects.filter(user=facilitator, school=school).update(role=Role.FACILITATOR)
    return school, people, facilitator


def _timetables(people, first_monday, weeks: int, seed: int = 13) -> int:
    """The realistic generator's school, stored as timetable entries of ``people``: lessons,
    and meetings, lunch and journeys as other busy time."""
    from kollegium.scheduling.core.realistic_rounds import realistic_round
    from kollegium.scheduling.models import EntryKind, TimetableEntry

    school = realistic_round(
        n_teachers=len(people), weeks=weeks, first_monday=first_monday, seed=seed
    )
    person = {t.id: p for t, p in zip(school.teachers, people, strict=True)}
    entries = [
        TimetableEntry(user=person[x.teacher_id], kind=EntryKind.LESSON, subject=x.subject,
                       group_name="8B", start=x.start, end=x.end)
        for x in school.lessons
    ]  # fmt: skip
    lesson_times = {(x.teacher_id, x.start, x.end) for x in school.lessons}
    for teacher_id, intervals in school.busy.items():
        for start, end in intervals:
            if (teacher_id, start, end) not in lesson_times:
                entries.append(TimetableEntry(user=person[teacher_id], kind=EntryKind.BUSY,
                                              title="Möte", start=start, end=end))  # fmt: skip
    TimetableEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def _planner_rows(ctx: BenchContext) -> list[dict]:
    """The planner's core on realistic instances (no database)."""
    from kollegium.scheduling.core.realistic_rounds import realistic_network, realistic_round
    from kollegium.scheduling.core.round_greedy import greedy_search
    from kollegium.scheduling.core.round_model import Prepared
    from kollegium.scheduling.core.rounds import RoundInstance, check_round, solve_round

    rows = []
    n = 40 if ctx.quick else 120
    for weeks in (2, 3):
        school = realistic_round(n_teachers=n, weeks=weeks)
        greedy = greedy_search(Prepared(school), restarts=12, seed=0)
        result = solve_round(school, time_limit_s=10)
        problems = check_round(school, result.assignments)
        ok = (
            (result.status == "optimal" or result.gap <= 0.01)
            and result.objective >= greedy.objective
            and not problems
            and result.wall_time_s <= 10
        )
        rows.append(row(
            f"observation_planner_realistic_{n}_k2_{weeks}w", result.wall_time_s, "s",
            target="<= 10 s, optimal or gap <= 1 %, >= greedy", ok=ok,
            note=f"{result.status}, objective {result.objective:.0f} of bound "
            f"{result.best_bound:.0f} (gap {result.gap:.2%}); greedy with 12 restarts "
            f"{greedy.objective:.0f}; kept from {result.method}; {len(school.lessons)} lessons; "
            f"checker {'ok' if not problems else 'FAILED'}",
        ))  # fmt: skip
    schools, per_school = (3, 40) if ctx.quick else (5, 120)
    network = realistic_network(n_schools=schools, teachers_per_school=per_school)
    result = solve_round(network, time_limit_s=30)
    problems = check_round(network, result.assignments)
    ok = (result.status == "optimal" or result.gap <= 0.02) and not problems
    rows.append(row(
        f"observation_planner_network_{schools * per_school}_{schools}_schools",
        result.wall_time_s, "s", target="<= 30 s, gap <= 2 %",
        ok=ok and result.wall_time_s <= 30,
        note=f"{result.status}, objective {result.objective:.0f} of bound "
        f"{result.best_bound:.0f} (gap {result.gap:.2%}); 30 min travel between schools, "
        f"observers visit other schools only; {len(network.lessons)} lessons; checker "
        f"{'ok' if not problems else 'FAILED'}",
    ))  # fmt: skip

    # infeasible: k = 5 in one week (at most one a day), and one never-free teacher
    week = realistic_round(n_teachers=n, weeks=1, k=5, previous_round=False)
    result = solve_round(week, time_limit_s=15)
    rules = [(b.rule, b.everyone, b.relax) for b in result.blocking]
    right = result.status == "infeasible" and [r[0] for r in rules] == ["max_per_day"]
    rows.append(row(
        f"observation_planner_infeasible_{n}_k5_one_week", result.wall_time_s, "s",
        target="<= 15 s, the day rule", ok=right and result.wall_time_s <= 15,
        note=f"blocking {rules}",
    ))  # fmt: skip
    base = realistic_round(n_teachers=n + 1)
    never = base.teachers[-1].id
    first = min(x.start for x in base.lessons)
    busy = dict(base.busy)
    busy[never] = (*busy[never], (first - timedelta(days=1), first + timedelta(days=30)))
    blocked = RoundInstance(base.teachers, base.lessons, busy, base.rules, base.preferred_pairs)
    result = solve_round(blocked, time_limit_s=15)
    named = [(b.rule, b.people) for b in result.blocking]
    right = named == [("observer_free", (never,))]
    rows.append(row(
        f"observation_planner_infeasible_{n + 1}_one_never_free", result.wall_time_s, "s",
        target="<= 15 s, observer_free for that one person", ok=right and result.wall_time_s <= 15,
        note=f"blocking {named}",
    ))  # fmt: skip
    return rows


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
    lessons = _timetables(people, monday, weeks=2)

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
    from kollegium.scheduling.core.rounds import greedy_round

    greedy = greedy_round(built.instance, restarts=12)
    good = (
        round_.result_status == "optimal"
        or (round_.result_status == "feasible" and (round_.gap or 0) <= 0.01)
    ) and (round_.objective or 0) >= greedy.objective
    stats = ctx.timeit(lambda: statistics_for_school(actor=facilitator, school=school), repeat=20)
    note = (
        f"{n} teachers, {lessons} lessons in the database; {len(pairs)} pairs stored; "
        f"status {round_.result_status}, objective {round_.objective or 0:.0f} (greedy with "
        f"restarts {greedy.objective:.0f}), gap {(round_.gap or 0):.2%}, solver "
        f"{(round_.wall_time_s or 0):.1f} s; checker {'ok' if not problems else 'FAILED'}"
    )
    return [
        *_planner_rows(ctx),
        row(f"observation_round_{n}_build_instance", build["p50"], "ms", target="< 1000 ms",
            ok=build["p95"] < 1000, note=f"{lessons} timetable entries read; "
            f"p95 {build['p95']:.0f} ms"),
        row(f"observation_round_{n}_busy_intervals", busy["p50"], "ms",
            note="of which scheduling.selectors.busy_intervals_for (timetables + calendar "
            "registry, one registry pass per person)"),
        row(f"observation_round_{n}_realistic_plan_task", total_s, "s",
            target="<= 12 s (10 s solve + reading and storing)",
            ok=total_s <= 12 and good and not problems and len(pairs) == 2 * n, note=note),
        row(f"observation_statistics_{n}_people", stats["p50"], "ms", target="< 100 ms",
            ok=stats["p95"] < 100, note=f"p95 {stats['p95']:.1f} ms"),
    ]  # fmt: skip

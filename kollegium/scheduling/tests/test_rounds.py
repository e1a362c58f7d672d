"""The observation-round solver, checked by the independent checker and by brute force."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kollegium.scheduling.core.rounds import (
    Assignment,
    Lesson,
    RoundInstance,
    RoundRules,
    Teacher,
    check_round,
    coverage,
    explain_infeasibility,
    greedy_round,
    score_round,
    solve_round,
)
from kollegium.scheduling.core.synthetic import synthetic_round

TZ = ZoneInfo("Europe/Stockholm")
MONDAY = date(2026, 9, 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def lesson(lesson_id: str, teacher: str, day: date, hour: int, subject: str = "ma") -> Lesson:
    return Lesson(lesson_id, teacher, at(day, hour), at(day, hour) + timedelta(minutes=50), subject)


def instance(
    teachers: list[Teacher],
    lessons: list[Lesson],
    rules: RoundRules,
    extra_busy: dict[str, list[tuple[datetime, datetime]]] | None = None,
    preferred: frozenset[tuple[str, str]] = frozenset(),
) -> RoundInstance:
    busy: dict[str, list[tuple[datetime, datetime]]] = {t.id: [] for t in teachers}
    for item in lessons:
        busy[item.teacher_id].append((item.start, item.end))
    for person, intervals in (extra_busy or {}).items():
        busy[person].extend(intervals)
    return RoundInstance(
        tuple(teachers),
        tuple(lessons),
        {k: tuple(v) for k, v in busy.items()},
        rules,
        preferred_pairs=preferred,
    )


def three_teachers_on_three_days(rules: RoundRules, days: int = 3) -> RoundInstance:
    teachers = [
        Teacher("ann", frozenset({"ma"})),
        Teacher("ben", frozenset({"ma"})),
        Teacher("cia", frozenset({"sv"})),
    ]
    lessons = []
    for i, who in enumerate(("ann", "ben", "cia")):
        for d in range(days):
            subject = "sv" if who == "cia" else "ma"
            lessons.append(lesson(f"{who}{d}", who, MONDAY + timedelta(days=d), 8 + i, subject))
    return instance(teachers, lessons, rules)


def test_a_school_of_twelve_gets_a_schedule_that_passes_every_hard_rule():
    school = synthetic_round(n_teachers=12, lessons_per_week=30, n_preferred=6, seed=3)
    result = solve_round(school, time_limit_s=10)
    assert result.status in ("optimal", "feasible")
    assert check_round(school, result.assignments) == []
    assert len(result.assignments) == 24
    assert result.objective == score_round(school, result.assignments)
    assert result.objective <= result.best_bound
    assert result.gap <= 0.01


def test_same_subject_rounds_only_pair_lessons_in_the_observers_subjects():
    school = synthetic_round(n_teachers=16, subject_mode="same", n_preferred=0, seed=5)
    result = solve_round(school, time_limit_s=10)
    lessons = {item.id: item for item in school.lessons}
    teachers = {t.id: t for t in school.teachers}
    if result.status == "infeasible":
        assert {b.rule for b in result.blocking} & {"subject_mode", "k_observe", "k_observed"}
        return
    assert check_round(school, result.assignments) == []
    for a in result.assignments:
        assert lessons[a.lesson_id].subject in teachers[a.observer_id].subjects


def test_cross_subject_rounds_never_pair_a_lesson_in_the_observers_subject():
    school = synthetic_round(n_teachers=12, subject_mode="cross", n_preferred=0, seed=2)
    result = solve_round(school, time_limit_s=10)
    assert result.status in ("optimal", "feasible")
    lessons = {item.id: item for item in school.lessons}
    teachers = {t.id: t for t in school.teachers}
    for a in result.assignments:
        assert lessons[a.lesson_id].subject not in teachers[a.observer_id].subjects
    assert check_round(school, result.assignments) == []


def test_it_never_repeats_a_pair_from_the_previous_round():
    school = synthetic_round(n_teachers=10, seed=4, previous_round=True)
    result = solve_round(school, time_limit_s=10)
    assert result.assignments
    pairs = {(a.observer_id, a.observed_id) for a in result.assignments}
    assert not pairs & school.rules.forbidden_pairs


def test_leader_chosen_pairs_are_preferred():
    rules = RoundRules(k=1, subject_mode="mixed")
    plain = three_teachers_on_three_days(rules)
    wanted = frozenset({("ann", "cia"), ("cia", "ben"), ("ben", "ann")})
    with_pairs = RoundInstance(
        plain.teachers, plain.lessons, plain.busy, rules, preferred_pairs=wanted
    )
    result = solve_round(with_pairs)
    assert result.status == "optimal"
    assert {(a.observer_id, a.observed_id) for a in result.assignments} == set(wanted)


def test_observations_are_spread_over_the_weeks_of_the_round():
    teachers = [Teacher(x, frozenset({"ma"})) for x in ("ann", "ben", "cia")]
    lessons = []
    for i, who in enumerate(("ann", "ben", "cia")):
        for week in range(2):
            for d in range(3):
                day = MONDAY + timedelta(days=7 * week + d)
                lessons.append(lesson(f"{who}{week}{d}", who, day, 8 + i))
    school = instance(teachers, lessons, RoundRules(k=2, subject_mode="mixed"))
    result = solve_round(school)
    assert result.status == "optimal"
    tz_weeks: dict[str, set[int]] = {}
    by_id = {item.id: item for item in lessons}
    for a in result.assignments:
        week = by_id[a.lesson_id].start.isocalendar()[1]
        tz_weeks.setdefault(a.observer_id, set()).add(week)
    assert all(len(weeks) == 2 for weeks in tz_weeks.values())


def test_too_few_colleagues_names_the_k_rule_for_everyone():
    teachers = [Teacher("ann", frozenset({"ma"})), Teacher("ben", frozenset({"ma"}))]
    lessons = [lesson("a", "ann", MONDAY, 8), lesson("b", "ben", MONDAY, 9)]
    result = solve_round(instance(teachers, lessons, RoundRules(k=2, subject_mode="mixed")))
    assert result.status == "infeasible"
    assert result.assignments == ()
    assert {b.rule for b in result.blocking} == {"k_observe", "k_observed"}
    assert set(result.blocking[0].people) == {"ann", "ben"}


def test_an_observer_who_is_never_free_is_named_with_the_observer_free_rule():
    rules = RoundRules(k=1, subject_mode="mixed")
    school = three_teachers_on_three_days(rules)
    whole_week = [(at(MONDAY, 0), at(MONDAY + timedelta(days=5), 0))]
    busy = dict(school.busy)
    busy["cia"] = busy["cia"] + tuple(whole_week)
    blocked = RoundInstance(school.teachers, school.lessons, busy, rules)
    result = solve_round(blocked)
    assert result.status == "infeasible"
    rules_named = {b.rule: b.people for b in result.blocking}
    assert "observer_free" in rules_named
    assert rules_named["observer_free"] == ("cia",)


def test_same_subject_with_a_lone_subject_teacher_names_the_subject_rule():
    school = three_teachers_on_three_days(RoundRules(k=1, subject_mode="same"))
    result = solve_round(school)
    assert result.status == "infeasible"
    named = {b.rule: b.people for b in result.blocking}
    assert "subject_mode" in named
    assert "cia" in named["subject_mode"]


def test_a_forbidden_previous_pair_that_is_the_only_option_names_no_repeat():
    forbidden = frozenset({("ann", "ben")})
    # Six days: in a triangle every two pairs share a person, so k = 2 needs six distinct days.
    school = three_teachers_on_three_days(
        RoundRules(k=2, subject_mode="mixed", forbidden_pairs=forbidden), days=6
    )
    assert (
        solve_round(
            RoundInstance(
                school.teachers, school.lessons, school.busy, RoundRules(k=2, subject_mode="mixed")
            )
        ).status
        == "optimal"
    )
    result = solve_round(school)
    assert result.status == "infeasible"
    named = {b.rule: b.people for b in result.blocking}
    assert "no_repeat" in named
    assert set(named["no_repeat"]) == {"ann", "ben"}


def test_all_lessons_on_one_day_names_the_per_day_rule():
    teachers = [Teacher("ann", frozenset({"ma"})), Teacher("ben", frozenset({"ma"}))]
    lessons = [lesson("a", "ann", MONDAY, 8), lesson("b", "ben", MONDAY, 10)]
    result = solve_round(instance(teachers, lessons, RoundRules(k=1, subject_mode="mixed")))
    assert result.status == "infeasible"
    named = {b.rule: b.people for b in result.blocking}
    assert set(named) == {"max_per_day"}
    assert named["max_per_day"]
    explained = explain_infeasibility(
        instance(teachers, lessons, RoundRules(k=1, subject_mode="mixed"))
    )
    assert [b.rule for b in explained] == ["max_per_day"]


def test_two_a_day_allows_the_same_day_but_never_two_lessons_at_once():
    teachers = [Teacher(x, frozenset({"ma"})) for x in ("ann", "ben", "cia")]
    lessons = [
        lesson("a", "ann", MONDAY, 8),
        lesson("b", "ben", MONDAY, 10),
        lesson("c1", "cia", MONDAY, 12),
        lesson("c2", "cia", MONDAY, 13),
    ]
    rules = RoundRules(k=1, subject_mode="mixed", max_per_day=2)
    school = instance(teachers, lessons, rules)
    result = solve_round(school)
    assert result.status == "optimal"
    assert check_round(school, result.assignments) == []


def test_the_checker_reports_each_broken_rule():
    rules = RoundRules(k=1, subject_mode="same", forbidden_pairs=frozenset({("ann", "ben")}))
    school = three_teachers_on_three_days(rules)
    wrong = [
        Assignment("ann", "ben", "ben0"),  # forbidden pair
        Assignment("ben", "cia", "cia0"),  # sv lesson for a ma teacher, same day as ben0
        Assignment("cia", "cia", "cia1"),  # self, and ann is never observed
    ]
    problems = "\n".join(check_round(school, wrong))
    for expected in (
        "no_repeat",
        "subject_mode same",
        "themselves",
        "k_observed: ann",
        "k_observed: cia is observed 2",
        "max_per_day: ben",
    ):
        assert expected in problems


def test_the_checker_catches_an_observer_who_is_busy():
    school = three_teachers_on_three_days(RoundRules(k=1, subject_mode="mixed"))
    busy = dict(school.busy)
    busy["ann"] = busy["ann"] + ((at(MONDAY, 9), at(MONDAY, 10)),)
    blocked = RoundInstance(school.teachers, school.lessons, busy, school.rules)
    problems = check_round(blocked, [Assignment("ann", "ben", "ben0")])
    assert any("observer_free" in p for p in problems)


def test_greedy_never_breaks_a_rule_and_the_solver_covers_at_least_as_much():
    school = synthetic_round(n_teachers=20, seed=8)
    greedy = greedy_round(school)
    violations = check_round(school, greedy.assignments)
    assert all(v.startswith(("k_observe", "k_observed")) for v in violations)
    solved = solve_round(school, time_limit_s=10)
    assert coverage(school, solved) == 1.0
    assert coverage(school, solved) >= coverage(school, greedy)
    assert solved.objective >= greedy.objective


def test_progress_is_reported_from_zero_to_one():
    seen: list[float] = []
    solve_round(
        three_teachers_on_three_days(RoundRules(k=1, subject_mode="mixed")), progress=seen.append
    )
    assert seen[0] == 0.0
    assert seen[-1] == 1.0
    assert all(0.0 <= x <= 1.0 for x in seen)


def test_naive_datetimes_and_unknown_modes_are_refused():
    school = three_teachers_on_three_days(RoundRules(k=1, subject_mode="sideways"))
    with pytest.raises(ValueError, match="subject_mode"):
        solve_round(school)
    naive = Lesson("x", "ann", datetime(2026, 9, 7, 8), datetime(2026, 9, 7, 9), "ma")
    school = three_teachers_on_three_days(RoundRules(k=1, subject_mode="mixed"))
    broken = RoundInstance(school.teachers, (*school.lessons, naive), school.busy, school.rules)
    with pytest.raises(ValueError, match="naive"):
        solve_round(broken)


def test_days_are_local_days_even_across_the_october_dst_change():
    # 00:30 local on Monday 26 October 2026 is still Sunday in UTC: the per-day rule must use
    # the local date, so these two lessons are on different local days.
    sunday = date(2026, 10, 25)
    monday = date(2026, 10, 26)
    teachers = [Teacher("ann", frozenset({"ma"})), Teacher("ben", frozenset({"ma"}))]
    lessons = [
        Lesson("a", "ann", at(sunday, 20), at(sunday, 21), "ma"),
        Lesson("b", "ben", at(monday, 0, 30), at(monday, 1, 20), "ma"),
    ]
    school = instance(teachers, lessons, RoundRules(k=1, subject_mode="mixed"))
    result = solve_round(school)
    assert result.status == "optimal"
    assert check_round(school, result.assignments) == []


def test_the_repeated_autumn_hour_holds_two_different_lessons():
    # 02:10 happens twice on 25 October 2026: first in summer time, then in winter time.
    day = date(2026, 10, 25)
    first = datetime.combine(day, time(2, 10), TZ)  # fold=0: 00:10 UTC
    second = first.replace(fold=1)  # 01:10 UTC
    teachers = [Teacher("ann", frozenset({"ma"})), Teacher("ben", frozenset({"ma"}))]
    lessons = [
        Lesson("a", "ann", first, first.replace(minute=50), "ma"),
        Lesson("b", "ben", second, second.replace(minute=50), "ma"),
    ]
    rules = RoundRules(k=1, subject_mode="mixed", max_per_day=2)
    school = instance(teachers, lessons, rules)
    result = solve_round(school)
    assert result.status == "optimal"
    assert check_round(school, result.assignments) == []
    assert {a.lesson_id for a in result.assignments} == {"a", "b"}


# ---------------------------------------------------------------------------------------------
# Property: on small random rounds the solver's optimum equals brute force.
# ---------------------------------------------------------------------------------------------

DAYS = [MONDAY + timedelta(days=d) for d in (3, 4, 7, 8)]  # Thu, Fri, Mon, Tue: two weeks


@st.composite
def small_rounds(draw) -> RoundInstance:
    n = draw(st.integers(2, 4))
    k = draw(st.integers(1, 2 if n == 3 else 1))
    ids = [f"p{i}" for i in range(n)]
    teachers = [
        Teacher(i, frozenset(draw(st.sets(st.sampled_from("ab"), min_size=1)))) for i in ids
    ]
    lessons: list[Lesson] = []
    busy: dict[str, list[tuple[datetime, datetime]]] = {i: [] for i in ids}
    for who in ids:
        for j in range(draw(st.integers(1, 2))):
            day = draw(st.sampled_from(DAYS))
            hour = draw(st.sampled_from((8, 9, 10)))
            subject = draw(st.sampled_from("ab"))
            item = lesson(f"{who}-{j}", who, day, hour, subject)
            if any(item.start == other.start for other in lessons if other.teacher_id == who):
                continue
            lessons.append(item)
            busy[who].append((item.start, item.end))
        if draw(st.booleans()):
            day = draw(st.sampled_from(DAYS))
            hour = draw(st.sampled_from((8, 9, 10)))
            busy[who].append((at(day, hour), at(day, hour, 30)))
    all_pairs = [(a, b) for a in ids for b in ids if a != b]
    forbidden = draw(st.sets(st.sampled_from(all_pairs), max_size=2))
    preferred = draw(st.sets(st.sampled_from(all_pairs), max_size=3))
    rules = RoundRules(
        k=k,
        subject_mode=draw(st.sampled_from(("same", "cross", "mixed"))),
        forbidden_pairs=frozenset(forbidden),
        max_per_day=draw(st.sampled_from((1, 1, 2))),
        require_observer_free=draw(st.booleans()),
    )
    return RoundInstance(
        tuple(teachers),
        tuple(lessons),
        {i: tuple(v) for i, v in busy.items()},
        rules,
        preferred_pairs=frozenset(preferred),
    )


def brute_force_best(school: RoundInstance) -> float | None:
    """Try every way for every observer to pick k lessons; keep the best valid schedule."""
    k = school.rules.k
    per_observer = []
    for teacher in school.teachers:
        others = [x for x in school.lessons if x.teacher_id != teacher.id]
        per_observer.append(
            [
                [Assignment(teacher.id, x.teacher_id, x.id) for x in combo]
                for combo in itertools.combinations(others, k)
            ]
        )
    best: float | None = None
    for choice in itertools.product(*per_observer):
        schedule = [a for part in choice for a in part]
        if check_round(school, schedule):
            continue
        value = float(score_round(school, schedule))
        if best is None or value > best:
            best = value
    return best


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(small_rounds())
def test_the_solver_matches_brute_force_on_small_rounds(school: RoundInstance):
    expected = brute_force_best(school)
    result = solve_round(school, time_limit_s=20)
    event("infeasible" if expected is None else "feasible")
    if expected is None:
        assert result.status == "infeasible"
        assert result.blocking, "an infeasible round must name a blocking rule"
        return
    assert result.status == "optimal"
    assert check_round(school, result.assignments) == []
    assert result.objective == expected
    assert result.best_bound == expected

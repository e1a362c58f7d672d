"""Moving one round pair to another lesson while the rest of the round stays as it is."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kollegium.observations.reschedule import alternative_lessons
from kollegium.scheduling.core.rounds import (
    Assignment,
    Lesson,
    RoundInstance,
    RoundRules,
    Teacher,
    check_round,
)

TZ = ZoneInfo("Europe/Stockholm")
MONDAY = datetime(2026, 3, 2, tzinfo=TZ)


def at(day: int, hour: int) -> datetime:
    return MONDAY + timedelta(days=day, hours=hour)


def lesson(lid: str, teacher: str, day: int, hour: int, subject: str) -> Lesson:
    return Lesson(lid, teacher, at(day, hour), at(day, hour + 1), subject)


LESSONS = (
    lesson("a1", "a", 0, 8, "MA"),
    lesson("a2", "a", 1, 8, "MA"),
    lesson("b1", "b", 0, 10, "SV"),
    lesson("b2", "b", 1, 10, "SV"),
    lesson("b3", "b", 2, 10, "SV"),
    lesson("b4", "b", 2, 13, "SV"),
    lesson("b5", "b", 3, 8, "SV"),
    lesson("c1", "c", 0, 13, "EN"),
    lesson("c2", "c", 1, 13, "EN"),
)


def instance() -> RoundInstance:
    busy: dict[str, list[tuple[datetime, datetime]]] = {"a": [], "b": [], "c": []}
    for item in LESSONS:
        busy[item.teacher_id].append((item.start, item.end))
    busy["a"].append((at(3, 8), at(3, 9)))  # a has a meeting on Thursday 08-09
    return RoundInstance(
        teachers=(
            Teacher("a", frozenset({"MA"})),
            Teacher("b", frozenset({"SV"})),
            Teacher("c", frozenset({"EN"})),
        ),
        lessons=LESSONS,
        busy={k: tuple(v) for k, v in busy.items()},
        rules=RoundRules(k=1, subject_mode="mixed"),
    )


ROUND = (
    Assignment("a", "b", "b3"),
    Assignment("b", "c", "c1"),
    Assignment("c", "a", "a2"),
)


def test_the_example_round_is_valid_to_begin_with():
    assert check_round(instance(), ROUND) == []


def test_only_the_lesson_that_keeps_every_rule_is_offered():
    # b1: b would have two observations on Monday; b2: a is already observed on Tuesday;
    # b5: a has a meeting; b3 is the lesson being moved away from.
    found = alternative_lessons(instance(), ROUND, ROUND[0], not_before=MONDAY)
    assert [alt.lesson.id for alt in found] == ["b4"]
    moved = [Assignment("a", "b", "b4"), *ROUND[1:]]
    assert check_round(instance(), moved) == []


def test_lessons_in_the_past_and_busy_times_are_not_offered():
    assert alternative_lessons(instance(), ROUND, ROUND[0], not_before=at(2, 14)) == []
    assert (
        alternative_lessons(
            instance(), ROUND, ROUND[0], not_before=MONDAY, extra_busy=[(at(2, 12), at(2, 15))]
        )
        == []
    )
    assert (
        alternative_lessons(
            instance(), ROUND, ROUND[0], not_before=MONDAY, exclude_lesson_ids=["b4"]
        )
        == []
    )


def test_without_the_day_rule_more_lessons_are_offered_best_first():
    relaxed = instance()
    relaxed = RoundInstance(
        teachers=relaxed.teachers,
        lessons=relaxed.lessons,
        busy=relaxed.busy,
        rules=RoundRules(k=1, subject_mode="mixed", max_per_day=2),
    )
    found = alternative_lessons(relaxed, ROUND, ROUND[0], not_before=MONDAY)
    ids = [alt.lesson.id for alt in found]
    assert set(ids) == {"b1", "b2", "b4"}
    scores = [alt.score for alt in found]
    assert scores == sorted(scores, reverse=True)
    assert len(alternative_lessons(relaxed, ROUND, ROUND[0], not_before=MONDAY, limit=1)) == 1


def test_a_problem_elsewhere_in_the_round_does_not_block_moving_this_pair():
    broken = (*ROUND[:2], Assignment("c", "a", "a1"))  # c observes a on Monday: c has two
    assert check_round(instance(), broken)
    found = alternative_lessons(instance(), broken, broken[0], not_before=MONDAY)
    assert "b4" in [alt.lesson.id for alt in found]


def test_a_pair_outside_the_round_is_refused():
    with pytest.raises(ValueError, match="not part of the round"):
        alternative_lessons(instance(), ROUND, Assignment("a", "c", "c2"), not_before=MONDAY)

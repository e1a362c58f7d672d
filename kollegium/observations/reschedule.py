"""Move one pair of an observation round to another lesson and keep every other pair (pure).

When someone declines a proposed lesson, the facilitator should not have to reshuffle the whole
round: the same observer should observe the same colleague in another lesson that still meets
every hard rule of the round, given all the other pairs as they are. Candidates are checked with
the round solver's independent checker, so "keeps the rules" means exactly what it means for a
full solve.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from kollegium.scheduling.core.rounds import (
    Assignment,
    Lesson,
    RoundInstance,
    check_round,
    score_round,
)


@dataclass(frozen=True)
class Alternative:
    lesson: Lesson
    score: int  # the round's objective with this lesson (higher is better)


def alternative_lessons(
    instance: RoundInstance,
    assignments: Sequence[Assignment],
    moving: Assignment,
    *,
    not_before: datetime,
    exclude_lesson_ids: Iterable[str] = (),
    extra_busy: Iterable[tuple[datetime, datetime]] = (),
    limit: int = 5,
) -> list[Alternative]:
    """Lessons the pair in ``moving`` could use instead, best first.

    ``assignments`` is the whole current round (``moving`` included). A candidate lesson is
    taught by the observed teacher, starts after ``not_before``, is not excluded, does not
    overlap ``extra_busy`` (e.g. the reason somebody declined) and leaves the whole round valid
    under :func:`check_round` (if the round already breaks a rule elsewhere, for example after
    somebody's timetable changed, the candidate must add no new problem). Ranked by the round's
    objective, then by the earliest start.
    """
    if moving not in assignments:
        raise ValueError("the moving pair is not part of the round")
    excluded = set(exclude_lesson_ids) | {moving.lesson_id}
    others = [a for a in assignments if a != moving]
    blocked = list(extra_busy)
    already = set(check_round(instance, assignments))
    found: list[Alternative] = []
    for lesson in instance.lessons:
        if lesson.teacher_id != moving.observed_id or lesson.id in excluded:
            continue
        if lesson.start <= not_before:
            continue
        if any(start < lesson.end and lesson.start < end for start, end in blocked):
            continue
        new = replace(moving, lesson_id=lesson.id)
        candidate = [*others, new]
        problems = check_round(instance, candidate)
        if any(p not in already or str(new) in p for p in problems):
            continue
        found.append(Alternative(lesson=lesson, score=score_round(instance, candidate)))
    found.sort(key=lambda alt: (-alt.score, alt.lesson.start, alt.lesson.id))
    return found[: max(0, limit)]

"""Greedy construction of an observation round, with seeded randomized restarts (pure).

One pass: in ``k`` rounds every observer (hardest first) takes the best remaining colleague and
day that keeps every hard rule. The first restart is the plain deterministic greedy; the others
shuffle people of similar difficulty and break near-ties at random (from ``seed``), so the same
seed and number of restarts give the same schedule. The best whole schedule is kept (or, when
none is whole, the one that covers most).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from .round_model import Candidate, Prepared
from .round_types import W_SPREAD, Assignment, Lesson, score_round


@dataclass
class GreedyOutcome:
    assignments: list[Assignment]
    objective: float
    complete: bool  # every teacher observes and is observed exactly k times
    restarts: int


class _Options:
    """The candidates of every observer, best score first (shared by all restarts)."""

    def __init__(
        self,
        prep: Prepared,
        weights: dict[tuple[str, str], int] | None = None,
        pairs: set[tuple[str, str]] | None = None,
    ) -> None:
        weights = prep.pair_weights() if weights is None else weights
        self.by_observer: dict[str, list[Candidate]] = defaultdict(list)
        self.incoming: dict[str, int] = defaultdict(int)
        for c in prep.candidates(set(weights) if pairs is None else pairs):
            self.by_observer[c.observer].append(c)
            self.incoming[c.observed] += 1
        for options in self.by_observer.values():
            options.sort(key=lambda c: (-c.score, c.day, c.observed))
        # lesson times as timestamps, for the no-two-lessons-at-once test
        self.span = {
            lesson.id: (lesson.start.timestamp(), lesson.end.timestamp())
            for lesson in prep.instance.lessons
        }


def _one_pass(prep: Prepared, options: _Options, rng: random.Random | None) -> list[Assignment]:
    instance = prep.instance
    rules = instance.rules
    k = rules.k
    by_observer = options.by_observer
    incoming = options.incoming
    ids = [t.id for t in instance.teachers]
    if rng is None:
        order = sorted(ids, key=lambda t: (len(by_observer[t]), t))
    else:
        order = sorted(ids, key=lambda t: (len(by_observer[t]) * rng.uniform(0.7, 1.3), t))
    n_observing: dict[str, int] = defaultdict(int)
    n_observed: dict[str, int] = defaultdict(int)
    day_count: dict[tuple[str, date], int] = defaultdict(int)
    weeks: set[tuple[str, str, tuple[int, int]]] = set()
    pairs: set[tuple[str, str]] = set()
    watching: dict[str, list[tuple[float, float]]] = defaultdict(list)
    chosen: list[Assignment] = []
    top_spread = 2 * W_SPREAD
    for _pass in range(k):
        if rng is not None and _pass:
            rng.shuffle(order)
        for observer in order:
            if n_observing[observer] > _pass:
                continue
            best: tuple[tuple[float, int, int], Candidate, Lesson] | None = None
            for c in by_observer[observer]:
                if best is not None and c.score + top_spread + 1 < best[0][0]:
                    break  # sorted by score: nothing further can win
                if n_observed[c.observed] >= k or (observer, c.observed) in pairs:
                    continue
                if day_count[(observer, c.day)] >= rules.max_per_day:
                    continue
                if day_count[(c.observed, c.day)] >= rules.max_per_day:
                    continue
                lesson = None
                for candidate_lesson in c.lessons:
                    s, e = options.span[candidate_lesson.id]
                    if all(not (s < we and ws < e) for ws, we in watching[observer]):
                        lesson = candidate_lesson
                        break
                if lesson is None:
                    continue
                spread = W_SPREAD * (
                    ((observer, "observe", c.week) not in weeks)
                    + ((c.observed, "observed", c.week) not in weeks)
                )
                value: float = c.score + spread
                if rng is not None:
                    value += rng.random() * 0.9  # breaks ties, never beats a better score
                rank = (value, -n_observed[c.observed], -incoming[c.observed])
                if best is None or rank > best[0]:
                    best = (rank, c, lesson)
            if best is None:
                continue
            _rank, c, lesson = best
            chosen.append(Assignment(observer, c.observed, lesson.id))
            pairs.add((observer, c.observed))
            n_observing[observer] += 1
            n_observed[c.observed] += 1
            day_count[(observer, c.day)] += 1
            day_count[(c.observed, c.day)] += 1
            weeks.add((observer, "observe", c.week))
            weeks.add((c.observed, "observed", c.week))
            watching[observer].append(options.span[lesson.id])
    return chosen


def greedy_search(
    prep: Prepared,
    *,
    restarts: int = 8,
    seed: int = 0,
    time_limit_s: float | None = None,
    options: _Options | None = None,
) -> GreedyOutcome:
    """The best of ``restarts`` greedy passes (the first deterministic, the others randomized
    from ``seed``). ``time_limit_s`` stops early (then fewer restarts ran: the result is
    repeatable for a given seed and number of restarts run)."""
    started = time.perf_counter()
    instance = prep.instance
    needed = instance.rules.k * len(instance.teachers)
    options = options or _Options(prep)
    rng = random.Random(seed)
    best: GreedyOutcome | None = None
    ran = 0
    for attempt in range(max(1, restarts)):
        if attempt and time_limit_s is not None and time.perf_counter() - started > time_limit_s:
            break
        chosen = _one_pass(prep, options, None if attempt == 0 else random.Random(rng.random()))
        ran += 1
        complete = len(chosen) == needed
        value = float(score_round(instance, chosen))
        key = (complete, len(chosen), value)
        if best is None or key > (best.complete, len(best.assignments), best.objective):
            best = GreedyOutcome(chosen, value, complete, ran)
    assert best is not None
    best.restarts = ran
    best.assignments.sort(key=lambda a: (a.observer_id, a.observed_id))
    return best

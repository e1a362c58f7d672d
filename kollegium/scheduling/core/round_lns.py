"""Large-neighbourhood search on an observation round (pure: no Django).

Starting from a whole, valid schedule (the greedy's), repeatedly free every assignment that
touches a few people (random, or people whose assignments lose points), keep all others fixed,
and re-optimise the freed part exactly with a small CP-SAT model. A change is kept when it
scores at least as much, so the schedule never gets worse. The small models are fast to prove
optimal where the whole model is not.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from ortools.sat.python import cp_model

from .round_greedy import _Options
from .round_model import Candidate, Prepared
from .round_types import W_PREFERRED, W_SPREAD, W_SUBJECT, Assignment, score_round

Week = tuple[int, int]


class _Schedule:
    def __init__(self, prep: Prepared, options: _Options, assignments: list[Assignment]) -> None:
        self.prep = prep
        self.options = options
        #: lesson id -> (local day, ISO week), for every lesson some observer may watch
        self.lesson_day: dict[str, tuple[date, Week]] = {}
        for observer_options in options.by_observer.values():
            for c in observer_options:
                for lesson in c.lessons:
                    self.lesson_day[lesson.id] = (c.day, c.week)
        self.assignments = list(assignments)
        self.same_subject: dict[str, list[str]] | None = None

    def loss_groups(
        self, weights: dict[tuple[str, str], int], rng: random.Random
    ) -> list[list[str]]:
        """Small groups of people who together could win back a point the schedule misses:
        a possible preferred pair not planned, an observer not watching their own subject with
        colleagues who teach it, a person whose observations bunch in one week."""
        instance = self.prep.instance
        teachers = self.prep.teachers
        lessons = {x.id: x for x in instance.lessons}
        planned = {(a.observer_id, a.observed_id) for a in self.assignments}
        groups: list[list[str]] = [
            [a, b]
            for a, b in instance.preferred_pairs
            if (a, b) in weights and (a, b) not in planned
        ]
        if self.same_subject is None:
            self.same_subject = defaultdict(list)
            for (observer, observed), weight in weights.items():
                if weight % W_PREFERRED >= W_SUBJECT:  # the subject point is in the weight
                    self.same_subject[observer].append(observed)
        same_subject = self.same_subject
        weeks: dict[tuple[str, str], set[Week]] = defaultdict(set)
        for a in self.assignments:
            if lessons[a.lesson_id].subject not in teachers[a.observer_id].subjects:
                others = same_subject.get(a.observer_id, [])
                if others:
                    groups.append([a.observer_id, *rng.sample(others, min(3, len(others)))])
            _day, week = self.lesson_day[a.lesson_id]
            weeks[(a.observer_id, "o")].add(week)
            weeks[(a.observed_id, "d")].add(week)
        k = instance.rules.k
        for (person, _role), covered in weeks.items():
            if len(covered) < k:
                groups.append([person])
        return groups


def improve(
    prep: Prepared,
    options: _Options,
    assignments: list[Assignment],
    *,
    deadline: float,
    target: float,
    seed: int = 0,
    neighbourhood: int = 8,
    weights: dict[tuple[str, str], int] | None = None,
    report: Callable[[float], None] | None = None,
) -> tuple[list[Assignment], float, bool]:
    """Improve a whole valid schedule until ``deadline`` (perf_counter) or ``target`` is met.
    ``neighbourhood`` is the starting number of people freed at once; it grows while the small
    models are proved optimal fast and shrinks when they are not.
    Returns (schedule, objective, proven): ``proven`` when a neighbourhood held everyone and
    CP-SAT proved its optimum, so the schedule is optimal."""
    instance = prep.instance
    rules = instance.rules
    k = rules.k
    rng = random.Random(seed)
    schedule = _Schedule(prep, options, assignments)
    current = list(assignments)
    value = float(score_round(instance, current))
    ids = [t.id for t in instance.teachers]
    span = options.span
    tried = 0
    proven = False
    all_days = sorted({day for day, _week in schedule.lesson_day.values()})
    day_count = max(2, len(all_days) // 5)
    while value < target and time.perf_counter() < deadline - 0.2:
        tried += 1
        size = min(len(ids), neighbourhood)
        chosen: set[str] = set()
        days: set[date] = set()
        if tried % 4 == 0 and len(all_days) > 2:
            # a few days for everyone: observations move between those days and partners
            days = set(rng.sample(all_days, day_count))
        elif weights is not None and tried % 4 != 1:
            groups = schedule.loss_groups(weights, rng)
            rng.shuffle(groups)
            for group in groups:
                if len(chosen) + len(group) > size:
                    break
                chosen.update(group)
        if not days:
            while len(chosen) < size:
                chosen.add(rng.choice(ids))

        flags = [
            schedule.lesson_day[a.lesson_id][0] in days
            if days
            else a.observer_id in chosen or a.observed_id in chosen
            for a in current
        ]
        freed = [a for a, touched in zip(current, flags, strict=True) if touched]
        fixed = [a for a, touched in zip(current, flags, strict=True) if not touched]
        need_out: dict[str, int] = dict.fromkeys(ids, k)
        need_in: dict[str, int] = dict.fromkeys(ids, k)
        day_used: dict[tuple[str, date], int] = defaultdict(int)
        covered: set[tuple[str, str, Week]] = set()
        pairs_fixed: set[tuple[str, str]] = set()
        watching: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for a in fixed:
            day, week = schedule.lesson_day[a.lesson_id]
            need_out[a.observer_id] -= 1
            need_in[a.observed_id] -= 1
            day_used[(a.observer_id, day)] += 1
            day_used[(a.observed_id, day)] += 1
            covered.add((a.observer_id, "observe", week))
            covered.add((a.observed_id, "observed", week))
            pairs_fixed.add((a.observer_id, a.observed_id))
            watching[a.observer_id].append(span[a.lesson_id])
        movers = {p for p in ids if need_out[p] or need_in[p]}
        candidates: list[tuple[Candidate, str]] = []
        for observer in movers:
            if not need_out[observer]:
                continue
            for c in options.by_observer[observer]:
                if not need_in[c.observed] or (observer, c.observed) in pairs_fixed:
                    continue
                if days:
                    if c.day not in days:
                        continue
                elif observer not in chosen and c.observed not in chosen:
                    continue
                if day_used[(observer, c.day)] >= rules.max_per_day:
                    continue
                if day_used[(c.observed, c.day)] >= rules.max_per_day:
                    continue
                lesson_id = next(
                    (
                        x.id
                        for x in c.lessons
                        if all(
                            not (span[x.id][0] < e and s < span[x.id][1])
                            for s, e in watching[observer]
                        )
                    ),
                    None,
                )
                if lesson_id is not None:
                    candidates.append((c, lesson_id))
        model = cp_model.CpModel()
        z = [model.new_bool_var("") for _ in candidates]
        by_out: dict[str, list[int]] = defaultdict(list)
        by_in: dict[str, list[int]] = defaultdict(list)
        by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_day: dict[tuple[str, date], list[int]] = defaultdict(list)
        by_week: dict[tuple[str, str, Week], list[int]] = defaultdict(list)
        for i, (c, _lesson_id) in enumerate(candidates):
            by_out[c.observer].append(i)
            by_in[c.observed].append(i)
            by_pair[(c.observer, c.observed)].append(i)
            by_day[(c.observer, c.day)].append(i)
            by_day[(c.observed, c.day)].append(i)
            by_week[(c.observer, "observe", c.week)].append(i)
            by_week[(c.observed, "observed", c.week)].append(i)
        feasible = True
        for person in movers:
            for need, index in ((need_out, by_out), (need_in, by_in)):
                if need[person]:
                    if len(index[person]) < need[person]:
                        feasible = False
                    model.add(sum(z[i] for i in index[person]) == need[person])
        if not feasible:
            continue
        for idx in by_pair.values():
            if len(idx) > 1:
                model.add_at_most_one(z[i] for i in idx)
        for (person, day), idx in by_day.items():
            room = rules.max_per_day - day_used[(person, day)]
            if len(idx) > room:
                model.add(sum(z[i] for i in idx) <= room)
        if prep.per_lesson:  # never two lessons at once for one observer
            for idx in by_out.values():
                spans = sorted((*span[candidates[i][1]], i) for i in idx)
                for s, _e, _i in spans:
                    clique = [i for (a, b, i) in spans if a <= s < b]
                    if len(clique) > 1:
                        model.add_at_most_one(z[i] for i in clique)
        spread = []
        for key, idx in by_week.items():
            if key in covered:
                continue
            u = model.new_bool_var("")
            model.add(u <= sum(z[i] for i in idx))
            spread.append((u, idx))
        model.maximize(
            sum(c.score * z[i] for i, (c, _l) in enumerate(candidates) if c.score)
            + W_SPREAD * sum(u for u, _idx in spread)
        )
        was = {(a.observer_id, a.observed_id, a.lesson_id) for a in freed}
        on = [(c.observer, c.observed, lesson_id) in was for c, lesson_id in candidates]
        for var, hint in zip(z, on, strict=True):
            model.add_hint(var, hint)
        for u, idx in spread:
            model.add_hint(u, any(on[i] for i in idx))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, min(0.5, deadline - time.perf_counter()))
        solver.parameters.num_workers = 1
        # the full LP relaxation proves these small models optimal several times faster
        solver.parameters.linearization_level = 2
        solver.parameters.random_seed = rng.randrange(1 << 30)
        solve_started = time.perf_counter()
        status = solver.solve(model)
        # adaptive size: grow while the small models are proved fast, shrink when they are not
        if status == cp_model.OPTIMAL and time.perf_counter() - solve_started < 0.15:
            neighbourhood = min(neighbourhood + 1, 16)
        elif status != cp_model.OPTIMAL:
            neighbourhood = max(4, neighbourhood - 2)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        everyone = len(chosen) == len(ids) and not days
        new = fixed + [
            Assignment(c.observer, c.observed, lesson_id)
            for i, (c, lesson_id) in enumerate(candidates)
            if solver.boolean_value(z[i])
        ]
        new_value = float(score_round(instance, new))
        if new_value >= value:
            current, value = new, new_value
            schedule.assignments = current
            if report:
                report(value)
        if everyone and status == cp_model.OPTIMAL:
            proven = True
            break
    current.sort(key=lambda a: (a.observer_id, a.observed_id))
    return current, value, proven

"""Observation-round solver (pure: no Django). The public API for the observations app.

A round asks every teacher to observe exactly ``k`` colleagues and to be observed exactly ``k``
times, in real lessons, under hard rules:

* ``k_observe`` / ``k_observed``: exactly ``k`` distinct colleagues each way;
* ``subject_mode``: ``"same"`` (the observed lesson's subject is one of the observer's
  subjects), ``"cross"`` (it is not) or ``"mixed"`` (anything);
* ``no_repeat``: no (observer, observed) pair from the previous round;
* ``max_per_day``: at most ``max_per_day`` observations per person per local day, observing
  or being observed;
* ``observer_free``: the observer has nothing in their busy list during the observed lesson
  (and never watches two lessons at once).

Soft preferences are weighted in the objective (maximised, see :func:`score_round`):
leader-chosen pairs, observing a lesson in one's own subject, and spreading each person's
observations over the weeks of the round. How the model is built: :mod:`.round_model`.
"""

from __future__ import annotations

import math
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model

from .round_model import Built, Candidate, Pair, Prepared, build, matching_bound, spread_bound
from .round_types import (
    RULES,
    SUBJECT_MODES,
    W_PREFERRED,
    W_SPREAD,
    W_SUBJECT,
    Assignment,
    BlockingRule,
    Lesson,
    RoundInstance,
    RoundResult,
    RoundRules,
    Teacher,
    score_round,
    subject_allowed,
    validate,
)

__all__ = [
    "RULES",
    "SUBJECT_MODES",
    "W_PREFERRED",
    "W_SPREAD",
    "W_SUBJECT",
    "Assignment",
    "BlockingRule",
    "Lesson",
    "RoundInstance",
    "RoundResult",
    "RoundRules",
    "Teacher",
    "check_round",
    "coverage",
    "explain_infeasibility",
    "greedy_round",
    "score_round",
    "solve_round",
    "subject_allowed",
]


# --------------------------------------------------------------------------------------------
# The independent checker
# --------------------------------------------------------------------------------------------


def _overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Compared as instants (timestamps), never as wall clocks."""
    return a_start.timestamp() < b_end.timestamp() and b_start.timestamp() < a_end.timestamp()


def check_round(instance: RoundInstance, assignments: Sequence[Assignment]) -> list[str]:
    """Every hard-rule violation of ``assignments``; an empty list means the schedule is valid.

    Written directly from the rules, sharing no code with the model."""
    tz = ZoneInfo(instance.timezone)
    rules = instance.rules
    teachers = {t.id: t for t in instance.teachers}
    lessons = {lesson.id: lesson for lesson in instance.lessons}
    problems: list[str] = []
    observing: dict[str, int] = dict.fromkeys(teachers, 0)
    observed: dict[str, int] = dict.fromkeys(teachers, 0)
    pairs: set[tuple[str, str]] = set()
    per_day: dict[tuple[str, date], int] = {}
    watched: dict[str, list[tuple[datetime, datetime]]] = {t: [] for t in teachers}
    for a in assignments:
        if a.observer_id not in teachers or a.observed_id not in teachers:
            problems.append(f"{a}: unknown teacher")
            continue
        lesson = lessons.get(a.lesson_id)
        if lesson is None:
            problems.append(f"{a}: unknown lesson")
            continue
        if lesson.teacher_id != a.observed_id:
            problems.append(f"{a}: lesson {lesson.id} is taught by {lesson.teacher_id}")
        if a.observer_id == a.observed_id:
            problems.append(f"{a}: a teacher cannot observe themselves")
        if (a.observer_id, a.observed_id) in pairs:
            problems.append(f"{a}: pair repeated within the round")
        pairs.add((a.observer_id, a.observed_id))
        if (a.observer_id, a.observed_id) in rules.forbidden_pairs:
            problems.append(f"{a}: no_repeat: pair from the previous round")
        subjects = teachers[a.observer_id].subjects
        if rules.subject_mode == "same" and lesson.subject not in subjects:
            problems.append(f"{a}: subject_mode same: {lesson.subject} not taught by observer")
        if rules.subject_mode == "cross" and lesson.subject in subjects:
            problems.append(f"{a}: subject_mode cross: {lesson.subject} taught by observer")
        if rules.require_observer_free:
            for start, end in instance.busy.get(a.observer_id, ()):
                if _overlap(start, end, lesson.start, lesson.end):
                    problems.append(f"{a}: observer_free: observer busy during the lesson")
                    break
        for start, end in watched[a.observer_id]:
            if _overlap(start, end, lesson.start, lesson.end):
                problems.append(f"{a}: observer watches two lessons at once")
                break
        watched[a.observer_id].append((lesson.start, lesson.end))
        observing[a.observer_id] += 1
        observed[a.observed_id] += 1
        day = lesson.start.astimezone(tz).date()
        for person in (a.observer_id, a.observed_id):
            per_day[(person, day)] = per_day.get((person, day), 0) + 1
    for person in teachers:
        if observing[person] != rules.k:
            problems.append(f"k_observe: {person} observes {observing[person]}, not {rules.k}")
        if observed[person] != rules.k:
            problems.append(f"k_observed: {person} is observed {observed[person]}, not {rules.k}")
    for (person, day), count in sorted(per_day.items()):
        if count > rules.max_per_day:
            problems.append(f"max_per_day: {person} has {count} observations on {day}")
    return problems


# --------------------------------------------------------------------------------------------
# Solving
# --------------------------------------------------------------------------------------------


def _assignments(built: Built, solver: cp_model.CpSolver) -> list[Assignment]:
    out = []
    for i, c in enumerate(built.candidates):
        if solver.boolean_value(built.z[i]):
            out.append(Assignment(c.observer, c.observed, c.lessons[0].id))
    out.sort(key=lambda a: (a.observer_id, a.observed_id))
    return out


class _Callback(cp_model.CpSolverSolutionCallback):
    """Reports progress and stops as soon as a solution reaches the proven upper bound."""

    def __init__(
        self, report: Callable[[float], None] | None, target: float, time_limit_s: float
    ) -> None:
        super().__init__()
        self._report = report
        self._target = target
        self._time_limit = time_limit_s
        self._started = time.perf_counter()

    def on_solution_callback(self) -> None:
        value = self.objective_value
        if self._report:
            closeness = 1.0 - _gap(value, self._target)
            elapsed = (time.perf_counter() - self._started) / max(self._time_limit, 1e-9)
            self._report(min(0.99, max(0.0, closeness, elapsed)))
        if value >= self._target - 1e-9:
            self.stop_search()


def _gap(objective: float, bound: float) -> float:
    return max(0.0, (bound - objective) / max(1.0, abs(bound)))


def _restricted_pairs(weights: dict[Pair, int], seed_pairs: set[Pair], m: int) -> set[Pair]:
    """The ``m`` best pairs of every observer and of every observed teacher, plus ``seed_pairs``.
    Ties are broken by a stable hash so that people do not all pick the same colleagues."""
    outgoing: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    incoming: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for (observer, observed), weight in weights.items():
        tie = zlib.crc32(f"{observer}|{observed}".encode())
        outgoing[observer].append((-weight, tie, observed))
        incoming[observed].append((-weight, tie, observer))
    chosen = set(seed_pairs)
    for observer, options in outgoing.items():
        chosen.update((observer, t) for _w, _tie, t in sorted(options)[:m])
    for observed, options in incoming.items():
        chosen.update((o, observed) for _w, _tie, o in sorted(options)[:m])
    return chosen


def solve_round(
    instance: RoundInstance,
    *,
    time_limit_s: float = 10.0,
    workers: int = 2,
    progress: Callable[[float], None] | None = None,
    gap_limit: float = 0.0,
) -> RoundResult:
    """Solve the round with CP-SAT.

    ``objective`` is :func:`score_round` of the schedule; ``best_bound`` is a proven upper
    bound on every valid schedule (the pair-level relaxation, tightened by CP-SAT's own bound
    once the model covers every pair); ``status`` is "optimal" when they meet. The model starts
    on the pairs of the relaxed optimum (often enough to reach the bound and prove optimality)
    and widens to the best m pairs per person while its optimum stays below the bound.
    Infeasible rounds come back with ``blocking`` naming the rules and people."""
    started = time.perf_counter()
    validate(instance)
    if progress:
        progress(0.0)

    def elapsed() -> float:
        return time.perf_counter() - started

    def infeasible() -> RoundResult:
        blocking = explain_infeasibility(
            instance, time_limit_s=max(1.0, time_limit_s - elapsed()), workers=workers
        )
        if progress:
            progress(1.0)
        return RoundResult("infeasible", (), 0.0, 0.0, 0.0, elapsed(), blocking)

    prep = Prepared(instance)
    weights = prep.pair_weights()
    relaxed = matching_bound(prep, weights)
    if relaxed is None:
        return infeasible()
    score_bound, seed_pairs = relaxed
    bound = float(score_bound + spread_bound(prep, weights))
    n = len(instance.teachers)
    m = 0  # first only the pairs of the relaxed optimum, then the best m per person
    best: list[Assignment] | None = None
    best_value = -math.inf
    status_name = "unknown"
    while True:
        full = m >= n - 1
        pairs = set(weights) if full else _restricted_pairs(weights, seed_pairs, m)
        built = build(prep, pairs)
        if best:
            chosen = {(a.observer_id, a.observed_id, a.lesson_id) for a in best}
            for i, c in enumerate(built.candidates):
                built.model.add_hint(
                    built.z[i], any((c.observer, c.observed, x.id) in chosen for x in c.lessons)
                )
        remaining = time_limit_s - elapsed() - 0.3  # leave time to stop and read the solution
        if remaining <= 0.05:
            break
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = remaining
        solver.parameters.num_workers = max(1, workers)
        solver.parameters.relative_gap_limit = gap_limit
        # Branching on the variables in order (pairs of the relaxed optimum first) finds
        # schedules that reach the bound far faster than the default portfolio here.
        solver.parameters.search_branching = cp_model.FIXED_SEARCH
        status = solver.solve(built.model, _Callback(progress, bound, remaining))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = _assignments(built, solver)
            value = float(score_round(instance, found))
            if value > best_value:
                best, best_value = found, value
            if full:
                bound = min(bound, float(solver.best_objective_bound))
            if best_value >= bound or full or status != cp_model.OPTIMAL:
                break
        elif status == cp_model.INFEASIBLE:
            if full:
                return infeasible()
        elif status == cp_model.MODEL_INVALID:  # pragma: no cover - a bug in build()
            raise RuntimeError(built.model.validate())
        else:
            break
        m = max(4, 2 * m)
    if progress:
        progress(1.0)
    if best is None:
        return RoundResult(status_name, (), 0.0, bound, math.inf, elapsed())
    gap = _gap(best_value, bound)
    status_name = "optimal" if gap == 0.0 else "feasible"
    return RoundResult(status_name, tuple(best), best_value, bound, gap, elapsed())


# --------------------------------------------------------------------------------------------
# Explaining infeasibility
# --------------------------------------------------------------------------------------------


def _describe(rule: str, people: Sequence[str], instance: RoundInstance) -> str:
    k = instance.rules.k
    names = ", ".join(people)
    return {
        "k_observe": f"{names} cannot observe {k} colleagues under the other rules",
        "k_observed": f"{names} cannot be observed {k} times under the other rules",
        "subject_mode": (
            f"subject mode '{instance.rules.subject_mode}' leaves too few lessons for {names}"
        ),
        "no_repeat": f"pairs from the previous round are needed for {names}",
        "max_per_day": (
            f"{names} would need more than {instance.rules.max_per_day} observation(s) a day"
        ),
        "observer_free": f"{names} are not free during enough of their colleagues' lessons",
    }[rule]


def _violators(built: Built, solver: cp_model.CpSolver, rule: str) -> list[str]:
    people: set[str] = set()
    for (slack_rule, key), var in built.slacks.items():
        if slack_rule == rule and solver.value(var) > 0:
            people.add(key.split("|")[0])
    for i, c in enumerate(built.candidates):
        if rule in c.violates and solver.boolean_value(built.z[i]):
            people.add(c.observer)
            if rule in ("no_repeat", "subject_mode"):
                people.add(c.observed)
    return sorted(people)


def explain_infeasibility(
    instance: RoundInstance, *, time_limit_s: float = 10.0, workers: int = 2
) -> tuple[BlockingRule, ...]:
    """Name the rules that block a round and for whom.

    Each hard rule is relaxed on its own (violations are allowed but minimised). A rule whose
    relaxation alone makes the round feasible is blocking; the people are those who need the
    fewest violations of it. When no single relaxation suffices, all rules are relaxed together
    and every rule the least-violating schedule still breaks is reported."""
    validate(instance)
    rules = instance.rules
    ids = tuple(t.id for t in instance.teachers)
    if rules.k > len(ids) - 1:
        detail = f"{len(ids)} teachers cannot each observe {rules.k} distinct colleagues"
        return (
            BlockingRule("k_observe", ids, detail),
            BlockingRule("k_observed", ids, detail),
        )
    relaxable = [r for r in RULES if r != "observer_free" or rules.require_observer_free]
    per_solve = max(0.5, time_limit_s / (len(relaxable) + 1))
    found: list[BlockingRule] = []
    for rule in relaxable:
        built = build(Prepared(instance, frozenset({rule})))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = per_solve
        solver.parameters.num_workers = max(1, workers)
        status = solver.solve(built.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            people = _violators(built, solver, rule)
            found.append(BlockingRule(rule, tuple(people), _describe(rule, people, instance)))
    if found:
        return tuple(found)
    built = build(Prepared(instance, frozenset(relaxable)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = per_solve
    solver.parameters.num_workers = max(1, workers)
    status = solver.solve(built.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # pragma: no cover - k_* slacks
        return (BlockingRule("k_observe", ids, "no schedule found within the time limit"),)
    out = []
    for rule in relaxable:
        people = _violators(built, solver, rule)
        if people:
            out.append(BlockingRule(rule, tuple(people), _describe(rule, people, instance)))
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Greedy baseline
# --------------------------------------------------------------------------------------------


def greedy_round(instance: RoundInstance) -> RoundResult:
    """A fast baseline: in k passes, each observer (hardest first) takes the best remaining
    colleague and day. It never breaks a hard rule but may leave people short (status
    ``"unknown"``, partial ``assignments``); ``best_bound`` is the pair-level relaxation."""
    started = time.perf_counter()
    validate(instance)
    rules = instance.rules
    k = rules.k
    prep = Prepared(instance)
    weights = prep.pair_weights()
    candidates = prep.candidates(set(weights))
    by_observer: dict[str, list[Candidate]] = defaultdict(list)
    incoming: dict[str, int] = defaultdict(int)
    for c in candidates:
        by_observer[c.observer].append(c)
        incoming[c.observed] += 1
    for options in by_observer.values():
        options.sort(key=lambda c: (-c.score, c.day, c.observed))
    order = sorted((t.id for t in instance.teachers), key=lambda t: (len(by_observer[t]), t))
    n_observing: dict[str, int] = defaultdict(int)
    n_observed: dict[str, int] = defaultdict(int)
    day_count: dict[tuple[str, date], int] = defaultdict(int)
    weeks: set[tuple[str, str, tuple[int, int]]] = set()
    pairs: set[tuple[str, str]] = set()
    watching: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    chosen: list[Assignment] = []
    for _pass in range(k):
        for observer in order:
            if n_observing[observer] > _pass:
                continue
            best: tuple[tuple[int, int, int], Candidate, Lesson] | None = None
            for c in by_observer[observer]:
                if n_observed[c.observed] >= k or (observer, c.observed) in pairs:
                    continue
                if day_count[(observer, c.day)] >= rules.max_per_day:
                    continue
                if day_count[(c.observed, c.day)] >= rules.max_per_day:
                    continue
                lesson = next(
                    (
                        lesson
                        for lesson in c.lessons
                        if all(
                            not _overlap(s, e, lesson.start, lesson.end)
                            for s, e in watching[observer]
                        )
                    ),
                    None,
                )
                if lesson is None:
                    continue
                spread = W_SPREAD * (
                    ((observer, "observe", c.week) not in weeks)
                    + ((c.observed, "observed", c.week) not in weeks)
                )
                rank = (c.score + spread, -n_observed[c.observed], -incoming[c.observed])
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
            watching[observer].append((lesson.start, lesson.end))
    objective = float(score_round(instance, chosen))
    relaxed = matching_bound(prep, weights)
    bound = objective if relaxed is None else float(relaxed[0] + spread_bound(prep, weights))
    complete = not check_round(instance, chosen)
    return RoundResult(
        "feasible" if complete else "unknown",
        tuple(chosen),
        objective,
        bound,
        _gap(objective, bound),
        time.perf_counter() - started,
    )


def coverage(instance: RoundInstance, result: RoundResult) -> float:
    """The share of the required k × teachers observations that a result schedules."""
    needed = instance.rules.k * len(instance.teachers)
    return 1.0 if needed == 0 else len(result.assignments) / needed

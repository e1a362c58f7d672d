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
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model

from .round_explain import assumption_core, necessary_conditions
from .round_greedy import _Options, greedy_search
from .round_lns import improve
from .round_model import Built, Pair, Prepared, build, matching_bound, spread_bound
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
        site_from, site_to = teachers[a.observer_id].site, teachers[a.observed_id].site
        if rules.other_site_only and site_from == site_to:
            problems.append(f"{a}: other_site_only: both at site {site_from!r}")
        if rules.require_observer_free:
            # visiting another site: free for the journey there and back too
            away = rules.travel_minutes > 0 and site_from and site_to and site_from != site_to
            margin = timedelta(minutes=rules.travel_minutes) if away else timedelta(0)
            # in UTC: arithmetic on a local time would lose the fold of the repeated hour
            watch_start = lesson.start.astimezone(UTC) - margin
            watch_end = lesson.end.astimezone(UTC) + margin
            for start, end in instance.busy.get(a.observer_id, ()):
                if _overlap(start, end, watch_start, watch_end):
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


#: below this many candidates the whole CP-SAT model runs first (it often proves optimality
#: fast); above it the large-neighbourhood search does, and the whole model gets what is left
WHOLE_MODEL_FIRST = 6000
#: above this many possible pairs, search on the best pairs of each person only
MAX_PAIRS = 40000


class _Search:
    """The state of one solve: the best schedule so far and the proven bound."""

    def __init__(
        self,
        instance: RoundInstance,
        prep: Prepared,
        weights: dict[Pair, int],
        bound: float,
        seed_pairs: set[Pair],
        *,
        started: float,
        time_limit_s: float,
        workers: int,
        gap_limit: float,
        seed: int,
        progress: Callable[[float], None] | None,
    ) -> None:
        self.instance = instance
        self.prep = prep
        self.weights = weights
        self.bound = bound
        self.seed_pairs = seed_pairs
        self.started = started
        self.time_limit_s = time_limit_s
        self.workers = workers
        self.gap_limit = gap_limit
        self.seed = seed
        self.progress = progress
        self.best: list[Assignment] | None = None
        self.best_value = -math.inf
        self.method = ""
        self.proven_infeasible = False

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def done(self) -> bool:
        return self.best_value >= self.bound or self.proven_infeasible

    def offer(self, schedule: list[Assignment], value: float, method: str) -> None:
        if value > self.best_value:
            self.best, self.best_value, self.method = schedule, value, method
        self.report(self.best_value)

    def report(self, value: float) -> None:
        if self.progress:
            closeness = 1.0 - _gap(value, self.bound)
            share = self.elapsed() / max(self.time_limit_s, 1e-9)
            self.progress(min(0.99, max(0.05, closeness, share)))

    def neighbourhoods(self, options: _Options, until: float) -> None:
        """Large-neighbourhood search from the best schedule (needs a whole one)."""
        if self.best is None or self.done():
            return
        improved, value, proven = improve(
            self.prep,
            options,
            self.best,
            deadline=until,
            target=self.bound,
            seed=self.seed,
            weights=self.weights,
            report=self.report,
        )
        self.offer(improved, value, "cp-sat")
        if proven:
            self.bound = min(self.bound, self.best_value)

    def whole_model(self, until: float) -> None:
        """CP-SAT on the pairs of the relaxed optimum and of the best schedule, widened to the
        best m pairs per person while its optimum stays below the bound; warm-started with the
        best schedule so far (every variable hinted)."""
        n = len(self.instance.teachers)
        m = 0
        while not self.done():
            full = m >= n - 1
            if full and len(self.weights) > MAX_PAIRS:
                return  # too many pairs for one model: the bound stays the relaxation's
            pairs = (
                set(self.weights) if full else _restricted_pairs(self.weights, self.seed_pairs, m)
            )
            if self.best:
                pairs |= {(a.observer_id, a.observed_id) for a in self.best}
            built = build(self.prep, pairs)
            if self.best:
                built.hint({(a.observer_id, a.observed_id, a.lesson_id) for a in self.best})
            remaining = until - time.perf_counter()
            if remaining <= 0.05:
                return
            solver = cp_model.CpSolver()
            solver.parameters.max_time_in_seconds = remaining
            solver.parameters.num_workers = max(1, self.workers)
            solver.parameters.relative_gap_limit = self.gap_limit
            solver.parameters.random_seed = self.seed
            if self.best is None:
                # Branching on the variables in order (pairs of the relaxed optimum first)
                # finds schedules that reach the bound fast when there is nothing to start from.
                solver.parameters.search_branching = cp_model.FIXED_SEARCH
            status = solver.solve(built.model, _Callback(self.progress, self.bound, remaining))
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                found = _assignments(built, solver)
                self.offer(found, float(score_round(self.instance, found)), "cp-sat")
                if full:
                    # the objective is integral: CP-SAT's float bound (24.999999999999996)
                    # rounds down to the integer it proves
                    proved = math.floor(solver.best_objective_bound + 1e-6)
                    self.bound = min(self.bound, float(proved))
                if full or status != cp_model.OPTIMAL:
                    return
            elif status == cp_model.INFEASIBLE:
                if full:
                    self.proven_infeasible = True
                    return
            elif status == cp_model.MODEL_INVALID:  # pragma: no cover - a bug in build()
                raise RuntimeError(built.model.validate())
            else:
                return
            m = max(4, 2 * m)


def solve_round(
    instance: RoundInstance,
    *,
    time_limit_s: float = 10.0,
    workers: int = 2,
    progress: Callable[[float], None] | None = None,
    gap_limit: float = 0.0,
    seed: int = 0,
    greedy_restarts: int = 12,
) -> RoundResult:
    """Plan the round: greedy with seeded restarts, then CP-SAT warm-started with the best
    greedy schedule (hints): a large-neighbourhood search of small exact CP-SAT models, and the
    whole model. The best schedule found is kept, so the result is never worse than the
    greedy's.

    ``objective`` is :func:`score_round` of the schedule; ``best_bound`` is a proven upper
    bound on every valid schedule: the b-matching relaxation solved exactly as a min-cost flow
    plus the largest spread reward (:func:`.round_model.matching_bound`, independent of
    CP-SAT), tightened by a CP-SAT proof when one covers every pair; ``gap`` is measured
    against it and ``status`` is "optimal" when they meet. The same ``seed`` gives the same
    greedy. Infeasible rounds come back with ``blocking`` naming the rules and people
    (:func:`explain_infeasibility`)."""
    started = time.perf_counter()
    validate(instance)
    if progress:
        progress(0.0)

    def infeasible(known: tuple[BlockingRule, ...] = ()) -> RoundResult:
        elapsed = time.perf_counter() - started
        blocking = known or explain_infeasibility(
            instance, time_limit_s=max(1.0, time_limit_s - elapsed), workers=workers
        )
        if progress:
            progress(1.0)
        return RoundResult("infeasible", (), 0.0, 0.0, 0.0, time.perf_counter() - started, blocking)

    prep = Prepared(instance)
    weights = prep.pair_weights()
    # Fast necessary conditions (per person and rule, per day, Hall's condition) first: a
    # round that fails one is explained at once, naming only the people concerned.
    blocking = necessary_conditions(instance, prep, weights)
    if blocking:
        return infeasible(blocking)
    relaxed = matching_bound(prep, weights)
    if relaxed is None:
        return infeasible()
    score_bound, seed_pairs = relaxed
    bound = float(score_bound + spread_bound(prep, weights))
    search = _Search(
        instance, prep, weights, bound, seed_pairs, started=started,
        time_limit_s=time_limit_s, workers=workers, gap_limit=gap_limit, seed=seed,
        progress=progress,
    )  # fmt: skip
    # A network of hundreds has too many pairs to list every lesson of every pair: the search
    # then works on the best pairs of every person (the bound still covers all pairs).
    many = len(weights) > MAX_PAIRS
    n = len(instance.teachers)
    search_pairs = (
        _restricted_pairs(weights, seed_pairs, max(8, MAX_PAIRS // (2 * n))) if many else None
    )
    options = _Options(prep, weights, search_pairs)
    greedy = greedy_search(
        prep, restarts=greedy_restarts, seed=seed, time_limit_s=0.15 * time_limit_s, options=options
    )
    greedy_value = greedy.objective if greedy.complete else None
    if greedy.complete:
        search.offer(list(greedy.assignments), greedy.objective, "greedy")
    end = started + time_limit_s - 0.5  # leave time to stop and read the solution
    candidates = sum(len(v) for v in options.by_observer.values())
    if candidates <= WHOLE_MODEL_FIRST:
        search.whole_model(time.perf_counter() + 0.6 * (end - time.perf_counter()))
        search.neighbourhoods(options, end)
    else:
        # the whole model rarely improves a schedule this large in the time left: the
        # neighbourhoods get all of it
        search.neighbourhoods(options, end)
    search.whole_model(end)
    if search.proven_infeasible and search.best is None:
        return infeasible()
    if progress:
        progress(1.0)
    elapsed = time.perf_counter() - started
    if search.best is None:
        return RoundResult("unknown", (), 0.0, search.bound, math.inf, elapsed)
    best_value = float(score_round(instance, search.best))
    gap = _gap(best_value, search.bound)
    return RoundResult(
        "optimal" if gap == 0.0 else "feasible",
        tuple(sorted(search.best, key=lambda a: (a.observer_id, a.observed_id))),
        best_value,
        search.bound,
        gap,
        elapsed,
        greedy_objective=greedy_value,
        method=search.method,
    )


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
    """Name the rules that block a round and for whom (and what relaxing them gives).

    First the fast necessary conditions of :mod:`.round_explain` (per person and rule, per
    person and day, Hall's condition by max-flow), which name only the people who fail them;
    then a CP-SAT core over assumptions (one per rule and person), shrunk while time allows.
    When neither answers in time, each hard rule is relaxed on its own (violations allowed but
    minimised): a rule whose relaxation alone makes the round feasible is blocking, for the
    people who need the fewest violations of it; failing that, all rules are relaxed together
    and every rule the least-violating schedule still breaks is reported."""
    started = time.perf_counter()
    validate(instance)
    rules = instance.rules
    found_fast = necessary_conditions(instance)
    if found_fast:
        return found_fast
    if len(instance.teachers) ** 2 <= MAX_PAIRS * 4:
        core = assumption_core(instance, time_limit_s=time_limit_s * 0.5)
        if core:
            return core
    time_limit_s = max(1.0, time_limit_s - (time.perf_counter() - started))
    ids = tuple(t.id for t in instance.teachers)
    if len(ids) ** 2 > MAX_PAIRS * 4:  # too many pairs to relax rule by rule in one model
        detail = "no single rule was found to block; the rules together leave no schedule"
        return (BlockingRule("k_observe", ids, detail, everyone=True),)
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


def greedy_round(instance: RoundInstance, *, restarts: int = 1, seed: int = 0) -> RoundResult:
    """A fast baseline: in k passes, each observer (hardest first) takes the best remaining
    colleague and day; with ``restarts`` > 1 the best of that many seeded randomized passes
    (:mod:`.round_greedy`). It never breaks a hard rule but may leave people short (status
    ``"unknown"``, partial ``assignments``); ``best_bound`` is the pair-level relaxation."""
    started = time.perf_counter()
    validate(instance)
    prep = Prepared(instance)
    found = greedy_search(prep, restarts=restarts, seed=seed)
    weights = prep.pair_weights()
    relaxed = matching_bound(prep, weights)
    objective = found.objective
    bound = objective if relaxed is None else float(relaxed[0] + spread_bound(prep, weights))
    return RoundResult(
        "feasible" if found.complete else "unknown",
        tuple(found.assignments),
        objective,
        bound,
        _gap(objective, bound),
        time.perf_counter() - started,
        greedy_objective=objective if found.complete else None,
        method="greedy",
    )


def coverage(instance: RoundInstance, result: RoundResult) -> float:
    """The share of the required k × teachers observations that a result schedules."""
    needed = instance.rules.k * len(instance.teachers)
    return 1.0 if needed == 0 else len(result.assignments) / needed

"""Why an observation round cannot be planned: the rule and the few people it concerns (pure).

Fast necessary conditions come first, each naming only the people who fail it:

1. enough colleagues: ``k`` > participants − 1;
2. per person and rule: the colleagues a person can observe, and who can observe them, under
   all the rules; when fewer than ``k``, the pair rules are relaxed one at a time (the
   observer must be free, subjects, no repeated pair) to find the one that blocks, and what
   relaxing it gives;
3. per person and day: observing ``k`` and being observed ``k`` times needs enough days on
   which that person can take part, at ``max_per_day`` a day;
4. Hall's condition by max-flow: every group of observers together has enough colleagues to
   observe (and every group of observed teachers enough observers); the deficient group is
   read off the minimum cut.

Only when all of them hold does CP-SAT look for a core: the hard rules of every person are
guarded by assumption literals, and the solver's ``sufficient_assumptions_for_infeasibility``,
shrunk by deletion while time allows, names the rules and people that together block.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

from .round_model import Prepared, build
from .round_types import BlockingRule, RoundInstance, RoundRules

PAIR_RULES = ("observer_free", "subject_mode", "no_repeat")
RELAXED = {
    "observer_free": "observer_free=off",
    "subject_mode": "subject_mode=mixed",
    "no_repeat": "no_repeat=off",
}


def _relaxed_rules(rules: RoundRules, rule: str) -> RoundRules:
    if rule == "observer_free":
        return RoundRules(
            k=rules.k, subject_mode=rules.subject_mode, forbidden_pairs=rules.forbidden_pairs,
            max_per_day=rules.max_per_day, require_observer_free=False,
            other_site_only=rules.other_site_only,
        )  # fmt: skip
    if rule == "subject_mode":
        return RoundRules(
            k=rules.k, subject_mode="mixed", forbidden_pairs=rules.forbidden_pairs,
            max_per_day=rules.max_per_day, require_observer_free=rules.require_observer_free,
            travel_minutes=rules.travel_minutes, other_site_only=rules.other_site_only,
        )  # fmt: skip
    return RoundRules(
        k=rules.k, subject_mode=rules.subject_mode, forbidden_pairs=frozenset(),
        max_per_day=rules.max_per_day, require_observer_free=rules.require_observer_free,
        travel_minutes=rules.travel_minutes, other_site_only=rules.other_site_only,
    )  # fmt: skip


def _with_rules(instance: RoundInstance, rules: RoundRules) -> RoundInstance:
    return RoundInstance(
        instance.teachers, instance.lessons, instance.busy, rules, instance.preferred_pairs,
        instance.timezone,
    )  # fmt: skip


def _active_pair_rules(instance: RoundInstance) -> list[str]:
    rules = instance.rules
    out = []
    if rules.require_observer_free:
        out.append("observer_free")
    if rules.subject_mode != "mixed":
        out.append("subject_mode")
    if rules.forbidden_pairs:
        out.append("no_repeat")
    return out


def _degrees(pairs: Iterable[tuple[str, str]]) -> tuple[dict[str, int], dict[str, int]]:
    out: dict[str, int] = defaultdict(int)
    into: dict[str, int] = defaultdict(int)
    for observer, observed in pairs:
        out[observer] += 1
        into[observed] += 1
    return out, into


def _describe(rule: str, people: tuple[str, ...], instance: RoundInstance, relax: str) -> str:
    k = instance.rules.k
    names = ", ".join(people)
    text = {
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
    return f"{text} (relaxing it: {relax})" if relax else text


def _blocking(
    instance: RoundInstance, rule: str, people: Iterable[str], relax: str = ""
) -> BlockingRule:
    ordered = tuple(sorted(set(people)))
    everyone = len(ordered) == len(instance.teachers)
    return BlockingRule(
        rule, ordered, _describe(rule, ordered, instance, relax), relax=relax, everyone=everyone
    )


# --------------------------------------------------------------------------------------------
# Necessary conditions
# --------------------------------------------------------------------------------------------


def _per_person(instance: RoundInstance, weights: dict[tuple[str, str], int]) -> list[BlockingRule]:
    """People with fewer than k colleagues to observe, or fewer than k observers."""
    k = instance.rules.k
    ids = [t.id for t in instance.teachers]
    out_deg, in_deg = _degrees(weights)
    short_out = [p for p in ids if out_deg[p] < k]
    short_in = [p for p in ids if in_deg[p] < k]
    if not short_out and not short_in:
        return []
    relaxed_degrees = {}
    for rule in _active_pair_rules(instance):
        prep = Prepared(_with_rules(instance, _relaxed_rules(instance.rules, rule)))
        relaxed_degrees[rule] = _degrees(prep.pair_weights())
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for side, short, index in (("k_observe", short_out, 0), ("k_observed", short_in, 1)):
        for person in short:
            blamed = None
            for rule, degrees in relaxed_degrees.items():
                if degrees[index][person] >= k:
                    blamed = rule
                    break
            if blamed is None:
                # no single pair rule is enough: the person cannot take part k times at all
                best = max([d[index][person] for d in relaxed_degrees.values()], default=0)
                best = max(best, (out_deg if index == 0 else in_deg)[person])
                found[(side, f"k={best}")].add(person)
                continue
            found[(blamed, RELAXED[blamed])].add(person)
    return [_blocking(instance, rule, people, relax) for (rule, relax), people in found.items()]


def _per_day(
    instance: RoundInstance, prep: Prepared, pairs: Iterable[tuple[str, str]]
) -> list[BlockingRule]:
    """People who cannot fit k observations of each kind at max_per_day a day. The days a
    person can observe are those with a lesson of a possible colleague while they are free
    (subjects aside, so the condition stays necessary); likewise for being observed."""
    rules = instance.rules
    k = rules.k
    tz = ZoneInfo(instance.timezone)
    day_of_bit = {bit: start.astimezone(tz).date() for (start, _end), bit in prep.bit.items()}
    taught: dict[str, int] = defaultdict(int)
    for teacher_id, masks in prep.subject_masks.items():
        for mask in masks.values():
            taught[teacher_id] |= mask
    observe_bits: dict[str, int] = defaultdict(int)
    observed_bits: dict[str, int] = defaultdict(int)
    for observer, observed in pairs:
        bits = taught[observed] & prep.free_for(observer, observed)
        observe_bits[observer] |= bits
        observed_bits[observed] |= bits

    def days(mask: int) -> set[date]:
        return {day_of_bit[b] for b in range(mask.bit_length()) if mask >> b & 1}

    short: list[str] = []
    needed_per_day = 1
    for t in instance.teachers:
        observing, observed_on = days(observe_bits[t.id]), days(observed_bits[t.id])
        capacity = [
            (len(observing), k),
            (len(observed_on), k),
            (len(observing | observed_on), 2 * k),
        ]
        if any(count * rules.max_per_day < need for count, need in capacity):
            short.append(t.id)
            for count, need in capacity:
                needed_per_day = max(needed_per_day, math.ceil(need / count) if count else need)
    if not short:
        return []
    return [_blocking(instance, "max_per_day", short, f"max_per_day={needed_per_day}")]


def _flow_deficit(
    ids: list[str], pairs: Iterable[tuple[str, str]], k: int
) -> tuple[int, set[str], set[str]]:
    """Max-flow of the b-matching (each observer k, each observed k, one unit per pair):
    (missing units, observers on the source side of the min cut, observed on its sink side)."""
    index = {t: i for i, t in enumerate(ids)}
    n = len(ids)
    source, sink = 2 * n, 2 * n + 1
    flow = max_flow.SimpleMaxFlow()
    for i in range(n):
        flow.add_arc_with_capacity(source, i, k)
        flow.add_arc_with_capacity(n + i, sink, k)
    for observer, observed in pairs:
        flow.add_arc_with_capacity(index[observer], n + index[observed], 1)
    if flow.solve(source, sink) != flow.OPTIMAL:  # pragma: no cover - capacities are finite
        return 0, set(), set()
    missing = k * n - flow.optimal_flow()
    if not missing:
        return 0, set(), set()
    source_side = set(flow.get_source_side_min_cut())
    sink_side = set(flow.get_sink_side_min_cut())
    observers = {ids[i] for i in range(n) if i in source_side}
    observed_side = {ids[i - n] for i in range(n, 2 * n) if i in sink_side}
    return missing, observers, observed_side


def _hall(instance: RoundInstance, weights: dict[tuple[str, str], int]) -> list[BlockingRule]:
    """A group of people who together have too few colleagues (Hall's condition)."""
    k = instance.rules.k
    ids = [t.id for t in instance.teachers]
    missing, observers, observed = _flow_deficit(ids, weights, k)
    if not missing:
        return []
    # the smaller side of the cut is the group that lacks colleagues
    group, rule_side = (
        (observers, "k_observe") if len(observers) <= len(observed) else (observed, "k_observed")
    )
    for rule in _active_pair_rules(instance):
        prep = Prepared(_with_rules(instance, _relaxed_rules(instance.rules, rule)))
        if not _flow_deficit(ids, prep.pair_weights(), k)[0]:
            return [_blocking(instance, rule, group, RELAXED[rule])]
    # the largest k the pairs allow
    best = k
    while best > 0 and _flow_deficit(ids, weights, best)[0]:
        best -= 1
    return [_blocking(instance, rule_side, group, f"k={best}")]


def necessary_conditions(
    instance: RoundInstance,
    prep: Prepared | None = None,
    weights: dict[tuple[str, str], int] | None = None,
) -> tuple[BlockingRule, ...]:
    """The first necessary condition that fails, with only the people it concerns (() when
    all hold). ``prep`` and ``weights`` may be given when the caller has them already."""
    rules = instance.rules
    ids = tuple(t.id for t in instance.teachers)
    if rules.k > len(ids) - 1:
        detail = f"{len(ids)} teachers cannot each observe {rules.k} distinct colleagues"
        relax = f"k={max(0, len(ids) - 1)}"
        return (
            BlockingRule("k_observe", ids, detail, relax=relax, everyone=True),
            BlockingRule("k_observed", ids, detail, relax=relax, everyone=True),
        )
    prep = prep or Prepared(instance)
    weights = prep.pair_weights() if weights is None else weights
    found = _per_person(instance, weights)
    if found:
        return tuple(found)
    found = _per_day(instance, prep, weights)
    if found:
        return tuple(found)
    return tuple(_hall(instance, weights))


# --------------------------------------------------------------------------------------------
# CP-SAT assumptions
# --------------------------------------------------------------------------------------------


def assumption_core(instance: RoundInstance, *, time_limit_s: float) -> tuple[BlockingRule, ...]:
    """A small set of (rule, person) that together make the round infeasible, from CP-SAT's
    assumptions; () when none is found in time (or the round is feasible)."""
    started = time.perf_counter()
    soft = frozenset(r for r in (*_active_pair_rules(instance), "max_per_day"))
    prep = Prepared(instance, soft)
    built = build(prep)
    model = built.model
    literals: dict[tuple[str, str], cp_model.IntVar] = {}

    def literal(rule: str, person: str) -> cp_model.IntVar:
        key = (rule, person)
        if key not in literals:
            literals[key] = model.new_bool_var(f"a_{rule}_{person}")
        return literals[key]

    # a violating candidate may only be chosen when its rule is not assumed for the observer
    # (the observed teacher for no_repeat/subjects too: either may be the one to change)
    for i, c in enumerate(built.candidates):
        for rule in c.violates:
            model.add(built.z[i] == 0).only_enforce_if(literal(rule, c.observer))
    for (rule, key), slack in built.slacks.items():
        if rule == "max_per_day":
            model.add(slack == 0).only_enforce_if(literal(rule, key.split("|")[0]))
    model.clear_objective()
    assumed = sorted(literals)

    def solve(limit: float, active: list[tuple[str, str]]) -> tuple[object, list[tuple[str, str]]]:
        model.clear_assumptions()
        model.add_assumptions([literals[key] for key in active])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, limit)
        solver.parameters.num_workers = 1  # assumptions need a single worker
        status = solver.solve(model)
        if status != cp_model.INFEASIBLE:
            return status, []
        core = set(solver.sufficient_assumptions_for_infeasibility())
        return status, [key for key in active if literals[key].index in core]

    status, core = solve(time_limit_s * 0.5, assumed)
    if status != cp_model.INFEASIBLE or not core:
        return ()
    # shrink by deletion while time allows
    i = 0
    while i < len(core) and time.perf_counter() - started < time_limit_s * 0.9:
        trial = core[:i] + core[i + 1 :]
        left = time_limit_s - (time.perf_counter() - started)
        status, smaller = solve(min(2.0, left), trial)
        if status == cp_model.INFEASIBLE:
            core = smaller or trial
        else:
            i += 1
    by_rule: dict[str, set[str]] = defaultdict(set)
    for rule, person in core:
        by_rule[rule].add(person)
    return tuple(
        _blocking(instance, rule, people, RELAXED.get(rule, "")) for rule, people in by_rule.items()
    )

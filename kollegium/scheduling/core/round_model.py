"""The CP-SAT model of an observation round and its pair-level relaxation (pure: no Django).

Aggregation: with ``max_per_day == 1`` the lesson inside a day matters to no rule, so a
candidate is an (observer, observed, local day) on which at least one of the observed teacher's
lessons is eligible; the earliest eligible lesson with the best score is used. With
``max_per_day > 1`` a candidate is one (observer, lesson) and the observer gets no-overlap
cliques.

Relaxation: dropping the per-day and the spread coupling leaves a bipartite b-matching
(every observer sends k, every observed receives k, one unit per pair) with the best candidate
score of each pair as its weight. It is solved exactly as a min-cost flow and, plus the
largest possible spread reward, gives an upper bound on the whole problem. The solver then
works on a restricted set of pairs (the best few per person) and widens it only while the
restricted optimum is below that bound.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from .round_types import (
    W_PREFERRED,
    W_SPREAD,
    W_SUBJECT,
    Lesson,
    RoundInstance,
    merged,
    needs_travel,
    same_site_refused,
    subject_allowed,
)

Pair = tuple[str, str]
#: a lesson group of the observed teacher: (slot, day, ISO week, subject, mask, [(bit, lesson)])
Group = tuple[object, date, tuple[int, int], str, int, list[tuple[int, Lesson]]]


def _utc(value: datetime) -> datetime:
    """Aware datetimes sharing a zone compare as wall clocks in Python (wrong in the repeated
    autumn hour); in UTC they compare as instants."""
    return value.astimezone(UTC)


def _span(lesson: Lesson) -> tuple[datetime, datetime]:
    return _utc(lesson.start), _utc(lesson.end)


@dataclass
class Candidate:
    observer: str
    observed: str
    day: date
    week: tuple[int, int]
    lessons: list[Lesson]  # eligible lessons, earliest first; the first one is used
    score: int
    violates: frozenset[str]


class Prepared:
    """Indexes of an instance shared by the relaxation, the model and the greedy baseline."""

    def __init__(self, instance: RoundInstance, soft: frozenset[str] = frozenset()) -> None:
        self.instance = instance
        self.soft = soft
        rules = instance.rules
        tz = ZoneInfo(instance.timezone)
        self.per_lesson = rules.max_per_day > 1
        self.teachers = {t.id: t for t in instance.teachers}
        lessons = sorted(
            (lesson for lesson in instance.lessons if lesson.teacher_id in self.teachers),
            key=lambda lesson: (_utc(lesson.start), _utc(lesson.end), lesson.id),
        )
        # Every distinct lesson interval gets a bit; an observer's free mask holds the bits of
        # the intervals during which they are free.
        self.bit: dict[tuple[datetime, datetime], int] = {}
        self.lesson_bit: dict[str, int] = {}
        for lesson in lessons:
            self.lesson_bit[lesson.id] = self.bit.setdefault(_span(lesson), len(self.bit))
        # The observed teacher's lessons grouped by (day, subject), or one lesson per group.
        self.groups: dict[str, dict[tuple, tuple[int, list[Lesson]]]] = defaultdict(dict)
        self._groups_cache: dict[str, list[Group]] = {}
        self.subject_masks: dict[str, dict[str, int]] = defaultdict(dict)
        for lesson in lessons:
            day = lesson.start.astimezone(tz).date()
            key = (day, lesson.id) if self.per_lesson else (day, lesson.subject)
            bit = 1 << self.lesson_bit[lesson.id]
            mask, members = self.groups[lesson.teacher_id].get(key, (0, []))
            members.append(lesson)
            self.groups[lesson.teacher_id][key] = (mask | bit, members)
            masks = self.subject_masks[lesson.teacher_id]
            masks[lesson.subject] = masks.get(lesson.subject, 0) | bit
        all_bits = (1 << len(self.bit)) - 1
        self.free: dict[str, int] = {}
        # free for a lesson at another site: also for the journey before and after it
        self.free_away: dict[str, int] = {}
        travel = timedelta(minutes=rules.travel_minutes)
        for teacher_id in self.teachers:
            if not rules.require_observer_free:
                self.free[teacher_id] = self.free_away[teacher_id] = all_bits
                continue
            busy = merged((_utc(s), _utc(e)) for s, e in instance.busy.get(teacher_id, ()))
            self.free[teacher_id] = self._free_mask(busy, timedelta(0))
            self.free_away[teacher_id] = (
                self._free_mask(busy, travel) if travel else self.free[teacher_id]
            )

    def _free_mask(self, busy: list[tuple[datetime, datetime]], margin: timedelta) -> int:
        """The bits of the lesson intervals (widened by ``margin``) that miss ``busy``."""
        starts = [b[0] for b in busy]
        mask = 0
        for (start, end), bit in self.bit.items():
            j = bisect_left(starts, end + margin) - 1
            if j < 0 or busy[j][1] <= start - margin:
                mask |= 1 << bit
        return mask

    def free_for(self, observer_id: str, observed_id: str) -> int:
        """The observer's free mask for the observed teacher's lessons (travel included)."""
        observer, observed = self.teachers[observer_id], self.teachers[observed_id]
        if needs_travel(self.instance.rules, observer, observed):
            return self.free_away[observer_id]
        return self.free[observer_id]

    def pair_allowed(self, observer_id: str, observed_id: str) -> bool:
        """Rules on the pair itself that no relaxation touches (self, other_site_only)."""
        if observer_id == observed_id:
            return False
        observer, observed = self.teachers[observer_id], self.teachers[observed_id]
        return not same_site_refused(self.instance.rules, observer, observed)

    def _score(self, observer: str, observed: str, subject: str) -> int:
        preferred = (observer, observed) in self.instance.preferred_pairs
        return (W_PREFERRED if preferred else 0) + (
            W_SUBJECT if subject in self.teachers[observer].subjects else 0
        )

    def pair_weights(self) -> dict[Pair, int]:
        """The best score of every pair with at least one eligible lesson (no soft rules)."""
        rules = self.instance.rules
        out: dict[Pair, int] = {}
        for observer in self.instance.teachers:
            for observed_id, masks in self.subject_masks.items():
                pair = (observer.id, observed_id)
                if not self.pair_allowed(*pair) or pair in rules.forbidden_pairs:
                    continue
                free = self.free_for(*pair)
                best = -1
                for subject, mask in masks.items():
                    if mask & free and subject_allowed(rules.subject_mode, observer, subject):
                        best = max(best, self._score(observer.id, observed_id, subject))
                if best >= 0:
                    out[(observer.id, observed_id)] = best
        return out

    def _group_list(self, observed_id: str) -> list[Group]:
        """The observed teacher's lesson groups with their slot, day, ISO week and subject."""
        cached = self._groups_cache.get(observed_id)
        if cached is None:
            cached = []
            for key, (mask, members) in self.groups[observed_id].items():
                day = key[0]
                iso = day.isocalendar()
                slot = key if self.per_lesson else day
                bits = [(1 << self.lesson_bit[m.id], m) for m in members]
                cached.append((slot, day, (iso[0], iso[1]), members[0].subject, mask, bits))
            self._groups_cache[observed_id] = cached
        return cached

    def candidates(self, pairs: set[Pair] | None = None) -> list[Candidate]:
        rules = self.instance.rules
        soft = self.soft
        mode = rules.subject_mode
        preferred_pairs = self.instance.preferred_pairs
        if pairs is None:
            pairs = {(o, t) for o in self.teachers for t in self.teachers if o != t}
        out: list[Candidate] = []
        allowed: dict[tuple[str, str], bool] = {}
        for observer_id, observed_id in sorted(pairs):
            if not self.pair_allowed(observer_id, observed_id):
                continue
            observer = self.teachers[observer_id]
            subjects = observer.subjects
            free = self.free_for(observer_id, observed_id)
            pair_violations: frozenset[str] = frozenset()
            if (observer_id, observed_id) in rules.forbidden_pairs:
                if "no_repeat" not in soft:
                    continue
                pair_violations = frozenset({"no_repeat"})
            preferred = W_PREFERRED if (observer_id, observed_id) in preferred_pairs else 0
            best: dict[object, tuple[tuple[int, int], Candidate]] = {}
            for slot, day, week, subject, mask, bits in self._group_list(observed_id):
                key = (observer_id, subject)
                ok = allowed.get(key)
                if ok is None:
                    ok = allowed[key] = subject_allowed(mode, observer, subject)
                violations = pair_violations
                if not ok:
                    if "subject_mode" not in soft:
                        continue
                    violations = violations | {"subject_mode"}
                eligible = mask & free
                if not eligible:
                    if "observer_free" not in soft:
                        continue
                    violations = violations | {"observer_free"}
                score = preferred + (W_SUBJECT if subject in subjects else 0)
                rank = (len(violations), -score)
                current = best.get(slot)
                if current is not None and not rank < current[0]:
                    continue
                if eligible == mask or not eligible:
                    chosen = [m for _bit, m in bits]
                else:
                    chosen = [m for bit, m in bits if eligible & bit]
                best[slot] = (
                    rank,
                    Candidate(
                        observer_id, observed_id, day, week, chosen, score, frozenset(violations)
                    ),
                )
            out.extend(candidate for _rank, candidate in best.values())
        return out


def matching_bound(prep: Prepared, weights: dict[Pair, int]) -> tuple[int, set[Pair]] | None:
    """Solve the pair-level relaxation exactly. Returns (bound on the score part, the pairs of
    an optimal relaxed solution), or None when even the relaxation is infeasible."""
    k = prep.instance.rules.k
    ids = list(prep.teachers)
    if k == 0:
        return 0, set()
    index = {t: i for i, t in enumerate(ids)}
    n = len(ids)
    top = max(weights.values(), default=0)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = list(weights.items())
    for (observer, observed), weight in arcs:
        flow.add_arc_with_capacity_and_unit_cost(
            index[observer], n + index[observed], 1, top - weight
        )
    for i in range(n):
        flow.set_node_supply(i, k)
        flow.set_node_supply(n + i, -k)
    if flow.solve() != flow.OPTIMAL:
        return None
    chosen = {arcs[a][0] for a in range(len(arcs)) if flow.flow(a) > 0}
    return top * k * n - flow.optimal_cost(), chosen


def spread_bound(prep: Prepared, weights: dict[Pair, int]) -> int:
    """The largest possible spread reward: per person and role, min(k, weeks with options)."""
    k = prep.instance.rules.k
    tz = ZoneInfo(prep.instance.timezone)
    weeks_taught: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for lesson in prep.instance.lessons:
        iso = lesson.start.astimezone(tz).date().isocalendar()
        weeks_taught[lesson.teacher_id].add((iso[0], iso[1]))
    observing: dict[str, set[tuple[int, int]]] = defaultdict(set)
    observed_by: set[str] = set()
    for observer, observed in weights:
        observing[observer] |= weeks_taught[observed]
        observed_by.add(observed)
    total = 0
    for person in prep.teachers:
        total += min(k, len(observing[person]))
        if person in observed_by:
            total += min(k, len(weeks_taught[person]))
    return W_SPREAD * total


@dataclass
class Built:
    model: cp_model.CpModel
    candidates: list[Candidate]
    z: list[cp_model.IntVar]
    slacks: dict[tuple[str, str], cp_model.IntVar]
    #: the spread indicators and the candidates each one covers
    spread: list[tuple[cp_model.IntVar, list[int]]] = field(default_factory=list)

    def hint(self, chosen: set[tuple[str, str, str]]) -> None:
        """Hint a whole schedule ((observer, observed, lesson id) triples): every variable."""
        on = [
            any((c.observer, c.observed, x.id) in chosen for x in c.lessons)
            for c in self.candidates
        ]
        for var, value in zip(self.z, on, strict=True):
            self.model.add_hint(var, value)
        for var, idx in self.spread:
            self.model.add_hint(var, any(on[i] for i in idx))


def build(prep: Prepared, pairs: set[Pair] | None = None) -> Built:
    """The CP-SAT model over the candidates of ``pairs`` (all pairs when None). Without soft
    rules it maximises the score; otherwise it minimises the number of violations."""
    instance = prep.instance
    rules = instance.rules
    soft = prep.soft
    k = rules.k
    model = cp_model.CpModel()
    candidates = prep.candidates(pairs)
    z = [model.new_bool_var(f"z{i}") for i in range(len(candidates))]
    by_observer: dict[str, list[int]] = defaultdict(list)
    by_observed: dict[str, list[int]] = defaultdict(list)
    by_pair: dict[Pair, list[int]] = defaultdict(list)
    by_person_day: dict[tuple[str, date], list[int]] = defaultdict(list)
    by_role_week: dict[tuple[str, str, tuple[int, int]], list[int]] = defaultdict(list)
    for i, c in enumerate(candidates):
        by_observer[c.observer].append(i)
        by_observed[c.observed].append(i)
        by_pair[(c.observer, c.observed)].append(i)
        by_person_day[(c.observer, c.day)].append(i)
        by_person_day[(c.observed, c.day)].append(i)
        by_role_week[(c.observer, "observe", c.week)].append(i)
        by_role_week[(c.observed, "observed", c.week)].append(i)

    penalties: list[cp_model.LinearExprT] = []
    slacks: dict[tuple[str, str], cp_model.IntVar] = {}
    for idx in by_pair.values():
        if len(idx) > 1:
            model.add_at_most_one(z[i] for i in idx)
    for rule, index in (("k_observe", by_observer), ("k_observed", by_observed)):
        for teacher_id in prep.teachers:
            total = sum(z[i] for i in index.get(teacher_id, []))
            if rule in soft:
                slack = model.new_int_var(0, k, f"s_{rule}_{teacher_id}")
                slacks[(rule, teacher_id)] = slack
                model.add(total + slack == k)
                penalties.append(slack)
            else:
                model.add(total == k)
    for (person, day), idx in by_person_day.items():
        if len(idx) <= rules.max_per_day:
            continue
        total = sum(z[i] for i in idx)
        if "max_per_day" in soft:
            slack = model.new_int_var(0, len(idx), f"s_day_{person}_{day}")
            slacks[("max_per_day", f"{person}|{day.isoformat()}")] = slack
            model.add(total <= rules.max_per_day + slack)
            penalties.append(slack)
        else:
            model.add(total <= rules.max_per_day)
    if prep.per_lesson:
        for idx in by_observer.values():
            spans = sorted((*_span(candidates[i].lessons[0]), i) for i in idx)
            for s, _e, _i in spans:
                clique = [i for (a, b, i) in spans if a <= s < b]
                if len(clique) > 1:
                    model.add_at_most_one(z[i] for i in clique)

    if soft:
        for i, c in enumerate(candidates):
            if c.violates:
                penalties.append(len(c.violates) * z[i])
        model.minimize(sum(penalties))
    else:
        spread = []
        for (person, role, week), idx in by_role_week.items():
            u = model.new_bool_var(f"u_{person}_{role}_{week[0]}_{week[1]}")
            model.add(u <= sum(z[i] for i in idx))
            spread.append((u, idx))
        model.maximize(
            sum(c.score * z[i] for i, c in enumerate(candidates) if c.score)
            + W_SPREAD * sum(u for u, _idx in spread)
        )
        return Built(model, candidates, z, slacks, spread)
    return Built(model, candidates, z, slacks)

"""Single-holder risk analysis and knowledge-transfer pairing (pure: no Django).

Given the skill levels of the people at one or many schools, classify every (school, skill):

- covered:    two or more people at level 3-4 ("confident" or "can guide others");
- vulnerable: exactly one such person, so the knowledge rests on one colleague;
- gap:        nobody at level 3-4.

Then propose knowledge-transfer pairs (holder <-> colleague who wants to learn it) within each
school, spreading the load so that no holder is given more than `max_learners_per_holder`
learners in total (across all skills).

The whole analysis is a single pass over the level rows plus work proportional to the number
of holders and learners. The school's coverage page runs it for one school; the owner-wide
page counts holders per (school, skill) in the database and uses `summarise` below, which is
tested to agree with `analyse`.
"""

from __future__ import annotations

import enum
import gc
import heapq
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

HOLDER_LEVEL = 3
MAX_LEVEL = 4
MIN_LEVEL = 1

PersonId = Hashable
SchoolId = Hashable
SkillId = Hashable


class Coverage(enum.StrEnum):
    COVERED = "covered"
    VULNERABLE = "vulnerable"
    GAP = "gap"


@dataclass(frozen=True, slots=True)
class LevelEntry:
    """One person's self-assessed level in one skill, at one school."""

    school_id: SchoolId
    person_id: PersonId
    skill_id: SkillId
    level: int
    willing_to_share: bool = False
    want_to_learn: bool = False

    @property
    def is_holder(self) -> bool:
        return HOLDER_LEVEL <= self.level <= MAX_LEVEL

    @property
    def is_learner(self) -> bool:
        """A colleague who wants to learn this skill: flagged it, or rates it 1-2."""
        return MIN_LEVEL <= self.level < HOLDER_LEVEL


@dataclass(frozen=True, slots=True)
class SkillRisk:
    school_id: SchoolId
    skill_id: SkillId
    coverage: Coverage
    holder_count: int
    learner_count: int
    sole_holder: PersonId | None  # the one holder of a vulnerable skill, else None


@dataclass(frozen=True, slots=True)
class TransferPair:
    school_id: SchoolId
    skill_id: SkillId
    holder_id: PersonId
    learner_id: PersonId


@dataclass(frozen=True, slots=True)
class RiskReport:
    risks: tuple[SkillRisk, ...]
    pairs: tuple[TransferPair, ...]

    def by_coverage(self, coverage: Coverage) -> tuple[SkillRisk, ...]:
        return tuple(r for r in self.risks if r.coverage is coverage)

    def sole_holdings(self, person_id: PersonId) -> tuple[SkillRisk, ...]:
        """The skills for which `person_id` is the only holder at their school."""
        return tuple(
            r
            for r in self.risks
            if r.coverage is Coverage.VULNERABLE and r.sole_holder == person_id
        )


def classify(holder_count: int) -> Coverage:
    if holder_count >= 2:
        return Coverage.COVERED
    if holder_count == 1:
        return Coverage.VULNERABLE
    return Coverage.GAP


def analyse(
    *,
    schools: Iterable[SchoolId],
    skills: Iterable[SkillId],
    levels: Iterable[LevelEntry],
    max_learners_per_holder: int = 3,
) -> RiskReport:
    """Classify every (school, skill) and propose transfer pairs.

    - `schools` and `skills` name what to classify: a pair with no level rows is a gap.
      Level rows for other schools or skills are ignored.
    - A holder is someone at level 3-4. Only holders who are willing to share are paired.
    - A learner is someone at the same school at level 1-2 who either flagged the skill as
      "want to learn" or rated it 1-2 (the row exists, so they chose it). Learners who flagged
      "want to learn" are matched first, then lower levels first.
    - Vulnerable skills are paired before covered ones (the knowledge rests on one person),
      and each learner is given to the holder with the fewest learners so far. No holder gets
      more than `max_learners_per_holder` learners over all skills at their school.
    """
    if max_learners_per_holder < 0:
        raise ValueError("max_learners_per_holder must be zero or more")
    # Allocation-heavy over up to millions of rows that form no cycles: pausing the cyclic
    # garbage collector saves its repeated full scans (about 20 % at 1,000,000 rows).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _analyse(
            school_list=list(dict.fromkeys(schools)),
            skill_list=list(dict.fromkeys(skills)),
            levels=levels,
            max_learners_per_holder=max_learners_per_holder,
        )
    finally:
        if collecting:
            gc.enable()


def _analyse(
    *,
    school_list: list[SchoolId],
    skill_list: list[SkillId],
    levels: Iterable[LevelEntry],
    max_learners_per_holder: int,
) -> RiskReport:
    # One pass over the rows; cells outside the question are dropped afterwards (there are far
    # fewer cells than rows, so filtering per cell is cheaper than per row).
    holders: dict[tuple[SchoolId, SkillId], list[LevelEntry]] = {}
    learners: dict[tuple[SchoolId, SkillId], list[LevelEntry]] = {}
    for entry in levels:
        level = entry.level
        if level >= HOLDER_LEVEL:
            if level > MAX_LEVEL:
                continue
            target = holders
        elif level >= MIN_LEVEL:
            target = learners
        else:
            continue
        cell = (entry.school_id, entry.skill_id)
        bucket = target.get(cell)
        if bucket is None:
            target[cell] = [entry]
        else:
            bucket.append(entry)

    empty: list[LevelEntry] = []
    risks: list[SkillRisk] = []
    pairs: list[TransferPair] = []
    for school in school_list:
        work: list[tuple[int, int, list[LevelEntry], list[LevelEntry], SkillId]] = []
        for skill in skill_list:
            cell = (school, skill)
            cell_holders = holders.get(cell, empty)
            cell_learners = learners.get(cell, empty)
            holder_count = len(cell_holders)
            risks.append(
                SkillRisk(
                    school,
                    skill,
                    _COVERAGE[min(holder_count, 2)],
                    holder_count,
                    len(cell_learners),
                    cell_holders[0].person_id if holder_count == 1 else None,
                )
            )
            if cell_holders and cell_learners:
                work.append(
                    (len(cell_holders), -len(cell_learners), cell_holders, cell_learners, skill)
                )
        if work and max_learners_per_holder:
            _pair_school(school, work, max_learners_per_holder, pairs)
    return RiskReport(risks=tuple(risks), pairs=tuple(pairs))


_COVERAGE = (Coverage.GAP, Coverage.VULNERABLE, Coverage.COVERED)


def _learner_priority(entry: LevelEntry) -> int:
    # Flagged "want to learn" first, then the lower level first.
    return entry.level if entry.want_to_learn else entry.level + 2


def _first(work: tuple[int, int, list[LevelEntry], list[LevelEntry], SkillId]) -> tuple[int, int]:
    return work[0], work[1]


def _pair_school(
    school: SchoolId,
    work: list[tuple[int, int, list[LevelEntry], list[LevelEntry], SkillId]],
    cap: int,
    pairs: list[TransferPair],
) -> None:
    """Greedy, load-balanced matching within one school (loads never cross schools).

    Vulnerable cells (one holder) first, then cells with more learners first; each learner
    goes to the willing holder with the fewest learners so far.
    """
    work.sort(key=_first)
    load: dict[PersonId, int] = {}
    # Once every willing holder at the school is full, nothing more can be paired there.
    room = cap * len({e.person_id for w in work for e in w[2] if e.willing_to_share})
    for _count, _neg, cell_holders, cell_learners, skill in work:
        if room <= 0:
            return
        heap = []
        for i, entry in enumerate(cell_holders):
            if entry.willing_to_share:
                current = load.get(entry.person_id, 0)
                if current < cap:
                    heap.append((current, i, entry.person_id))
        if not heap:
            continue
        heapq.heapify(heap)
        for entry in sorted(cell_learners, key=_learner_priority):
            current, i, holder = heapq.heappop(heap)
            pairs.append(TransferPair(school, skill, holder, entry.person_id))
            load[holder] = current + 1
            room -= 1
            if current + 1 < cap:
                heapq.heappush(heap, (current + 1, i, holder))
            if not heap:
                break


# --- many schools at once: counts only ---------------------------------------------------


@dataclass(slots=True)
class CoverageCounts:
    """How many cells (schools of a skill, or skills of a school) are covered, vulnerable or a
    gap, in all and among focus cells (a skill linked to the school's development focus)."""

    cells: int = 0
    covered: int = 0
    vulnerable: int = 0
    focus: int = 0
    focus_covered: int = 0
    focus_vulnerable: int = 0

    @property
    def gap(self) -> int:
        return self.cells - self.covered - self.vulnerable

    @property
    def focus_gap(self) -> int:
        return self.focus - self.focus_covered - self.focus_vulnerable


@dataclass(frozen=True, slots=True)
class CoverageSummary:
    by_skill: dict[SkillId, CoverageCounts]
    by_school: dict[SchoolId, CoverageCounts]


def summarise(
    *,
    schools: Iterable[SchoolId],
    common_skills: Iterable[SkillId],
    extra_skills: Mapping[SchoolId, Iterable[SkillId]] | None = None,
    holder_counts: Iterable[tuple[SchoolId, SkillId, int]],
    focus: Iterable[tuple[SchoolId, SkillId]] = (),
) -> CoverageSummary:
    """Count covered / vulnerable / gap cells per skill and per school, from holder counts.

    - A cell is (school, skill) for every school and every skill that applies there:
      `common_skills` apply at every school, `extra_skills[school]` only at that school (a
      school's or a network's own skills). Other cells in the input are ignored.
    - `holder_counts` gives the number of people at level 3-4 for the cells that have any;
      a cell that is not listed has none (a gap), as in `analyse`.
    - `focus` names the cells whose skill is linked to the school's development focus.

    Agrees with `analyse` cell by cell (tested), without reading a single level row: the
    counting per cell can happen in the database.
    """
    school_list = list(dict.fromkeys(schools))
    common = set(common_skills)
    extra = {s: set(k) - common for s, k in (extra_skills or {}).items()}
    by_skill = {skill: CoverageCounts() for skill in common}
    for skills in extra.values():
        for skill in skills:
            by_skill.setdefault(skill, CoverageCounts())
    by_school = {school: CoverageCounts() for school in school_list}
    for school in school_list:
        own = extra.get(school, ())
        by_school[school].cells = len(common) + len(own)
        for skill in own:
            by_skill[skill].cells += 1
    for skill in common:
        by_skill[skill].cells += len(school_list)
    empty: set[SkillId] = set()

    def applies(school: SchoolId, skill: SkillId) -> bool:
        return school in by_school and (skill in common or skill in extra.get(school, empty))

    focus_cells = {cell for cell in focus if applies(*cell)}
    for school, skill in focus_cells:
        by_skill[skill].focus += 1
        by_school[school].focus += 1
    # One pass over up to (schools x skills) rows: the checks of `applies` are inlined.
    for school, skill, holders in holder_counts:
        school_counts = by_school.get(school)
        if school_counts is None or holders <= 0:
            continue
        if skill not in common and skill not in extra.get(school, empty):
            continue
        skill_counts = by_skill[skill]
        is_focus = (school, skill) in focus_cells
        if holders >= 2:
            skill_counts.covered += 1
            school_counts.covered += 1
            if is_focus:
                skill_counts.focus_covered += 1
                school_counts.focus_covered += 1
        else:
            skill_counts.vulnerable += 1
            school_counts.vulnerable += 1
            if is_focus:
                skill_counts.focus_vulnerable += 1
                school_counts.focus_vulnerable += 1
    return CoverageSummary(by_skill=by_skill, by_school=by_school)

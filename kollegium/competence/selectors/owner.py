"""Competence across all the schools of a school owner (huvudman): counts, never people.

The owner's development staff see, per skill, at how many schools it is covered, vulnerable or
a gap, and per school how many skills are vulnerable or gaps. The classification of each
(school, skill) happens in the database (one GROUP BY over the members' level rows at level
3-4); `risk.summarise` turns the counts into the page's numbers. `risk.analyse` stays the
reference: tests check that the database's counts agree with it on random data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from kollegium.competence import risk
from kollegium.competence.models import FocusSkill, Skill, SkillArea
from kollegium.core.aggregates import shown as figure_shown
from kollegium.organisations.models import Membership, NetworkMembership, Organisation
from kollegium.organisations.selectors import min_group_size, owner_schools


def holder_counts(*, school_ids: QuerySet | list[int]) -> QuerySet:
    """(school id, skill id, number of people at level 3-4) for every (school, skill) of the
    given schools that has at least one holder, counted in the database.

    A person at several schools counts at each of them; inactive people do not count (as in
    `school_coverage`). The query starts from the memberships and reaches the level rows
    through the level table's user index, so the database reads only the level rows of the
    schools' own people, and groups them in one pass.
    """
    return (
        Membership.objects.filter(
            school_id__in=school_ids,
            user__is_active=True,
            user__skill_levels__level__gte=risk.HOLDER_LEVEL,
            user__skill_levels__level__lte=risk.MAX_LEVEL,
        )
        .order_by()
        .values_list("school_id", "user__skill_levels__skill_id")
        .annotate(holders=Count("user_id"))
    )


@dataclass
class OwnerSkillRow:
    skill: Skill
    counts: risk.CoverageCounts

    @property
    def is_focus(self) -> bool:
        return self.counts.focus > 0


@dataclass
class OwnerArea:
    area: SkillArea
    rows: list[OwnerSkillRow]

    @property
    def has_focus(self) -> bool:
        return any(row.is_focus for row in self.rows)


@dataclass
class OwnerSchoolRow:
    school: Organisation
    counts: risk.CoverageCounts
    # False when the school has fewer active people than the owner's minimum group size: the
    # page then shows "too few to show" instead of its counts (core/aggregates.py).
    shown: bool = True

    @property
    def at_risk(self) -> tuple[int, int, int, int]:
        """Sort key: most focus gaps, then focus vulnerable, then gaps, then vulnerable."""
        c = self.counts
        return (c.focus_gap, c.focus_vulnerable, c.gap, c.vulnerable)


@dataclass
class OwnerCoverage:
    owner: Organisation
    areas: list[OwnerArea]
    schools: list[OwnerSchoolRow]
    focus_skill_count: int  # skills that are a focus at one school or more
    minimum: int = 0  # the owner's minimum group size

    @property
    def school_count(self) -> int:
        return len(self.schools)

    @property
    def uncounted_count(self) -> int:
        """Schools below the minimum group size: in no count of the page."""
        return sum(1 for row in self.schools if not row.shown)

    @property
    def skill_count(self) -> int:
        return sum(len(group.rows) for group in self.areas)


def owner_coverage(
    *,
    owner: Organisation,
    area_key: str = "",
    only_focus: bool = False,
    order: str = "name",
) -> OwnerCoverage:
    """Coverage counts across the owner's schools, in a constant number of queries (6).

    - The skills of each school: the taxonomy, the school's own and its networks' own skills
      (as on the school's coverage page); retired skills are left out.
    - `area_key` keeps one area's skills (in both tables); `only_focus` keeps the skills that are
      linked to a development focus at one school or more (in the skill table);
      `order` is "name" or "risk" (schools with the most focus gaps first).
    """
    schools = list(owner_schools(owner=owner).order_by("name", "pk"))
    school_ids = [s.pk for s in schools]
    # The database reads the schools again as a subquery: no list of 1,000 ids as parameters.
    school_query = owner_schools(owner=owner).values("pk")
    networks_of: dict[int, set[int]] = defaultdict(set)
    for school_id, network_id in NetworkMembership.objects.filter(
        school_id__in=school_query
    ).values_list("school_id", "network_id"):
        networks_of[school_id].add(network_id)
    network_ids = set().union(*networks_of.values()) if networks_of else set()
    skills_qs = (
        Skill.objects.filter(is_retired=False)
        .filter(
            Q(school=None, network=None)
            | Q(school_id__in=school_query)
            | Q(network_id__in=network_ids)
        )
        .select_related("area")
        .order_by("area__order", "area__key", "order", "key")
    )
    if area_key:
        skills_qs = skills_qs.filter(area__key=area_key)
    skills = list(skills_qs)
    common = [s.pk for s in skills if not s.is_custom]
    extra: dict[risk.SchoolId, list[risk.SkillId]] = defaultdict(list)
    schools_in_network: dict[int, list[int]] = defaultdict(list)
    for school_id, networks in networks_of.items():
        for network_id in networks:
            schools_in_network[network_id].append(school_id)
    for skill in skills:
        if skill.school_id is not None:
            extra[skill.school_id].append(skill.pk)
        elif skill.network_id is not None:
            for school_id in schools_in_network.get(skill.network_id, ()):
                extra[school_id].append(skill.pk)
    focus = FocusSkill.objects.filter(
        focus__school_id__in=school_query, focus__is_active=True
    ).values_list("focus__school_id", "skill_id")
    # Schools with fewer active people than the owner's minimum group size are left out of
    # every count (the skill table too), not only hidden in the school table: a count over
    # schools must not move with what two people at a small school know.
    minimum = min_group_size(owner)
    people = dict(
        Membership.objects.filter(school_id__in=school_query, user__is_active=True)
        .order_by()
        .values("school_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("school_id", "n")
    )
    counted = [pk for pk in school_ids if figure_shown(people.get(pk, 0), minimum)]
    summary = risk.summarise(
        schools=counted,
        common_skills=common,
        extra_skills=extra,
        # Fetched in one go: a server-side cursor (PostgreSQL) was 20 % slower for ~150,000
        # short rows, and they fit in memory easily.
        holder_counts=holder_counts(school_ids=school_query),
        focus=set(focus),
    )
    grouped: dict[int, OwnerArea] = {}
    focus_skill_count = 0
    for skill in skills:
        counts = summary.by_skill.get(skill.pk)
        if counts is None or not counts.cells:
            continue  # a skill of schools too small to count only
        if counts.focus:
            focus_skill_count += 1
        if only_focus and not counts.focus:
            continue
        grouped.setdefault(skill.area_id, OwnerArea(skill.area, [])).rows.append(
            OwnerSkillRow(skill=skill, counts=counts)
        )
    school_rows = [
        OwnerSchoolRow(
            school=s,
            counts=summary.by_school.get(s.pk, risk.CoverageCounts()),
            shown=s.pk in summary.by_school,
        )
        for s in schools
    ]
    if order == "risk":
        # Schools too small to show come last, by name: their place must not tell their risk.
        school_rows.sort(
            key=lambda r: (not r.shown, *(tuple(-n for n in r.at_risk) if r.shown else ()))
        )
    return OwnerCoverage(
        owner=owner,
        areas=list(grouped.values()),
        schools=school_rows,
        focus_skill_count=focus_skill_count,
        minimum=minimum,
    )

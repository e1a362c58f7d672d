"""Reads for the competence map, always scoped to the acting person."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from kollegium.accounts.models import User
from kollegium.competence import ranking, risk
from kollegium.competence.models import (
    CompetenceProfile,
    Endorsement,
    FocusSkill,
    Skill,
    SkillArea,
    SkillLevel,
)
from kollegium.competence.selectors.owner import (
    OwnerArea,
    OwnerCoverage,
    OwnerSchoolRow,
    OwnerSkillRow,
    holder_counts,
    owner_coverage,
)
from kollegium.competence.selectors.scoped import school_types_of, scope
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import (
    DevelopmentFocus,
    Membership,
    NetworkMembership,
    Organisation,
    TeamMembership,
)
from kollegium.organisations.selectors import (
    network_school_ids_for_user,
    school_ids_for_user,
)

MAX_HELP_RESULTS = 15

__all__ = [  # the owner-wide reads live in selectors/owner.py
    "OwnerArea",
    "OwnerCoverage",
    "OwnerSchoolRow",
    "OwnerSkillRow",
    "holder_counts",
    "owner_coverage",
]


def skills_for_user(user: Actor) -> QuerySet[Skill]:
    """Taxonomy skills plus the custom skills of the person's schools and networks."""
    own = school_ids_for_user(user)
    networks = NetworkMembership.objects.filter(school_id__in=own).values("network_id")
    return (
        Skill.objects.filter(is_retired=False)
        .filter(Q(school=None, network=None) | Q(school_id__in=own) | Q(network_id__in=networks))
        .select_related("area")
    )


def skills_for_school(school: Organisation) -> QuerySet[Skill]:
    """Taxonomy skills, the school's own, and those of the networks the school is in."""
    networks = NetworkMembership.objects.filter(school=school).values("network_id")
    return (
        Skill.objects.filter(is_retired=False)
        .filter(Q(school=None, network=None) | Q(school=school) | Q(network_id__in=networks))
        .select_related("area")
    )


@dataclass
class AreaGroup:
    area: SkillArea
    rows: list[tuple[Skill, SkillLevel | None]] = field(default_factory=list)

    @property
    def filled(self) -> int:
        return sum(1 for _s, lvl in self.rows if lvl is not None)


def profile_editor(*, user: Actor) -> list[AreaGroup]:
    """The person's own levels, grouped by area (2 queries)."""
    levels = {lvl.skill_id: lvl for lvl in SkillLevel.objects.filter(user_id=user.pk)}
    groups: dict[int, AreaGroup] = {}
    for skill in skills_for_user(user).order_by("area__order", "order", "key"):
        group = groups.setdefault(skill.area_id, AreaGroup(skill.area))
        group.rows.append((skill, levels.get(skill.pk)))
    return list(groups.values())


def profile_for(user: User) -> CompetenceProfile:
    profile = CompetenceProfile.objects.filter(user=user).first()
    return profile or CompetenceProfile(user=user)


def profile_rows(*, user: Actor) -> list[tuple[str, int, bool, bool, str]]:
    return list(
        SkillLevel.objects.filter(user_id=user.pk)
        .order_by("skill__key")
        .values_list("skill__key", "level", "willing_to_share", "want_to_learn", "evidence")
    )


def person_levels(*, viewer: Actor, person: User) -> list[SkillLevel]:
    """A colleague's levels with endorsement counts and whether the viewer endorsed."""
    return list(
        SkillLevel.objects.filter(user=person)
        .select_related("skill", "skill__area")
        .annotate(
            endorsement_count=Count("endorsements", distinct=True),
            endorsed_by_viewer=Count("endorsements", filter=Q(endorsements__endorser_id=viewer.pk)),
        )
        .order_by("-level", "skill__area__order", "skill__order")
    )


# --- single-holder risk ----------------------------------------------------------------


def school_member_ids(school: Organisation) -> list[int]:
    return list(
        Membership.objects.filter(school=school, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


@dataclass
class SoleHolding:
    school: Organisation
    skill: Skill
    learners: int


def sole_holdings(*, user: Actor) -> list[SoleHolding]:
    """Skills where the person is the only one at one of their schools at level 3-4."""
    mine = list(
        SkillLevel.objects.filter(user_id=user.pk, level__gte=3).values_list("skill_id", flat=True)
    )
    if not mine:
        return []
    memberships = as_actor(user).memberships  # read once per request (the home page's frame)
    counts = (
        SkillLevel.objects.filter(
            skill_id__in=mine,
            user__memberships__school_id__in=[m.school_id for m in memberships],
            user__is_active=True,
        )
        .values("user__memberships__school_id", "skill_id")
        .annotate(
            holders=Count("id", filter=Q(level__gte=3)),
            learners=Count("id", filter=Q(level__lte=2)),
        )
    )
    single = {
        (c["user__memberships__school_id"], c["skill_id"]): c["learners"]
        for c in counts
        if c["holders"] == 1
    }
    if not single:
        return []
    skills = Skill.objects.in_bulk({skill_id for _school, skill_id in single})
    schools = {m.school_id: m.school for m in memberships}
    return [
        SoleHolding(schools[school_id], skills[skill_id], learners)
        for (school_id, skill_id), learners in sorted(single.items())
    ]


# --- "who can help with X" --------------------------------------------------------------


@dataclass
class HelpResult:
    person: User
    ranked: ranking.Ranked
    level: SkillLevel | None
    school_name: str


_HELP_USER_FIELDS = ("id", "full_name", "email", "ask_me_about", "last_login")


def who_can_help(
    *, viewer: Actor, skill: Skill | None = None, text: str = "", limit: int = MAX_HELP_RESULTS
) -> tuple[list[HelpResult], list[HelpResult]]:
    """Ranked colleagues who can help: (own school, network). Constant number of queries.

    Candidates: people at the viewer's schools, plus people at network schools who opted in to
    network visibility. Matched by level 2-4 in `skill` or in any skill whose name contains
    `text`, or by `text` in their "ask me about" line.
    """
    own_ids = school_ids_for_user(viewer)
    net_ids = network_school_ids_for_user(viewer) - own_ids
    text = (text or "").strip()[:100]
    skill_ids: set[int] = {skill.pk} if skill is not None else set()
    if text:
        skill_ids |= set(
            skills_for_user(viewer)
            .filter(Q(name_sv__icontains=text) | Q(name_en__icontains=text))
            .values_list("pk", flat=True)
        )
    if not skill_ids and not text:
        return [], []
    # The people in scope, fetched once: a few hundred ids, so the level lookups below use
    # the (user, skill) unique index instead of scanning every level row of the skill.
    own_members = Membership.objects.filter(school_id__in=own_ids).values_list("user_id")
    net_members = Membership.objects.filter(
        school_id__in=net_ids, user__competence_profile__visible_in_network=True
    ).values_list("user_id")
    scope_ids = {user_id for (user_id,) in own_members.union(net_members)}
    scope_ids.discard(viewer.pk)
    if not scope_ids:
        return [], []
    # Rank on plain values; load objects only for the people shown.
    best: dict[
        int, tuple[int, int, bool, int]
    ] = {}  # user -> (level id, level, willing, endorsements)
    last_login: dict[int, Any] = {}
    if skill_ids:
        endorsement_count = (
            Endorsement.objects.filter(skill_level=OuterRef("pk"))
            .order_by()
            .values("skill_level")
            .annotate(n=Count("id"))
            .values("n")
        )
        rows = (
            SkillLevel.objects.filter(
                user_id__in=scope_ids,
                skill_id__in=skill_ids,
                level__gte=2,
                user__is_active=True,
            )
            .annotate(endorsement_count=Coalesce(Subquery(endorsement_count), 0))
            .order_by("-level", "-willing_to_share", "pk")
            .values_list(
                "id",
                "user_id",
                "level",
                "willing_to_share",
                "endorsement_count",
                "user__last_login",
            )[:400]
        )
        for level_id, user_id, level, willing, endorsements, login in rows:
            if user_id not in best:  # ordered best first
                best[user_id] = (level_id, level, willing, endorsements)
                last_login[user_id] = login
    text_ids: set[int] = set()
    if text:
        for user_id, login in User.objects.filter(
            pk__in=scope_ids, ask_me_about__icontains=text, is_active=True
        ).values_list("pk", "last_login")[:100]:
            text_ids.add(user_id)
            last_login[user_id] = login
    ids = set(best) | text_ids
    if not ids:
        return [], []
    schools_of: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for user_id, school_id, name, name_en in Membership.objects.filter(user_id__in=ids).values_list(
        "user_id", "school_id", "school__name", "school__name_en"
    ):
        schools_of[user_id].append((school_id, name, name_en))
    team_mates = set(
        TeamMembership.objects.filter(
            team__in=TeamMembership.objects.filter(user_id=viewer.pk).values("team_id")
        ).values_list("user_id", flat=True)
    )
    candidates = []
    for pk in ids:
        their_schools = {school_id for school_id, _n, _e in schools_of[pk]}
        if pk in team_mates:
            proximity = ranking.Proximity.TEAM
        elif their_schools & own_ids:
            proximity = ranking.Proximity.SCHOOL
        else:
            proximity = ranking.Proximity.NETWORK
        found = best.get(pk)
        login = last_login.get(pk)
        candidates.append(
            ranking.Candidate(
                person_id=pk,
                proximity=proximity,
                level=found[1] if found else None,
                willing_to_share=found[2] if found else False,
                endorsements=found[3] if found else 0,
                last_active=timezone.localdate(login) if login else None,
                text_match=pk in text_ids,
            )
        )
    shown: dict[str, list[ranking.Ranked]] = {"own": [], "network": []}
    for ranked in ranking.rank(candidates, today=timezone.localdate()):
        key = "network" if ranked.proximity is ranking.Proximity.NETWORK else "own"
        if len(shown[key]) < limit:
            shown[key].append(ranked)
    shown_ids = [r.person_id for group in shown.values() for r in group]
    people = User.objects.only(*_HELP_USER_FIELDS).in_bulk(shown_ids)
    levels = (
        SkillLevel.objects.select_related("skill")
        .only(
            "id",
            "user_id",
            "skill_id",
            "level",
            "evidence",
            "skill__id",
            "skill__key",
            "skill__name_sv",
            "skill__name_en",
        )
        .in_bulk([best[pk][0] for pk in shown_ids if pk in best])
    )
    english = (get_language() or "sv").startswith("en")

    def result(ranked: ranking.Ranked) -> HelpResult:
        pk = ranked.person_id
        schools = schools_of[pk]
        shared = [s for s in schools if s[0] in own_ids] or schools
        school_name = ""
        if shared:
            school_name = (shared[0][2] or shared[0][1]) if english else shared[0][1]
        found = best.get(pk)
        return HelpResult(
            person=people[pk],
            ranked=ranked,
            level=levels.get(found[0]) if found else None,
            school_name=school_name,
        )

    return [result(r) for r in shown["own"]], [result(r) for r in shown["network"]]


# --- leader pages -------------------------------------------------------------------------


@dataclass
class Matrix:
    people: list[User]
    skills: list[Skill]
    # (person id, skill id) -> (level, willing to share, wants to learn)
    cells: dict[tuple[int, int], tuple[int, bool, bool]]

    def cell(self, person: User, skill: Skill) -> tuple[int, bool, bool] | None:
        return self.cells.get((person.pk, skill.pk))


def school_matrix(
    *,
    school: Organisation,
    team_id: int | None = None,
    subject_id: int | None = None,
    area_key: str = "",
    only_rated: bool = True,
) -> Matrix:
    """People x skills for a school: 3 queries whatever the size."""
    people_qs = User.objects.filter(memberships__school=school, is_active=True)
    if team_id:
        people_qs = people_qs.filter(team_memberships__team_id=team_id)
    if subject_id:
        people_qs = people_qs.filter(subjects__id=subject_id)
    # Only the columns shown, and the cells as plain values: thousands of SkillLevel
    # instances were a third of the page's time (issue 10).
    people = list(people_qs.distinct().order_by("full_name", "pk").only("id", "full_name"))
    skills_qs = skills_for_school(school)
    if area_key:
        skills_qs = skills_qs.filter(area__key=area_key)
    skills = list(skills_qs.order_by("area__order", "order", "key"))
    cells = {
        (user_id, skill_id): (level, share, learn)
        for user_id, skill_id, level, share, learn in SkillLevel.objects.filter(
            user__in=[p.pk for p in people], skill__in=[s.pk for s in skills]
        ).values_list("user_id", "skill_id", "level", "willing_to_share", "want_to_learn")
    }
    if only_rated:
        rated = {skill_id for (_u, skill_id) in cells}
        skills = [s for s in skills if s.pk in rated]
    return Matrix(people=people, skills=skills, cells=cells)


def matrix_rows(*, school: Organisation) -> list[tuple[str, str, int, bool, bool, str]]:
    """The school's matrix as CSV rows (email, skill key, level, willing, want, evidence)."""
    member_ids = Membership.objects.filter(school=school).values("user_id")
    skills = skills_for_school(school).values("pk")
    return list(
        SkillLevel.objects.filter(user_id__in=member_ids, skill_id__in=skills)
        .order_by("user__email", "skill__key")
        .values_list(
            "user__email", "skill__key", "level", "willing_to_share", "want_to_learn", "evidence"
        )
    )


@dataclass
class CoverageRow:
    skill: Skill
    counts: tuple[int, int, int, int]  # people at level 1, 2, 3, 4
    coverage: risk.Coverage
    is_focus: bool
    sole_holder: User | None = None
    learners: int = 0

    @property
    def holders(self) -> int:
        return self.counts[2] + self.counts[3]


@dataclass
class Coverage:
    rows: list[CoverageRow]
    focus_areas: list[DevelopmentFocus]
    focus_skill_ids: dict[int, set[int]]
    pairs: list[tuple[Skill, User, User]]
    school_types: frozenset[str] = frozenset()
    types_chosen: bool = False
    people: int = 0  # the school's active people the counts are about

    @property
    def focus_rows(self) -> list[CoverageRow]:
        return [r for r in self.rows if r.is_focus]

    def focus_with(self, coverage: risk.Coverage) -> list[CoverageRow]:
        return [r for r in self.rows if r.is_focus and r.coverage is coverage]


def school_coverage(*, school: Organisation, max_learners_per_holder: int = 3) -> Coverage:
    """Heat map counts, focus links, gaps, vulnerable skills and transfer pairs (constant
    number of queries)."""
    skills = list(skills_for_school(school).order_by("area__order", "order", "key"))
    member_ids = school_member_ids(school)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    entries = []
    for user_id, skill_id, level, willing, want in SkillLevel.objects.filter(
        user_id__in=member_ids
    ).values_list("user_id", "skill_id", "level", "willing_to_share", "want_to_learn"):
        counts[skill_id][level - 1] += 1
        entries.append(risk.LevelEntry(school.pk, user_id, skill_id, level, willing, want))
    focus_areas = list(DevelopmentFocus.objects.filter(school=school, is_active=True))
    focus_skill_ids: dict[int, set[int]] = defaultdict(set)
    for focus_id, skill_id in FocusSkill.objects.filter(focus__in=focus_areas).values_list(
        "focus_id", "skill_id"
    ):
        focus_skill_ids[focus_id].add(skill_id)
    all_focus = set().union(*focus_skill_ids.values()) if focus_skill_ids else set()
    # Skills that concern none of the school's types are left out (no "gap" for vocational
    # subjects at a compulsory school) unless the school made them a focus.
    types, types_chosen = school_types_of(school)
    excluded = scope().excluded(types)
    skills = [s for s in skills if s.key not in excluded or s.pk in all_focus]
    report = risk.analyse(
        schools=[school.pk],
        skills=[s.pk for s in skills],
        levels=entries,
        max_learners_per_holder=max_learners_per_holder,
    )
    people_ids = {r.sole_holder for r in report.risks if r.sole_holder is not None}
    people_ids |= {p.holder_id for p in report.pairs} | {p.learner_id for p in report.pairs}
    people = User.objects.only("id", "full_name").in_bulk(list(people_ids))  # names only
    by_skill = {r.skill_id: r for r in report.risks}
    skill_by_id: dict[Any, Skill] = {s.pk: s for s in skills}
    rows = []
    for skill in skills:
        r = by_skill[skill.pk]
        c = counts.get(skill.pk, [0, 0, 0, 0])
        rows.append(
            CoverageRow(
                skill=skill,
                counts=(c[0], c[1], c[2], c[3]),
                coverage=r.coverage,
                is_focus=skill.pk in all_focus,
                sole_holder=people.get(r.sole_holder) if r.sole_holder else None,
                learners=r.learner_count,
            )
        )
    pairs = [
        (skill_by_id[p.skill_id], people[p.holder_id], people[p.learner_id])
        for p in report.pairs
        if p.skill_id in all_focus or not all_focus
    ]
    return Coverage(
        rows=rows,
        focus_areas=focus_areas,
        focus_skill_ids=focus_skill_ids,
        pairs=pairs,
        school_types=types,
        types_chosen=types_chosen,
        people=len(member_ids),
    )

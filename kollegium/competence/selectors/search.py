"""Colleagues by skill for the one search box (``/search/``), scoped to the acting person."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import get_language

from kollegium.accounts.models import User
from kollegium.competence.models import SkillLevel
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Membership
from kollegium.organisations.selectors import network_school_ids_for_user, school_ids_for_user

if TYPE_CHECKING:
    from kollegium.core.textsearch import TextMatcher

#: The level from which a person is someone to ask (as "who can help", ``who_can_help``).
HELP_LEVEL = 2
#: At most this many (person, skill) rows are read for one search.
MAX_ROWS = 2000


@dataclass(frozen=True)
class Colleague:
    person: User
    school_name: str
    skills: tuple[str, ...]  # the matching skills' names, best match first


def colleagues_by_skill(
    *, viewer: Actor, matcher: TextMatcher, limit: int
) -> tuple[list[Colleague], int]:
    """Colleagues who can help with a skill whose name or description matches what was
    typed: people at the viewer's schools, and at network schools only if they chose to show
    their skills there (the same rule as their page, ``can_view_levels_of``). Ordered by how
    well the skill matches the words, then by name: never by level, which is not shown.
    Five queries whatever the data."""
    from kollegium.competence.selectors import skills_for_user

    if not viewer.is_authenticated or matcher.is_empty:
        return [], 0
    english = (get_language() or "sv").startswith("en")
    matched: dict[int, tuple[int, str]] = {}  # skill id -> (level of the match, name)
    for skill in skills_for_user(viewer).only(
        "id", "name_sv", "name_en", "description_sv", "description_en", "area"
    ):
        levels = [
            matcher.rank(skill.name_sv, skill.description_sv, "sv"),
            matcher.rank(skill.name_en, skill.description_en, "en"),
        ]
        level = min((lv for lv in levels if lv is not None), default=None)
        if level is not None:
            matched[skill.pk] = (level, skill.name_en if english else skill.name_sv)
    if not matched:
        return [], 0
    own = school_ids_for_user(viewer)
    network = network_school_ids_for_user(viewer) - own
    in_scope = Q(user_id__in=Membership.objects.filter(school_id__in=own).values("user_id")) | Q(
        user_id__in=Membership.objects.filter(
            school_id__in=network, user__competence_profile__visible_in_network=True
        ).values("user_id")
    )
    rows = (
        SkillLevel.objects.filter(in_scope, skill_id__in=list(matched), level__gte=HELP_LEVEL,
                                  user__is_active=True)
        .exclude(user_id=viewer.pk)
        .order_by("user_id", "skill_id")
        .values_list("user_id", "skill_id")[:MAX_ROWS]
    )  # fmt: skip
    skills_of: dict[int, list[int]] = defaultdict(list)
    for user_id, skill_id in rows:
        skills_of[user_id].append(skill_id)
    if not skills_of:
        return [], 0
    people = User.objects.only("id", "full_name", "email").in_bulk(list(skills_of))
    best = sorted(
        people.values(),
        key=lambda p: (min(matched[s][0] for s in skills_of[p.pk]), p.full_name.casefold(), p.pk),
    )[:limit]
    schools: dict[int, str] = {}
    for user_id, school_id, name, name_en in (
        Membership.objects.filter(user_id__in=[p.pk for p in best])
        .order_by("school_id")
        .values_list("user_id", "school_id", "school__name", "school__name_en")
    ):
        if user_id not in schools or school_id in own:
            schools[user_id] = (name_en or name) if english else name
    return [
        Colleague(
            person=p, school_name=schools.get(p.pk, ""),
            skills=tuple(matched[s][1] for s in sorted(skills_of[p.pk], key=lambda s: matched[s])),
        )
        for p in best
    ], len(people)  # fmt: skip

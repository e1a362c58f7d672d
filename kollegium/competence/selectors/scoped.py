"""Reads that depend on school types: a school's types and a person's quick-start skills."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kollegium.accounts.models import User
from kollegium.competence.models import SchoolTypes, Skill, SkillLevel
from kollegium.competence.scope import Scope, load_scope
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Membership, Organisation


def scope() -> Scope:
    return load_scope()


def school_types_of(school: Organisation) -> tuple[frozenset[str], bool]:
    """(the school's types, whether its leader chose them). Not chosen: the types of the stages
    its people teach (empty when nobody has said: then every skill counts). Two queries."""
    chosen = SchoolTypes.objects.filter(school=school).first()
    if chosen is not None and chosen.key_set:
        return chosen.key_set, True
    stage_codes = (
        User.stages.through.objects.filter(
            user_id__in=Membership.objects.filter(school=school).values("user_id")
        )
        .values_list("stage__code", flat=True)
        .distinct()
    )
    return scope().types_for_stages(stage_codes), False


def types_for_actor(actor: Actor) -> frozenset[str]:
    """The types of every school the person works at (one or two queries per school they work
    at; people work at one or two)."""
    types: set[str] = set()
    for membership in as_actor(actor).memberships:
        types |= school_types_of(membership.school)[0]
    return frozenset(types)


def applicable(skills: QuerySet[Skill], types: frozenset[str]) -> QuerySet[Skill]:
    """Leave out the taxonomy skills that concern none of these school types (a school's own
    skills always concern it)."""
    excluded = scope().excluded(types)
    return skills.exclude(key__in=sorted(excluded)) if excluded else skills


@dataclass
class QuickRow:
    skill: Skill
    level: SkillLevel | None

    @property
    def checked(self) -> str:
        return str(self.level.level) if self.level is not None else ""


def quick_start(*, user: Actor, available: QuerySet[Skill]) -> list[QuickRow]:
    """The 8–12 skills most likely relevant to the person, with the levels they have set."""
    person = as_actor(user).person
    subjects = list(person.subjects.values_list("code", flat=True))
    stages = list(person.stages.values_list("code", flat=True))
    types = types_for_actor(user)
    skills = {s.key: s for s in available.filter(school=None, network=None)}
    keys = scope().suggest(subjects=subjects, stages=stages, types=types, available=list(skills))
    levels = {
        lvl.skill_id: lvl
        for lvl in SkillLevel.objects.filter(
            user_id=user.pk, skill_id__in=[skills[k].pk for k in keys]
        )
    }
    return [QuickRow(skills[k], levels.get(skills[k].pk)) for k in keys]


def area_filled(*, user: Actor, area_id: int) -> int:
    """How many skills of one area the person has filled in (the profile's area counter)."""
    from kollegium.competence.selectors import skills_for_user

    return skills_for_user(user).filter(area_id=area_id, levels__user_id=user.pk).count()

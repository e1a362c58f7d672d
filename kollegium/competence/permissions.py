"""Who may see and change what in the competence map.

- A person's levels are visible to colleagues at a school they share; to colleagues at schools
  in a shared network only if the person opted in (`CompetenceProfile.visible_in_network`).
- The school matrix, coverage and transfer pairs are for the school's leaders only.
- Another school's things answer 404, not 403.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.competence.models import CompetenceProfile, Skill
from kollegium.core.audience import Audience, Part
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation
from kollegium.organisations.permissions import can_manage_school, get_managed_school_or_404
from kollegium.organisations.selectors import (
    network_school_ids_for_user,
    school_ids_for_user,
)


def person_school_ids(person: User) -> set[int]:
    return as_actor(person).school_ids


def can_view_levels_of(viewer: Actor, person: User) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk:
        return True
    theirs = person_school_ids(person)
    if school_ids_for_user(viewer) & theirs:
        return True
    visible = CompetenceProfile.objects.filter(user=person, visible_in_network=True).exists()
    return visible and bool(network_school_ids_for_user(viewer) & theirs)


def levels_audience(person: User) -> Audience:
    """Who can see the person's competence levels, in words, part by part as
    ``can_view_levels_of`` decides it (the tests check they agree for each persona)."""
    theirs = person_school_ids(person)
    schools = ", ".join(
        m.school.display_name for m in as_actor(person).memberships if m.school_id in theirs
    )
    parts = [
        Part(person.full_name or person.email, lambda viewer: viewer.pk == person.pk),
        Part(
            _("everyone at %(schools)s") % {"schools": schools},
            lambda viewer: bool(school_ids_for_user(viewer) & theirs),
        ),
    ]
    if CompetenceProfile.objects.filter(user=person, visible_in_network=True).exists():
        parts.append(
            Part(
                _("everyone at the schools in a network with %(schools)s") % {"schools": schools},
                lambda viewer: bool(network_school_ids_for_user(viewer) & theirs),
            )
        )
    return Audience(tuple(parts), note=_("Levels are for finding help, never for evaluation."))


def get_person_for_user_or_404(viewer: Actor, person_id: int) -> User:
    person = get_object_or_404(User, pk=person_id, is_active=True)
    if not can_view_levels_of(viewer, person):
        raise Http404
    return person


def can_view_matrix(user: Actor, school: Organisation) -> bool:
    return can_manage_school(user, school)


def get_matrix_school_or_404(user: Actor, school_id: int) -> Organisation:
    return get_managed_school_or_404(user, school_id)


def can_use_skill(user: Actor, skill: Skill) -> bool:
    """Taxonomy skills are for everyone; custom skills for their school or network."""
    if skill.school_id is None and skill.network_id is None:
        return True
    if skill.school_id is not None:
        return skill.school_id in school_ids_for_user(user)
    network = skill.network
    return network is not None and (
        network.schools.filter(pk__in=school_ids_for_user(user)).exists()
    )

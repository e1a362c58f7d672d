"""The one place that decides who may see and change schools, teams, networks and people."""

import copy

from django.http import Http404
from django.shortcuts import get_object_or_404

from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Network, Organisation, Role, Team
from kollegium.organisations.selectors import (
    managed_school_ids_for_user,
    membership_at,
    owner_ids_for_staff,
    school_ids_for_user,
)

ASSIGNABLE_ROLES_BY_LEADER = (Role.TEACHER, Role.FACILITATOR, Role.LEADER, Role.ADMINISTRATOR)


def is_installation_admin(user: Actor) -> bool:
    return as_actor(user).is_installation_admin


def can_view_school(user: Actor, school: Organisation) -> bool:
    return is_installation_admin(user) or school.pk in school_ids_for_user(user)


def can_manage_school(user: Actor, school: Organisation) -> bool:
    """Leaders and school administrators manage their own school; installation admins any."""
    return is_installation_admin(user) or school.pk in managed_school_ids_for_user(user)


def can_facilitate_at(user: Actor, school: Organisation) -> bool:
    membership = membership_at(user, school.pk)
    return is_installation_admin(user) or bool(membership and membership.facilitates)


def can_view_owner(user: Actor, owner: Organisation) -> bool:
    """The owner's development staff (and installation admins) see aggregates across the
    owner's schools. A school membership, even as leader, gives no view of the owner."""
    if not user.is_active:
        return False
    return is_installation_admin(user) or owner.pk in owner_ids_for_staff(user)


def can_assign_role(user: Actor, school: Organisation, role: str) -> bool:
    return can_manage_school(user, school) and role in ASSIGNABLE_ROLES_BY_LEADER


def can_manage_network(user: Actor, network: Network) -> bool:
    if is_installation_admin(user):
        return True
    return network.created_by_id is not None and network.created_by_id == user.pk


def _own_school(user: Actor, school_id: int, *, managed: bool = False) -> Organisation | None:
    """The school as the person's membership there read it with the request's Actor (no query
    of its own: every school page asks), or None if they have none (or, `managed`, do not
    manage it). A copy, so a view that changes its school changes nothing the Actor holds."""
    for membership in as_actor(user).memberships:
        if membership.school_id == school_id and (not managed or membership.manages_school):
            school = membership.school
            return copy.copy(school) if school.kind == Organisation.Kind.SCHOOL else None
    return None


def get_school_for_user_or_404(user: Actor, school_id: int) -> Organisation:
    own = _own_school(user, school_id)
    if own is not None:
        return own
    school = get_object_or_404(Organisation, pk=school_id, kind=Organisation.Kind.SCHOOL)
    if not can_view_school(user, school):
        # 404, not 403: another school's existence is nobody else's business.
        raise Http404
    return school


def get_managed_school_or_404(user: Actor, school_id: int) -> Organisation:
    own = _own_school(user, school_id, managed=True)
    if own is not None:
        return own
    school = get_object_or_404(Organisation, pk=school_id, kind=Organisation.Kind.SCHOOL)
    if not can_manage_school(user, school):
        raise Http404
    return school


def get_team_for_manager_or_404(user: Actor, team_id: int) -> Team:
    team = get_object_or_404(Team.objects.select_related("school"), pk=team_id)
    if not can_manage_school(user, team.school):
        raise Http404
    return team


def get_owner_for_staff_or_404(user: Actor, owner_id: int) -> Organisation:
    owner = get_object_or_404(Organisation, pk=owner_id, kind=Organisation.Kind.OWNER)
    if not can_view_owner(user, owner):
        raise Http404
    return owner

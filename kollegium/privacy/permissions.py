"""Who may export, erase and set the privacy rules.

- Everyone signed in exports their own data, and only they download it.
- A school's leaders and administrators (and installation administrators) schedule, cancel and
  run erasures of people at that school, never of themselves.
- The owner's development staff (and installation administrators) set the owner's erasure and
  retention rules.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Membership, Organisation
from kollegium.organisations.permissions import (
    can_manage_school,
    can_view_owner,
    get_managed_school_or_404,
    get_owner_for_staff_or_404,
    is_installation_admin,
)
from kollegium.privacy.models import DataExport, ErasureRequest


def can_export(actor: Actor) -> bool:
    return actor.is_authenticated and actor.is_active


def get_export_for_person_or_404(actor: Actor, export_id: int) -> DataExport:
    return get_object_or_404(DataExport, pk=export_id, person_id=actor.pk)


def can_erase(actor: Actor, school: Organisation, person_id: int) -> bool:
    """Managers of the school erase the people who work there, never themselves."""
    return (
        person_id != actor.pk
        and can_manage_school(actor, school)
        and Membership.objects.filter(school=school, user_id=person_id).exists()
    )


def get_school_for_erasures_or_404(actor: Actor, school_id: int) -> Organisation:
    return get_managed_school_or_404(actor, school_id)


def can_manage_erasure(actor: Actor, erasure: ErasureRequest) -> bool:
    """The school's managers (installation administrators for one without a school)."""
    if erasure.person_id == actor.pk:
        return False
    if erasure.school is None:
        return is_installation_admin(actor)
    return can_manage_school(actor, erasure.school)


def get_erasure_for_manager_or_404(actor: Actor, erasure_id: int) -> ErasureRequest:
    erasure = get_object_or_404(
        ErasureRequest.objects.select_related("school", "person"), pk=erasure_id
    )
    if not can_manage_erasure(actor, erasure):
        raise Http404
    return erasure


def can_set_rules(actor: Actor, owner: Organisation) -> bool:
    return can_view_owner(actor, owner)


def get_owner_for_rules_or_404(actor: Actor, owner_id: int) -> Organisation:
    return get_owner_for_staff_or_404(actor, owner_id)

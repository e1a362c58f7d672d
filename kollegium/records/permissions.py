"""Who may read the audit log and answer a records request (pure predicates and 404 helpers).

Installation administrators read everything; a school owner's staff the events of the owner
and its schools; a school's leaders and administrators their school's. Anyone else gets 404,
as for another school's things.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from kollegium.groups.models import LearningGroup
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation
from kollegium.organisations.permissions import get_managed_school_or_404


def can_read_audit(user: Actor) -> bool:
    actor = as_actor(user)
    if not actor.is_authenticated or not actor.is_active:
        return False
    return actor.is_installation_admin or bool(actor.managed_school_ids or actor.staff_owner_ids)


def require_audit_reader(user: Actor) -> Actor:
    """The acting person if they may read an audit log; 404 otherwise."""
    actor = as_actor(user)
    if not can_read_audit(actor):
        raise Http404
    return actor


def can_answer_records_requests(user: Actor, school: Organisation) -> bool:
    """A school's leaders and administrators (and installation administrators) answer
    requests for its official records."""
    actor = as_actor(user)
    return actor.is_installation_admin or school.pk in actor.managed_school_ids


def get_records_school_or_404(user: Actor, school_id: int) -> Organisation:
    return get_managed_school_or_404(as_actor(user), school_id)


def get_records_group_or_404(school: Organisation, group_id: int) -> LearningGroup:
    return get_object_or_404(LearningGroup, pk=group_id, school=school)

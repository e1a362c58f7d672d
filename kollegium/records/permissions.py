"""Who may read the audit log and answer a records request (pure predicates and 404 helpers).

Installation administrators read everything; a school owner's staff the events of the owner
and its schools; a school's leaders and administrators their school's. Anyone else gets 404,
as for another school's things.
"""

from __future__ import annotations

from django.http import Http404

from kollegium.organisations.actor import Actor, as_actor


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

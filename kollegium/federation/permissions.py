"""Who may connect the federation and allow identity providers: installation administrators
(an IdP decides who may sign in into an owner's schools, so it is the installation's)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kollegium.organisations.actor import Actor, as_actor


def can_manage_federation(actor: Actor | None) -> bool:
    if actor is None:
        return False
    actor = as_actor(actor)
    return actor.is_authenticated and actor.is_installation_admin


def require_manage_federation(actor: Actor | None) -> None:
    """None is the system itself (the management command and the scheduled task)."""
    if actor is not None and not can_manage_federation(actor):
        raise PermissionDenied

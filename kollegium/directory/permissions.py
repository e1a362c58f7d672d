"""Who may connect and run the school owner's systems: installation administrators.

The sources hold an access token to every staff member's record at the owner, so they are
the installation's, not a school's: a school leader manages people by invitation instead.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kollegium.organisations.actor import Actor, as_actor


def can_manage_sources(actor: Actor) -> bool:
    actor = as_actor(actor)
    return actor.is_authenticated and actor.is_installation_admin


def require_manage_sources(actor: Actor) -> None:
    if not can_manage_sources(actor):
        raise PermissionDenied

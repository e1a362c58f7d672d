"""Who may see what in the insights app.

- A school's page (aggregates, the promise, the term report): its leaders and administrators
  (and installation administrators); anyone else gets 404.
- An owner's comparison: the owner's development staff; anyone else gets 404.
- A person's own ledger: that person only (there is no URL for anyone else's).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from kollegium.insights.models import TimePromise
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Organisation
from kollegium.organisations.permissions import (
    can_manage_school,
    get_managed_school_or_404,
    get_owner_for_staff_or_404,
)

__all__ = [
    "can_set_promise",
    "get_managed_school_or_404",
    "get_owner_for_staff_or_404",
    "get_promise_for_manager_or_404",
]


def can_set_promise(actor: Actor, school: Organisation) -> bool:
    return can_manage_school(actor, school)


def get_promise_for_manager_or_404(
    actor: Actor, school: Organisation, promise_id: int
) -> TimePromise:
    promise = get_object_or_404(TimePromise, pk=promise_id, school=school)
    if not can_set_promise(actor, school):
        raise Http404
    return promise

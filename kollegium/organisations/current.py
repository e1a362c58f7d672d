"""The school a person is working in right now.

A person at several schools switches between them; the choice is kept in the session. Call
`current_membership(request)` / `current_school(request)`; both return None for people without
a school (installation administrators, say) and cache on the request.
"""

from typing import Any

from django.http import HttpRequest

from kollegium.organisations.actor import actor_of

SESSION_KEY = "kollegium_school_id"
_UNSET = object()


def current_membership(request: HttpRequest) -> Any:
    cached = getattr(request, "_kollegium_membership", _UNSET)
    if cached is not _UNSET:
        return cached
    memberships = actor_of(request).memberships
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    membership = next((m for m in memberships if m.school_id == chosen), None)
    if membership is None and memberships:
        membership = memberships[0]
    request._kollegium_membership = membership  # type: ignore[attr-defined]
    return membership


def current_school(request: HttpRequest) -> Any:
    membership = current_membership(request)
    return membership.school if membership else None


def choose_school(request: HttpRequest, school_id: int) -> bool:
    if actor_of(request).membership_at(school_id) is not None:
        request.session[SESSION_KEY] = school_id
        request.__dict__.pop("_kollegium_membership", None)
        return True
    return False

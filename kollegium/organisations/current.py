"""The school a person is working in right now.

A person at several schools switches between them; the choice is kept in the session. Call
`current_membership(request)` / `current_school(request)`; both return None for people without
a school (installation administrators, say) and cache on the request.
"""

from django.http import HttpRequest

from kollegium.organisations.actor import actor_of
from kollegium.organisations.models import Membership, Organisation

SESSION_KEY = "kollegium_school_id"
_REQUEST_KEY = "_kollegium_membership"


def current_membership(request: HttpRequest) -> Membership | None:
    if _REQUEST_KEY in request.__dict__:
        cached: Membership | None = request.__dict__[_REQUEST_KEY]
        return cached
    memberships = actor_of(request).memberships
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    membership = next((m for m in memberships if m.school_id == chosen), None)
    if membership is None and memberships:
        membership = memberships[0]
    request.__dict__[_REQUEST_KEY] = membership
    return membership


def current_school(request: HttpRequest) -> Organisation | None:
    membership = current_membership(request)
    return membership.school if membership else None


def choose_school(request: HttpRequest, school_id: int) -> bool:
    if actor_of(request).membership_at(school_id) is not None:
        request.session[SESSION_KEY] = school_id
        request.__dict__.pop(_REQUEST_KEY, None)
        return True
    return False

"""Keeps an external guest to the pages they were let in to (issue 15).

A guest has no school: most pages would show them nothing anyway, but a page that is empty
for them still tells them what Kollegium holds. So for a signed-in person with no school
membership and an active guest grant (or one that has ended), every URL except their group's
or meeting's pages and a few of their own answers 404; the home page sends them to their
guest page.

Which sessions to look at is decided once, at sign-in (``mark_guest_session``, on Django's
``user_logged_in`` signal, which every way of signing in sends): a person with guest
invitations and no school gets a mark in their session. Everyone else passes straight through
without a query.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from kollegium.organisations.actor import actor_of
from kollegium.recognition import permissions

GUEST_SESSION_KEY = "kollegium_guest"


def mark_guest_session(
    sender: object, request: HttpRequest | None, user: object, **_: object
) -> None:
    """On sign-in: mark the session of a person who has been a guest and has no school."""
    from kollegium.organisations.models import Membership
    from kollegium.recognition.models import GuestInvitation

    pk = getattr(user, "pk", None)
    if request is None or pk is None or getattr(user, "is_staff", False):
        return
    if (
        GuestInvitation.objects.filter(guest_id=pk).exists()
        and not Membership.objects.filter(user_id=pk).exists()
    ):
        request.session[GUEST_SESSION_KEY] = True


class GuestScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.session.get(GUEST_SESSION_KEY):
            return self.get_response(request)
        actor = actor_of(request)
        if (
            actor.is_authenticated
            and not actor.is_staff
            and not actor.memberships
            and (permissions.is_guest(actor) or permissions.is_outsider_without_access(actor))
        ):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            if match.view_name == "core:home":
                return redirect("recognition:guest_home")
            if not permissions.guest_may_open(actor, match, request.method or "GET"):
                raise Http404
        return self.get_response(request)

"""Who may see and do what in the recognition app.

- Thanks: anyone at a school thanks a colleague at a school they share a network with (never
  themselves). The receiver sees every note to them; a note is on their profile only if they
  put it there, and then colleagues who may see the profile see it.
- "What I have contributed": the person; colleagues at the person's schools only if the person
  shares it. Nobody else, and no list of everyone's.
- The portfolio (PDF, JSON): the person only.
- Guests: a group's facilitators invite and remove guests of their group. A guest (a person
  with no school membership) sees only the group's pages, or one meeting's, until access ends,
  and every other page answers 404 (``guest_may_open``, applied by the middleware).
- Confirmations: a group's facilitators confirm its members; the confirmation is its person's.
- Verifying a credential, the public keys: anyone, signed in or not.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import ResolverMatch

from kollegium.accounts.models import User
from kollegium.core.guests import NONE, GuestGrants
from kollegium.groups.models import LearningGroup
from kollegium.groups.permissions import (
    can_manage_group,
    get_group_for_user_or_404,
    is_member,
)
from kollegium.organisations.actor import Actor, as_actor, on_forget
from kollegium.organisations.selectors import colleague_ids
from kollegium.recognition.models import Confirmation, GuestInvitation

__all__ = ["get_group_for_user_or_404"]

_grants: WeakKeyDictionary[Actor, GuestGrants] = WeakKeyDictionary()


def guest_grants_of(person: Actor) -> GuestGrants:
    """A person's active guest grants, read once per Actor. People with a school membership
    (or installation administrators) are never guests, and cost no query here."""
    from kollegium.recognition.selectors import grants_of

    actor = as_actor(person)
    if not actor.is_authenticated or actor.is_staff or actor.memberships:
        return NONE
    grants = _grants.get(actor)
    if grants is None:
        rows = list(grants_of(actor).values_list("group_id", "meeting_id"))
        grants = GuestGrants(
            group_ids=frozenset(g for g, m in rows if m is None),
            meeting_ids=frozenset(m for _g, m in rows if m is not None),
        )
        _grants[actor] = grants
    return grants


def _forget(actor: Actor) -> None:
    _grants.pop(actor, None)


on_forget(_forget)


def is_guest(person: Actor) -> bool:
    """A guest: signed in, no school, at least one active grant."""
    return bool(guest_grants_of(person))


def is_outsider_without_access(person: Actor) -> bool:
    """Signed in, no school, not staff, and no active grant: an expired or removed guest."""
    actor = as_actor(person)
    return (
        actor.is_authenticated
        and not actor.is_staff
        and not actor.memberships
        and not guest_grants_of(actor)
        and GuestInvitation.objects.filter(guest_id=actor.pk).exists()
    )


#: URL names a guest may open whatever their grant (signing out, their own guest page, the
#: language switch, the public verification pages).
GUEST_OPEN = frozenset(
    {
        "account_logout",
        "recognition:guest_home",
        "recognition:guest_accept",
        "recognition:verify",
        "jwks",
        "did_document",
        "accounts:set_language",
        "core:about",
        "healthz",
    }
)
#: Group pages a guest of the group may read (GET only), by the URL's group parameter.
GUEST_GROUP_PAGES = frozenset({"groups:detail", "groups:evidence"})
#: Meeting pages a guest of the meeting (or of its group) may read, by the meeting parameter.
GUEST_MEETING_PAGES = frozenset({"groups:meeting"})


def guest_may_open(person: Actor, match: ResolverMatch, method: str) -> bool:
    """Whether a guest may open this URL: only their group's or meeting's pages, reading."""
    if match.view_name in GUEST_OPEN:
        return True
    if method not in ("GET", "HEAD"):
        return False
    grants = guest_grants_of(person)
    if match.view_name in GUEST_GROUP_PAGES:
        return _int(match.kwargs.get("pk") or match.kwargs.get("group_id")) in grants.group_ids
    if match.view_name in GUEST_MEETING_PAGES:
        meeting_id = _int(match.kwargs.get("pk") or match.kwargs.get("meeting_id"))
        if meeting_id is None:
            return False
        if meeting_id in grants.meeting_ids:
            return True
        from kollegium.groups.models import Meeting

        return Meeting.objects.filter(pk=meeting_id, group_id__in=grants.group_ids).exists()
    return False


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


# --- thanks and contributions ---------------------------------------------------------------


def can_thank(actor: Actor, receiver: User) -> bool:
    a = as_actor(actor)
    if not a.is_authenticated or not a.memberships or receiver.pk == a.pk:
        return False
    return colleague_ids(user=a, scope="network").filter(user_id=receiver.pk).exists()


def can_view_contributions(actor: Actor, person: User, shared: bool) -> bool:
    a = as_actor(actor)
    if not a.is_authenticated:
        return False
    if a.pk == person.pk:
        return True
    return shared and colleague_ids(user=a, scope="school").filter(user_id=person.pk).exists()


def get_colleague_or_404(actor: Actor, user_id: int) -> User:
    person = get_object_or_404(User, pk=user_id, is_active=True)
    if (
        person.pk != as_actor(actor).pk
        and not colleague_ids(user=as_actor(actor), scope="network")
        .filter(user_id=person.pk)
        .exists()
    ):
        raise Http404
    return person


# --- guests and confirmations ---------------------------------------------------------------


def can_invite_guests(actor: Actor, group: LearningGroup) -> bool:
    return can_manage_group(actor, group)


def can_confirm(actor: Actor, group: LearningGroup, person: User) -> bool:
    """A facilitator confirms another member of their group (never themselves)."""
    return (
        can_manage_group(actor, group)
        and person.pk != as_actor(actor).pk
        and is_member(as_actor(person), group)
    )


def get_managed_group_or_404(actor: Actor, group_id: int) -> LearningGroup:
    group = get_group_for_user_or_404(actor, group_id)
    if not can_manage_group(actor, group):
        raise Http404
    return group


def get_guest_invitation_or_404(actor: Actor, pk: int) -> GuestInvitation:
    invitation = get_object_or_404(GuestInvitation.objects.select_related("group"), pk=pk)
    get_managed_group_or_404(actor, invitation.group_id)
    return invitation


def get_confirmation_for_person_or_404(actor: Actor, pk: int) -> Confirmation:
    confirmation = get_object_or_404(
        Confirmation.objects.select_related("group"), pk=pk, person_id=as_actor(actor).pk
    )
    return confirmation

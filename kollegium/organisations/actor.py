"""The acting person: one typed object per request, passed as ``actor`` / ``viewer``.

An ``Actor`` holds the person (a stored ``User``, or ``AnonymousUser`` before sign-in) and
reads their memberships, schools and roles lazily, each once, so that every permission check,
selector and service in a request shares the same few queries. Nothing is stored on the user
object.

- Views: ``actor_of(request)`` (built once per request and kept on it).
- Commands, tasks, tests: ``as_actor(user)`` (an Actor is returned unchanged).
- Data that organisations cannot know about (a person's roles in learning groups, say) lives
  in the owning app, keyed on the Actor (``weakref.WeakKeyDictionary[Actor, ...]``; Actors
  compare by identity, so one request's Actor never sees another's cache).
- A service that changes the acting person's memberships calls ``actor.forget()``.

Services accept the Actor their caller built. They call ``as_actor`` on it where they need
the stored person (``actor.person``), so commands, tasks and tests may also hand in a ``User``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from kollegium.accounts.models import User
from kollegium.core.acting import ActingPerson
from kollegium.organisations.models import (
    Membership,
    NetworkMembership,
    Organisation,
    OwnerStaff,
)

_CACHED = (
    "memberships",
    "school_ids",
    "managed_school_ids",
    "network_school_ids",
    "staff_owners",
    "staff_owner_ids",
)


@dataclass(eq=False)
class Actor:
    """The acting person with their memberships, schools and roles, each read once."""

    user: User | AnonymousUser

    def __repr__(self) -> str:
        return f"Actor({self.user!r})"

    # --- the person ------------------------------------------------------------------------

    @property
    def pk(self) -> int:
        """The person's id; 0 for an anonymous visitor, so a lookup by it matches no row."""
        return int(self.user.pk or 0)

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated)

    @property
    def is_active(self) -> bool:
        return bool(getattr(self.user, "is_active", False))

    @property
    def is_staff(self) -> bool:
        return bool(getattr(self.user, "is_staff", False))

    @property
    def is_installation_admin(self) -> bool:
        """An installation administrator: signed in, active and staff."""
        return self.is_authenticated and self.is_active and self.is_staff

    @property
    def preferred_language(self) -> str:
        return str(getattr(self.user, "preferred_language", "") or "sv")

    @property
    def person(self) -> User:
        """The stored, signed-in person (what a service writes as author, creator, member)."""
        if not isinstance(self.user, User):
            raise PermissionDenied
        return self.user

    # --- schools and roles -----------------------------------------------------------------

    @cached_property
    def memberships(self) -> list[Membership]:
        """Memberships with their schools (and owners), ordered by school name."""
        if not self.is_authenticated:
            return []
        return list(
            Membership.objects.filter(user_id=self.pk)
            .select_related("school", "school__parent")
            .order_by("school__name")
        )

    @cached_property
    def school_ids(self) -> set[int]:
        return {m.school_id for m in self.memberships}

    @cached_property
    def managed_school_ids(self) -> set[int]:
        """Schools the person leads or administers."""
        return {m.school_id for m in self.memberships if m.manages_school}

    @cached_property
    def network_school_ids(self) -> set[int]:
        """The person's schools and every school sharing a network with one of them."""
        own = self.school_ids
        if not own:
            return set()
        network_ids = NetworkMembership.objects.filter(school_id__in=own).values("network_id")
        return own | set(
            NetworkMembership.objects.filter(network_id__in=network_ids).values_list(
                "school_id", flat=True
            )
        )

    @cached_property
    def staff_owners(self) -> list[Organisation]:
        """The school owners the person is development staff of."""
        if not self.is_authenticated:
            return []
        return list(
            Organisation.objects.filter(
                kind=Organisation.Kind.OWNER,
                pk__in=OwnerStaff.objects.filter(user_id=self.pk).values("owner_id"),
            ).order_by("name")
        )

    @cached_property
    def staff_owner_ids(self) -> set[int]:
        return {owner.pk for owner in self.staff_owners}

    def membership_at(self, school_id: int | None) -> Membership | None:
        for membership in self.memberships:
            if membership.school_id == school_id:
                return membership
        return None

    def forget(self) -> None:
        """Read memberships, schools, staff roles and every app's data (its ``on_forget``
        hook) again on next use: after a service changed who the person is in context."""
        for name in _CACHED:
            self.__dict__.pop(name, None)
        for hook in _forget_hooks:
            hook(self)


_forget_hooks: list[Callable[[Actor], None]] = []


def on_forget(hook: Callable[[Actor], None]) -> None:
    """An app that keeps data per Actor drops it when the Actor is told to forget."""
    if hook not in _forget_hooks:
        _forget_hooks.append(hook)


def as_actor(person: Actor | AbstractBaseUser | AnonymousUser | ActingPerson) -> Actor:
    """The person as an Actor (an Actor is returned unchanged)."""
    if isinstance(person, Actor):
        return person
    if isinstance(person, User | AnonymousUser):
        return Actor(user=person)
    raise TypeError(f"not a person: {person!r}")


_REQUEST_KEY = "_kollegium_actor"
_NOBODY = AnonymousUser()  # for a request the authentication middleware has not seen


def actor_of(request: HttpRequest) -> Actor:
    """The request's acting person, built once per request (again after sign-in or out)."""
    user = getattr(request, "user", _NOBODY)
    actor: Actor | None = request.__dict__.get(_REQUEST_KEY)
    if actor is None or actor.user is not user:
        actor = Actor(user=user)  # type: ignore[arg-type]  # AUTH_USER_MODEL is accounts.User
        request.__dict__[_REQUEST_KEY] = actor
    return actor

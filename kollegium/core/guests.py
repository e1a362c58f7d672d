"""External guests (issue 15): which groups and meetings a guest may see, asked by the apps
that own those pages (groups' permissions) and answered by the app that keeps the guest
invitations (recognition), higher up, which registers itself here.

A guest is a person with no membership of any school, let into one learning group or one
meeting for a limited period. Without a registered source nobody is a guest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kollegium.core.acting import ActingPerson


@dataclass(frozen=True)
class GuestGrants:
    """What a person may see as a guest now: whole groups, and single meetings."""

    group_ids: frozenset[int] = frozenset()
    meeting_ids: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.group_ids or self.meeting_ids)


NONE = GuestGrants()
_sources: list[Callable[[ActingPerson], GuestGrants]] = []


def register_guest_grants(source: Callable[[ActingPerson], GuestGrants]) -> None:
    _sources[:] = [source]


def guest_grants(actor: ActingPerson) -> GuestGrants:
    """The person's active guest grants (read once per Actor by the source), or none."""
    if not _sources or not actor.is_authenticated:
        return NONE
    return _sources[0](actor)

"""From common free time to a meeting.

Scheduling sits below the apps that own meetings, so it does not import them: the groups app
registers a ``MeetingPlanner`` here (in its hooks.py) that lists the groups a person may
schedule for and schedules a meeting with the groups' own service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from kollegium.organisations.actor import Actor


@dataclass(frozen=True)
class MeetingGroup:
    """A group the acting person may schedule a meeting for (its facilitator)."""

    key: int
    name: str
    member_ids: tuple[int, ...]
    place: str = ""  # where it met last, to suggest


class MeetingPlanner(Protocol):
    def groups_for(self, actor: Actor) -> list[MeetingGroup]: ...

    def schedule(
        self, *, actor: Actor, group_key: int, starts_at: datetime, minutes: int, place: str,
        video_url: str,
    ) -> str:  # fmt: skip
        """Schedule the group's meeting (one call of the owning app's service); its address."""
        ...


_planner: list[MeetingPlanner] = []


def register_meeting_planner(planner: MeetingPlanner) -> None:
    _planner[:] = [planner]


def meeting_planner() -> MeetingPlanner | None:
    return _planner[0] if _planner else None

"""The groups' side of "from free time to a meeting" (registered in hooks.py): the groups a
person facilitates, and scheduling one of their meetings with ``meeting_schedule``."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kollegium.groups.models import GroupMembership, LearningGroup, Meeting
from kollegium.groups.services.meetings import meeting_schedule
from kollegium.organisations.actor import Actor
from kollegium.scheduling.meetings import MeetingGroup


class GroupMeetingPlanner:
    def groups_for(self, actor: Actor) -> list[MeetingGroup]:
        """The groups the person facilitates, with members and last place (three queries)."""
        if not actor.is_authenticated:
            return []
        ids = GroupMembership.objects.filter(
            user_id=actor.pk, role=GroupMembership.Role.FACILITATOR
        ).values("group_id")
        groups = list(
            LearningGroup.objects.filter(pk__in=ids)
            .prefetch_related("memberships")
            .order_by("name", "pk")
        )
        places: dict[int, str] = {}
        rows = (
            Meeting.objects.filter(group__in=groups)
            .exclude(place="")
            .order_by("group_id", "-starts_at")
            .values_list("group_id", "place")
        )
        for group_id, place in rows:
            places.setdefault(group_id, place)
        return [
            MeetingGroup(
                key=group.pk,
                name=group.name,
                member_ids=tuple(m.user_id for m in group.memberships.all()),
                place=places.get(group.pk, ""),
            )
            for group in groups
        ]

    def schedule(
        self, *, actor: Actor, group_key: int, starts_at: datetime, minutes: int, place: str,
        video_url: str,
    ) -> str:  # fmt: skip
        group = LearningGroup.objects.filter(pk=group_key).first()
        if group is None:
            raise PermissionDenied
        meeting = meeting_schedule(
            actor=actor, group=group, starts_at=starts_at, duration_minutes=minutes,
            place=place, video_url=video_url,
        )  # fmt: skip
        return reverse("groups:meeting", args=[meeting.pk])

"""Builders for learning-group tests (real database, real services)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from kollegium.groups import services
from kollegium.groups.models import Commitment, GroupMembership, LearningGroup, Meeting, MethodGuide
from kollegium.groups.services.guides import shipped_guide_files


def make_group(world, *, slug="tlc", members=None, facilitator=None, **kwargs) -> LearningGroup:
    """A group at School A created by Carol (facilitator) with Bob as a member."""
    facilitator = facilitator or world.carol
    members = [world.bob] if members is None else members
    today = timezone.localdate()
    return services.group_create(
        actor=facilitator,
        school=kwargs.pop("school", world.school_a),
        name=kwargs.pop("name", "Formativ bedömning åk 4–6"),
        guide=services.shipped_guide(slug),
        member_ids=[m.pk for m in members],
        starts_on=kwargs.pop("starts_on", today - timedelta(days=30)),
        ends_on=kwargs.pop("ends_on", today + timedelta(days=300)),
        **kwargs,
    )


def past_meeting(group: LearningGroup, days_ago: int, *, phase="monthly", hour=15) -> Meeting:
    """A meeting in the past, created directly (the service refuses past dates, rightly)."""
    start = timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0) - timedelta(
        days=days_ago
    )
    guide = group.guide.parsed
    return Meeting.objects.create(
        group=group,
        starts_at=start,
        ends_at=start + timedelta(minutes=95),
        place="Rum 12",
        phase_key=phase,
        meeting_type_key=guide.phase(phase).meeting_type,
        status=Meeting.Status.HELD,
        minutes="Vi pratade om exit tickets.",
    )


def commitment(meeting: Meeting, user, text="Pröva exit tickets i 5B", due: date | None = None):
    return Commitment.objects.create(
        group=meeting.group,
        meeting=meeting,
        user=user,
        text=text,
        due_on=due or (timezone.localdate(meeting.starts_at) + timedelta(days=20)),
    )


def add_member(group: LearningGroup, user) -> GroupMembership:
    return GroupMembership.objects.create(group=group, user=user)


_PEOPLE = itertools.count(1)


def colleagues(world, count: int, *, prefix: str = "talare") -> list:
    """More teachers at School A (for filling talk slots)."""
    from kollegium.core.testing.factories import teacher_at
    from kollegium.organisations.models import Role

    people = []
    for _i in range(count):
        n = next(_PEOPLE)
        people.append(
            teacher_at(
                world.school_a,
                Role.TEACHER,
                email=f"{prefix}{n}@a.example",
                full_name=f"Talare {n}",
            )
        )
    return people


def teachmeet(group: LearningGroup, *, days: int = 7, by=None) -> Meeting:
    """A planned TeachMeet of a workshop group, scheduled by its facilitator (Carol)."""
    facilitator = by or group.memberships.get(role=GroupMembership.Role.FACILITATOR).user
    start = (timezone.now() + timedelta(days=days)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    return services.meeting_schedule(
        actor=facilitator, group=group, starts_at=start, place="Aulan", phase_key="teachmeet"
    )


def workshop_v1_source() -> str:
    """The shipped workshop guide as it was in version 1, before talk_minutes existed."""
    _guide, text = shipped_guide_files()["workshop"]
    lines = [
        line
        for line in text.splitlines()
        if "talk_minutes:" not in line and "speaker_list_for:" not in line
    ]
    return "\n".join(lines).replace("version: 2", "version: 1", 1)


def group_on_the_first_workshop_guide(world) -> LearningGroup:
    """A group that started on the shipped workshop guide's version 1 (no talk lengths)."""
    row = MethodGuide.objects.create(
        slug="workshop",
        version=1,
        method="workshop",
        title_sv="Workshop / TeachMeet",
        title_en="Workshop / TeachMeet",
        source=workshop_v1_source(),
    )
    return services.group_create(
        actor=world.carol,
        school=world.school_a,
        name="Gammal TeachMeet",
        guide=row,
        member_ids=[world.bob.pk],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=100),
    )

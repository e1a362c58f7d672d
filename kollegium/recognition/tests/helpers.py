"""Builders for recognition tests: a group with held meetings Bob attended."""

from __future__ import annotations

from kollegium.groups.models import Attendance, LearningGroup, Meeting
from kollegium.groups.tests.helpers import make_group, past_meeting


def group_with_meetings(world, count: int = 2) -> tuple[LearningGroup, list[Meeting]]:
    group = make_group(world)
    meetings = [past_meeting(group, days_ago=20 - 7 * i) for i in range(count)]
    for meeting in meetings:
        Attendance.objects.create(meeting=meeting, user=world.bob, present=True)
        Attendance.objects.create(meeting=meeting, user=world.carol, present=True)
    return group, meetings

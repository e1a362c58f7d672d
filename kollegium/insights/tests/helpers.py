"""Builders for the insights tests: held meetings with attendance, observations, groups."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from kollegium.groups.models import Attendance, GroupMembership, LearningGroup, Meeting
from kollegium.groups.services.guides import shipped_guide
from kollegium.observations.models import Observation, ObservationStatus


def aware(day: date, hour: int = 15) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def make_group(
    school,
    members,
    *,
    name="Lärgrupp",
    slug="tlc",
    starts_on=None,
    ends_on=None,
    focus=None,
    interval_days=28,
):
    guide = shipped_guide(slug)
    today = timezone.localdate()
    group = LearningGroup.objects.create(
        name=name,
        school=school,
        guide=guide,
        focus=focus,
        interval_days=interval_days,
        starts_on=starts_on or today - timedelta(days=200),
        ends_on=ends_on or today + timedelta(days=200),
    )
    for person in members:
        GroupMembership.objects.create(group=group, user=person)
    return group


def hold_meeting(group, day: date, present, *, meeting_type=None, status=Meeting.Status.HELD):
    guide = group.guide.parsed
    phase = max(guide.phases, key=lambda p: p.meetings)
    meeting = Meeting.objects.create(
        group=group,
        starts_at=aware(day),
        ends_at=aware(day, 17),
        phase_key=phase.key,
        meeting_type_key=meeting_type or phase.meeting_type,
        status=status,
    )
    for person in present:
        Attendance.objects.create(meeting=meeting, user=person, present=True)
    return meeting


def agenda_minutes(group) -> int:
    guide = group.guide.parsed
    phase = max(guide.phases, key=lambda p: p.meetings)
    return guide.meeting_type(phase.meeting_type).total_minutes


def observe(school, observer, observed, day: date, *, debrief_minutes=0, status=None):
    start = aware(day, 10)
    return Observation.objects.create(
        school=school,
        observer=observer,
        observed=observed,
        requested_by="observer",
        start=start,
        end=start + timedelta(minutes=60),
        form_key="stars_and_wish",
        status=status
        or (ObservationStatus.DEBRIEFED if debrief_minutes else ObservationStatus.DONE),
        debrief_start=start + timedelta(hours=2) if debrief_minutes else None,
        debrief_end=start + timedelta(hours=2, minutes=debrief_minutes)
        if debrief_minutes
        else None,
    )

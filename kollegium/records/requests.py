"""Reads for a records request (begäran om allmän handling): a school's or group's official
records for a period. Only what has left the group counts: minutes and decisions of groups
whose minutes are shared beyond their members, and proven-practice conclusions published to
the library. Working material (members-only minutes, unpublished conclusions, commitments,
reflections, observation notes) is never read here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from kollegium.groups.models import Conclusion, LearningGroup, Meeting, MinutesSharing
from kollegium.organisations.models import Organisation

#: Minutes shared this way are official records; "members" keeps them working material.
OFFICIAL_SHARING = (MinutesSharing.LEADERS, MinutesSharing.SCHOOL)


def groups_of_school(*, school: Organisation) -> QuerySet[LearningGroup]:
    return LearningGroup.objects.filter(school=school).order_by("name", "pk")


@dataclass(frozen=True)
class MinutesRecord:
    date: datetime
    group: str
    minutes: str
    decisions: str


@dataclass(frozen=True)
class ConclusionRecord:
    date: datetime
    group: str
    title: str
    tried: str
    evidence: str
    conclusion: str


@dataclass(frozen=True)
class RecordsRequest:
    school: Organisation
    group: LearningGroup | None
    since: date
    until: date
    minutes: list[MinutesRecord]
    conclusions: list[ConclusionRecord]

    @property
    def count(self) -> int:
        return len(self.minutes) + len(self.conclusions)


def _bounds(since: date, until: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    return start, end


def official_records(
    *, school: Organisation, group: LearningGroup | None, since: date, until: date
) -> RecordsRequest:
    """The official records of the school (or one of its groups) dated in the period (both
    days included), oldest first, in two queries. The caller checks who may ask."""
    start, end = _bounds(since, until)
    groups = Q(group__school=school) if group is None else Q(group=group)
    meetings = (
        Meeting.objects.filter(groups, starts_at__gte=start, starts_at__lt=end)
        .filter(group__minutes_sharing__in=OFFICIAL_SHARING)
        .exclude(minutes="", decisions="")
        .select_related("group")
        .order_by("starts_at", "pk")
    )
    conclusions = (
        Conclusion.objects.filter(groups, published_at__gte=start, published_at__lt=end)
        .select_related("group")
        .order_by("published_at", "pk")
    )
    return RecordsRequest(
        school=school,
        group=group,
        since=since,
        until=until,
        minutes=[
            MinutesRecord(m.starts_at, m.group.name, m.minutes, m.decisions) for m in meetings
        ],
        conclusions=[
            ConclusionRecord(
                c.published_at or c.created_at,
                c.group.name,
                c.title,
                c.tried,
                c.evidence,
                c.conclusion,
            )
            for c in conclusions
        ],
    )

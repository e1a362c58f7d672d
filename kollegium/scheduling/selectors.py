"""Reads for scheduling. Other apps use ``busy_intervals_for``, ``lessons_for`` and
``common_free_slots``; everything else is scoped to the acting person."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.utils import timezone as django_timezone
from django.utils.translation import get_language, gettext

from kollegium.accounts.models import User
from kollegium.core.registry import calendar_events_for_many
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Membership, Team
from kollegium.organisations.selectors import school_ids_for_user

from .core import freetime
from .core.lessons import TEACHER
from .core.lessons import default_rules as lesson_rules
from .models import (
    CalendarFeed,
    DedicatedTime,
    EntryKind,
    Source,
    TimetableEntry,
    TimetableImport,
    TimetableSubscription,
)

DEDICATED_CATEGORY = "kollegium-dedicated-time"

Interval = tuple[datetime, datetime]


def _ids(users: Iterable[Any]) -> list[int]:
    return sorted({int(getattr(u, "pk", u)) for u in users})


def own_entries(*, actor: Actor, start: datetime, end: datetime) -> list[TimetableEntry]:
    return list(
        TimetableEntry.objects.filter(user_id=actor.pk, start__lt=end, end__gt=start).order_by(
            "start", "pk"
        )
    )


def own_entry_count(*, actor: Actor) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for source in TimetableEntry.objects.filter(user_id=actor.pk).values_list("source", flat=True):
        counts[source] += 1
    return dict(counts)


def own_subscription(*, actor: Actor) -> TimetableSubscription | None:
    return TimetableSubscription.objects.filter(user_id=actor.pk).first()


def own_imports(*, actor: Actor, limit: int = 5) -> list[TimetableImport]:
    return list(TimetableImport.objects.filter(user_id=actor.pk)[:limit])


def reason_label(reason: str) -> str:
    """Why an entry is or is not a lesson, in the person's language."""
    if reason == TEACHER:
        return gettext("Corrected by you")
    if reason == "ss12000":
        return gettext("Activity type in the timetable system")
    if reason in ("", "lesson"):
        return gettext("Lesson")
    return lesson_rules().label(reason, get_language() or "sv") or reason


@dataclass(frozen=True)
class SeriesRow:
    series_key: str
    title: str
    first: datetime
    count: int
    is_lesson: bool
    reason: str

    @property
    def reason_label(self) -> str:
        return reason_label(self.reason)


def own_classification(*, actor: Actor, limit: int = 300) -> dict[str, Any]:
    """The imported series with how each was classified, and the counts per reason (one
    query): what the timetable page shows so that a teacher can correct it."""
    rows = (
        TimetableEntry.objects.filter(user_id=actor.pk)
        .exclude(source=Source.MANUAL)
        .values("series_key", "kind", "reason")
        .annotate(count=Count("id"), title=Min("title"), first=Min("start"))
        .order_by("kind", "title", "first")[:limit]
    )
    series = [
        SeriesRow(r["series_key"], r["title"], r["first"], r["count"],
                  r["kind"] == EntryKind.LESSON, r["reason"])
        for r in rows
    ]  # fmt: skip
    counts: dict[str, int] = defaultdict(int)
    for row in series:
        counts[row.reason_label] += row.count
    return {
        "series": series,
        "counts": sorted(counts.items()),
        "lessons": sum(r.count for r in series if r.is_lesson),
        "other": sum(r.count for r in series if not r.is_lesson),
    }


def colleagues_for(*, actor: Actor, school: Any) -> list[User]:
    """People at the school, for choosing who to find time with (only for its members)."""
    if school is None or school.pk not in school_ids_for_user(actor):
        return []
    return list(
        User.objects.filter(memberships__school=school, is_active=True)
        .order_by("full_name", "email")
        .distinct()
    )


def teams_for(*, actor: Actor, school: Any) -> list[tuple[Any, list[int]]]:
    """The school's teams with their members' ids (two queries), for the finder's presets."""
    if school is None or school.pk not in school_ids_for_user(actor):
        return []
    teams = Team.objects.filter(school=school).order_by("name").prefetch_related("team_memberships")
    return [(team, [m.user_id for m in team.team_memberships.all()]) for team in teams]


def busy_intervals_for(
    *, users: Iterable[Any], start: datetime, end: datetime, include_calendar: bool = True
) -> dict[int, list[Interval]]:
    """Busy time per person id between start and end: timetable entries plus the events other
    apps publish in the calendar registry (meetings, observations). Times only, no details."""
    ids = _ids(users)
    busy: dict[int, list[Interval]] = {pk: [] for pk in ids}
    rows = TimetableEntry.objects.filter(user_id__in=ids, start__lt=end, end__gt=start)
    for user_id, s, e in rows.values_list("user_id", "start", "end"):
        busy[user_id].append((s, e))
    if include_calendar and ids:
        people = list(User.objects.filter(pk__in=ids))
        for user_id, events in calendar_events_for_many(people, start, end).items():
            for event in events:
                if event.cancelled or DEDICATED_CATEGORY in event.categories:
                    continue
                busy[user_id].append((event.start, event.end))
    return busy


def lessons_for(*, users: Iterable[Any], start: datetime, end: datetime) -> list[TimetableEntry]:
    """Lessons (not other busy time) of these people, for planning observations."""
    return list(
        TimetableEntry.objects.filter(
            user_id__in=_ids(users), kind=EntryKind.LESSON, start__lt=end, end__gt=start
        ).order_by("start", "pk")
    )


def dedicated_times_for(*, actor: Actor, school: Any) -> list[DedicatedTime]:
    if school is None or school.pk not in school_ids_for_user(actor):
        return []
    return list(DedicatedTime.objects.filter(school=school))


def dedicated_blocks_for(
    *, school_ids: Iterable[int], start: date, end: date
) -> list[freetime.DedicatedBlock]:
    blocks: list[freetime.DedicatedBlock] = []
    items = DedicatedTime.objects.filter(
        school_id__in=list(school_ids), first_date__lte=end, last_date__gte=start
    )
    for item in items:
        occurrences = freetime.weekly_blocks(
            weekday=item.weekday,
            start=item.start_time,
            end=item.end_time,
            first=item.first_date,  # the anchor for "every n weeks"
            last=min(end, item.last_date),
            label=item.title,
            timezone=settings.TIME_ZONE,
            every_weeks=item.every_weeks,
        )
        blocks.extend(b for b in occurrences if b.end.date() >= start)
    return blocks


def common_free_slots(
    *,
    actor: Actor,
    users: Iterable[Any],
    start: date,
    end: date,
    min_minutes: int,
    day_start: time = time(8),
    day_end: time = time(17),
    limit: int | None = 60,
    now: datetime | None = None,
) -> list[freetime.Slot]:
    """Ranked common free time of ``users`` (the actor is not added automatically) on school
    days between ``day_start`` and ``day_end``, never in the past (today's from now on).
    Dedicated time of the actor's schools is preferred. Everyone must share a school with the
    actor, otherwise PermissionDenied."""
    ids = _ids(users)
    own_schools = school_ids_for_user(actor)
    visible = set(
        Membership.objects.filter(user_id__in=ids, school_id__in=own_schools).values_list(
            "user_id", flat=True
        )
    )
    if set(ids) - visible:
        raise PermissionDenied
    tz = ZoneInfo(settings.TIME_ZONE)
    range_start = datetime.combine(start, time(0), tz)
    range_end = datetime.combine(end, time(23, 59, 59), tz)
    busy = busy_intervals_for(users=ids, start=range_start, end=range_end)
    blocks = dedicated_blocks_for(school_ids=own_schools, start=start, end=end)
    now = _next_quarter(now or django_timezone.now())
    if now >= range_end:
        return []
    return freetime.common_free_slots(
        {str(k): v for k, v in busy.items()},
        start=max(range_start, now),
        end=end,
        min_minutes=min_minutes,
        working_hours=freetime.WorkingHours.weekdays(day_start, day_end),
        dedicated=blocks,
        timezone=settings.TIME_ZONE,
        limit=limit,
    )


def _next_quarter(moment: datetime) -> datetime:
    """The next whole quarter of an hour: a suggestion starts at 10:15, not at 10:07."""
    moment = moment.replace(second=0, microsecond=0)
    return moment + timedelta(minutes=(-moment.minute) % 15)


def feeds_for(*, actor: Actor) -> list[CalendarFeed]:
    return list(CalendarFeed.objects.filter(user_id=actor.pk, revoked_at__isnull=True))


def active_feed_by_hash(token_hash: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("user")
        .filter(Q(token_hash=token_hash), revoked_at__isnull=True, user__is_active=True)
        .first()
    )

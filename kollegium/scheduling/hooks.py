"""Navigation and the calendar-feed source of the scheduling app (dedicated time)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.core.homepage import next_midnight, watch
from kollegium.core.registry import (
    CalendarEvent,
    HomePanel,
    NavItem,
    register_calendar_source,
    register_home_panel,
    register_nav_item,
)
from kollegium.organisations.actor import actor_of, as_actor
from kollegium.organisations.current import current_school
from kollegium.organisations.models import Membership
from kollegium.organisations.selectors import school_ids_for_user

from .core.freetime import weekly_blocks
from .models import DedicatedTime, EntryKind, TimetableEntry
from .selectors import DEDICATED_CATEGORY

register_nav_item(NavItem("scheduling:index", _("Time"), order=60, match_prefix="/scheduling/"))


def dedicated_time_events(
    user: AbstractBaseUser, start: datetime, end: datetime
) -> Iterable[CalendarEvent]:
    """Dedicated time at the person's schools, one event per occurrence (one query)."""
    school_ids = school_ids_for_user(as_actor(user))
    if not school_ids:
        return []
    events = []
    items = DedicatedTime.objects.filter(
        school_id__in=school_ids, first_date__lte=end.date(), last_date__gte=start.date()
    )
    for item in items:
        events.extend(_dedicated_events(item, start, end, DEDICATED_CATEGORY))
    return events


def dedicated_time_events_for_many(
    users: Sequence[AbstractBaseUser], start: datetime, end: datetime
) -> dict[int, list[CalendarEvent]]:
    """Dedicated time of many people at once: two queries."""
    people_by_school: dict[int, list[int]] = {}
    for school_id, user_id in Membership.objects.filter(
        user_id__in=[u.pk for u in users]
    ).values_list("school_id", "user_id"):
        people_by_school.setdefault(school_id, []).append(user_id)
    events: dict[int, list[CalendarEvent]] = {}
    items = DedicatedTime.objects.filter(
        school_id__in=list(people_by_school),
        first_date__lte=end.date(),
        last_date__gte=start.date(),
    )
    for item in items:
        item_events = _dedicated_events(item, start, end, DEDICATED_CATEGORY)
        for user_id in people_by_school[item.school_id]:
            events.setdefault(user_id, []).extend(item_events)
    return events


def _dedicated_events(
    item: Any, start: datetime, end: datetime, category: str
) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            uid=f"dedicated-time-{item.pk}-{block.start:%Y%m%d}@kollegium",
            title=item.title,
            start=block.start,
            end=block.end,
            description=str(_("Dedicated time for collegial learning")),
            url="/scheduling/dedicated/",
            sequence=item.sequence,
            last_modified=item.updated_at,
            categories=(category,),
        )
        for block in dedicated_blocks_for_item(item, start, end)
    ]


def dedicated_blocks_for_item(item: Any, start: datetime, end: datetime) -> list[Any]:
    blocks = weekly_blocks(
        weekday=item.weekday,
        start=item.start_time,
        end=item.end_time,
        first=item.first_date,
        last=min(end.date(), item.last_date),
        label=item.title,
        timezone=settings.TIME_ZONE,
        every_weeks=item.every_weeks,
    )
    return [b for b in blocks if b.end > start and b.start < end]


register_calendar_source(dedicated_time_events, batch=dedicated_time_events_for_many)


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The person's lessons from now to the end of the seventh day, and the school's next
    dedicated time in the coming two weeks (two queries)."""
    actor = actor_of(request)
    if not actor.is_authenticated:
        return None
    if actor.staff_owners and not actor.memberships:
        return None  # a school owner's development staff teach no lessons (issue 16)
    now = timezone.now()
    # Windows end at a midnight, so they only move when the date does.
    week_end = next_midnight() + timedelta(days=6)
    lesson_starts = sorted(
        TimetableEntry.objects.filter(
            user_id=actor.pk, kind=EntryKind.LESSON, start__gte=now, start__lt=week_end
        ).values_list("start", flat=True)
    )
    school = current_school(request)
    upcoming = None
    if school is not None:
        window_end = next_midnight() + timedelta(days=13)
        items = DedicatedTime.objects.filter(
            school=school, first_date__lte=window_end.date(), last_date__gte=now.date()
        )
        blocks = [
            block for item in items for block in dedicated_blocks_for_item(item, now, window_end)
        ]
        upcoming = min(blocks, key=lambda b: b.start) if blocks else None
    return {
        "lessons": len(lesson_starts),
        "next_lesson_start": lesson_starts[0] if lesson_starts else None,
        "dedicated": upcoming,
    }


def home_panel_fresh_until(context: dict[str, Any]) -> datetime | None:
    """The count drops when the next lesson starts; the dedicated time shows until it ends."""
    times = [context["next_lesson_start"]]
    if context["dedicated"] is not None:
        times.append(context["dedicated"].end)
    return min((t for t in times if t is not None), default=None)


register_home_panel(
    HomePanel(
        "scheduling/_home_panel.html", home_panel, order=60, fresh_until=home_panel_fresh_until
    )
)
# Dedicated time is on the home page of everyone at its school. Timetable entries are written
# in bulk, so the services raise their owner's home version themselves.
watch(DedicatedTime, schools=lambda item: [item.school_id])

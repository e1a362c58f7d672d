"""Navigation and the calendar-feed source of the scheduling app (dedicated time)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import (
    CalendarEvent,
    NavItem,
    register_calendar_source,
    register_nav_item,
)

register_nav_item(NavItem("scheduling:index", _("Time"), order=60, match_prefix="/scheduling/"))


def dedicated_time_events(user: Any, start: datetime, end: datetime) -> Iterable[CalendarEvent]:
    """Dedicated time at the person's schools, one event per occurrence (one query)."""
    from kollegium.organisations.selectors import school_ids_for_user

    from .models import DedicatedTime
    from .selectors import DEDICATED_CATEGORY

    school_ids = school_ids_for_user(user)
    if not school_ids:
        return []
    events = []
    items = DedicatedTime.objects.filter(
        school_id__in=school_ids, first_date__lte=end.date(), last_date__gte=start.date()
    )
    for item in items:
        for block in dedicated_blocks_for_item(item, start, end):
            events.append(
                CalendarEvent(
                    uid=f"dedicated-time-{item.pk}-{block.start:%Y%m%d}@kollegium",
                    title=item.title,
                    start=block.start,
                    end=block.end,
                    description=str(_("Dedicated time for collegial learning")),
                    url="/scheduling/dedicated/",
                    sequence=item.sequence,
                    last_modified=item.updated_at,
                    categories=(DEDICATED_CATEGORY,),
                )
            )
    return events


def dedicated_blocks_for_item(item: Any, start: datetime, end: datetime) -> list[Any]:
    from django.conf import settings

    from .core.freetime import weekly_blocks

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


register_calendar_source(dedicated_time_events)

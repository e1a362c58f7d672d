"""Calendar feeds (RFC 5545): a person's meetings, observations and dedicated time.

Events come from the foundation's calendar-feed registry, so every app that registers a
source appears. UIDs come from the sources and stay stable; SEQUENCE and STATUS:CANCELLED
are passed through; the Europe/Stockholm VTIMEZONE is included for every zone used.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.core.registry import CalendarEvent, calendar_events_for

PAST_DAYS = 60
FUTURE_DAYS = 400


def feed_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now - timedelta(days=PAST_DAYS), now + timedelta(days=FUTURE_DAYS)


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return settings.SITE_URL + url
    return url


def render_calendar(
    events: list[CalendarEvent], *, name: str, now: datetime | None = None
) -> bytes:
    stamp = (now or timezone.now()).astimezone(UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Kollegium//Kollegium calendar feed//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", item.title)
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", _absolute(item.url))
        if item.last_modified:
            event.add("last-modified", item.last_modified.astimezone(UTC).replace(microsecond=0))
        if item.categories:
            event.add("categories", list(item.categories))
        calendar.add_component(event)
    if events:
        first = min(e.start for e in events).date() - timedelta(days=366)
        last = max(e.end for e in events).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def feed_for_user(user: User, *, now: datetime | None = None) -> bytes:
    start, end = feed_window(now)
    events = calendar_events_for(user, start, end)
    local = [
        CalendarEvent(
            uid=e.uid,
            title=e.title,
            start=timezone.localtime(e.start),
            end=timezone.localtime(e.end),
            location=e.location,
            description=e.description,
            url=e.url,
            sequence=e.sequence,
            cancelled=e.cancelled,
            last_modified=e.last_modified,
            categories=e.categories,
        )
        for e in events
    ]
    return render_calendar(
        local, name=_("Kollegium: %(name)s") % {"name": user.get_short_name()}, now=now
    )

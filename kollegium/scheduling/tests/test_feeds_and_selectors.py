"""Calendar feeds (validated with the icalendar parser) and the selectors other apps use."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from kollegium.core.registry import CalendarEvent
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.scheduling import selectors, services
from kollegium.scheduling.feeds import render_calendar

TZ = ZoneInfo("Europe/Stockholm")


def today():
    return timezone.localdate()


def feed_url(token: str) -> str:
    return reverse("scheduling:feed", args=[token])


@pytest.fixture
def dedicated(alice):
    return services.dedicated_time_create(
        actor=alice, school=alice.memberships.first().school, title="Kollegialt lärande",
        weekday=2, start_time=time(14), end_time=time(15, 30), first_date=today(),
        last_date=today() + timedelta(weeks=6),
    )  # fmt: skip


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def test_a_feed_is_valid_icalendar_with_a_vtimezone_and_stable_uids(client, bob, dedicated):
    _feed, token = services.calendar_feed_create(actor=bob)
    first = client.get(feed_url(token))
    assert first.status_code == 200
    assert first["Content-Type"].startswith("text/calendar")
    calendar = parse(first.content)
    assert calendar["VERSION"] == "2.0"
    zones = [tz["TZID"] for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Stockholm"]
    events = calendar.walk("VEVENT")
    assert 6 <= len(events) <= 7
    for event in events:
        assert event["SUMMARY"] == "Kollegialt lärande"
        assert event["STATUS"] == "CONFIRMED"
        assert int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART").tzinfo is not None
        assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
        local = event.decoded("DTSTART").astimezone(TZ)
        assert (local.hour, local.minute) == (14, 0)
    again = parse(client.get(feed_url(token)).content)
    assert [e["UID"] for e in events] == [e["UID"] for e in again.walk("VEVENT")]


def test_cancelled_items_and_sequences_are_written_as_rfc_5545(bob):
    start = datetime(2026, 10, 26, 14, tzinfo=TZ)  # the Monday after the autumn change
    body = render_calendar(
        [
            CalendarEvent(uid="obs-1@kollegium", title="Auskultation", start=start,
                          end=start + timedelta(hours=1), sequence=3, cancelled=True,
                          url="/observations/1/", location="Sal 4"),
        ],
        name="Test",
    )  # fmt: skip
    event = parse(body).walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED"
    assert int(event["SEQUENCE"]) == 3
    assert event["URL"] == "http://testserver/observations/1/"
    assert event.decoded("DTSTART").astimezone(UTC).hour == 13
    assert b"BEGIN:VTIMEZONE" in body
    assert b"DTSTAMP:" in body


def test_a_revoked_or_unknown_address_stops_working(client, bob, client_for):
    feed, token = services.calendar_feed_create(actor=bob)
    assert client.get(feed_url(token)).status_code == 200
    client_for(bob).post(reverse("scheduling:feed_revoke", args=[feed.pk]))
    assert client.get(feed_url(token)).status_code == 404
    assert client.get(feed_url("not-a-token")).status_code == 404


def test_the_token_is_shown_once_and_only_its_hash_is_stored(client_for, bob):
    response = client_for(bob).post(reverse("scheduling:feeds"))
    url = response.context["new_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = bob.calendar_feeds.get()
    assert feed.token_hash != token
    assert feed.token_hash == services.hash_token(token)
    assert token not in client_for(bob).get(reverse("scheduling:feeds")).content.decode()


def test_the_feed_runs_a_constant_number_of_queries(client, alice, dedicated):
    _feed, token = services.calendar_feed_create(actor=alice)
    school = alice.memberships.first().school

    def grow() -> None:
        for i in range(3):
            services.dedicated_time_create(
                actor=alice, school=school, title=f"KL {i}", weekday=i, start_time=time(8),
                end_time=time(9), first_date=today(), last_date=today() + timedelta(weeks=3),
            )  # fmt: skip

    assert_constant_queries(lambda: client.get(feed_url(token)), grow)


def test_busy_intervals_give_times_only_for_the_people_asked(bob, carol):
    services.timetable_entry_add(
        actor=bob, weekday=today().weekday(), start_time=time(9), end_time=time(10),
        first_date=today(), last_date=today() + timedelta(weeks=1), subject="Ma",
    )  # fmt: skip
    start = datetime.combine(today(), time(0), TZ)
    busy = selectors.busy_intervals_for(
        users=[bob, carol], start=start, end=start + timedelta(days=14)
    )
    assert set(busy) == {bob.pk, carol.pk}
    assert len(busy[bob.pk]) == 2
    assert busy[carol.pk] == []
    assert all(isinstance(s, datetime) and s.tzinfo for s, _e in busy[bob.pk])
    lessons = selectors.lessons_for(users=[bob.pk], start=start, end=start + timedelta(days=14))
    assert [lesson.subject for lesson in lessons] == ["Ma", "Ma"]


def test_finding_time_with_someone_from_another_school_is_refused(bob, dave):
    with pytest.raises(PermissionDenied):
        selectors.common_free_slots(
            actor=bob, users=[bob, dave], start=today(), end=today(), min_minutes=30
        )


def test_the_free_time_selector_prefers_dedicated_time(alice, bob, dedicated):
    wednesday = today() + timedelta(days=(2 - today().weekday()) % 7)
    slots = selectors.common_free_slots(
        actor=bob,
        users=[bob, alice],
        start=wednesday,
        end=wednesday + timedelta(days=2),
        min_minutes=60,
    )
    assert slots[0].dedicated
    assert slots[0].start.astimezone(TZ).strftime("%H:%M") == "14:00"
    assert any(not s.dedicated for s in slots)

"""The kept home page follows the person's timetable and the school's dedicated time."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from kollegium.scheduling import hooks, services

pytestmark = pytest.mark.django_db
NO_TIMETABLE = "Lägg in ditt schema"


def test_lessons_added_and_cleared_are_counted_at_once(client_for, world):
    bob = client_for(world.bob)
    assert NO_TIMETABLE in bob.get("/").content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.timetable_entry_add(
        actor=world.bob, weekday=tomorrow.weekday(), start_time=time(9), end_time=time(9, 45),
        first_date=tomorrow, last_date=tomorrow + timedelta(weeks=4), subject="Matematik",
    )  # fmt: skip
    assert "1 lektion i ditt schema" in bob.get("/").content.decode()
    services.timetable_clear(actor=world.bob, source="manual")
    assert NO_TIMETABLE in bob.get("/").content.decode()


def test_dedicated_time_reaches_everyone_at_the_school(client_for, world):
    bob, dave = client_for(world.bob), client_for(world.dave)
    bob.get("/"), dave.get("/")
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.dedicated_time_create(
        actor=world.alice, school=world.school_a, title="KL-tid", weekday=tomorrow.weekday(),
        start_time=time(14), end_time=time(15), first_date=tomorrow,
        last_date=tomorrow + timedelta(weeks=4),
    )  # fmt: skip
    assert "KL-tid" in bob.get("/").content.decode()
    assert "KL-tid" not in dave.get("/").content.decode()


def test_the_panel_is_fresh_until_the_next_lesson_starts_or_the_dedicated_time_ends(world):
    lesson = timezone.now() + timedelta(hours=1)

    class Dedicated:
        end = timezone.now() + timedelta(minutes=30)

    context = {"lessons": 3, "next_lesson_start": lesson, "dedicated": Dedicated}
    assert hooks.home_panel_fresh_until(context) == Dedicated.end
    context = {"lessons": 3, "next_lesson_start": lesson, "dedicated": None}
    assert hooks.home_panel_fresh_until(context) == lesson
    assert (
        hooks.home_panel_fresh_until({"lessons": 0, "next_lesson_start": None, "dedicated": None})
        is None
    )

"""Free time: never a slot in the past (today's only from now on); a suggested time becomes a
group's next meeting in one step, for the group's facilitators only."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from kollegium.groups.models import Meeting
from kollegium.groups.tests.helpers import make_group
from kollegium.scheduling import selectors, services
from kollegium.scheduling.models import TimetableEntry


def _next_weekday(days: int = 7):
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_no_slot_today_starts_before_now(world):
    today = timezone.localdate()
    while today.weekday() >= 5:
        today += timedelta(days=1)
    now = timezone.make_aware(datetime.combine(today, time(11, 7)))
    slots = selectors.common_free_slots(
        actor=world.bob, users=[world.bob], start=today, end=today, min_minutes=30, now=now
    )
    assert slots
    assert min(s.start for s in slots) == timezone.make_aware(datetime.combine(today, time(11, 15)))
    assert all(s.start >= now for s in slots)


def test_a_period_wholly_in_the_past_gives_no_slots(world):
    day = timezone.localdate() - timedelta(days=3)
    slots = selectors.common_free_slots(
        actor=world.bob, users=[world.bob], start=day - timedelta(days=7), end=day, min_minutes=30
    )
    assert slots == []


def finder_url(group, day) -> str:
    return (
        f"{reverse('scheduling:free_time')}?group={group.pk}&start={day}&end={day}"
        "&min_minutes=60&day_start=08:00&day_end=17:00"
    )


def test_a_facilitator_sees_the_groups_free_times_with_a_button_for_each(world, client_for):
    group = make_group(world)
    day = _next_weekday()
    page = client_for(world.carol).get(finder_url(group, day)).content.decode()
    assert "Gör detta till nästa möte" in page
    assert 'name="group_key"' in page


def test_a_suggested_time_becomes_the_groups_next_meeting_in_one_step(world, client_for):
    group = make_group(world)
    day = _next_weekday()
    starts = timezone.make_aware(datetime.combine(day, time(13)))
    response = client_for(world.carol).post(
        reverse("scheduling:free_time_meeting"),
        {"group_key": group.pk, "starts_at": starts.isoformat(), "minutes": 60,
         "place": "Biblioteket", "query": f"group={group.pk}"},
    )  # fmt: skip
    meeting = Meeting.objects.get(group=group)
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:meeting", args=[meeting.pk])
    assert (meeting.starts_at, meeting.ends_at, meeting.place) == (
        starts,
        starts + timedelta(minutes=60),
        "Biblioteket",
    )


def test_a_time_someone_is_no_longer_free_is_refused_and_nothing_is_saved(world, client_for):
    group = make_group(world)
    day = _next_weekday()
    starts = timezone.make_aware(datetime.combine(day, time(13)))
    TimetableEntry.objects.create(
        user=world.bob, title="Matematik 7B", start=starts, end=starts + timedelta(minutes=50)
    )
    response = client_for(world.carol).post(
        reverse("scheduling:free_time_meeting"),
        {"group_key": group.pk, "starts_at": starts.isoformat(), "minutes": 60,
         "place": "Biblioteket", "query": "group=1&start=x\r\nSet-Cookie: a=b"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("scheduling:free_time") + "?")
    assert "\n" not in response["Location"]
    assert not Meeting.objects.exists()


def test_a_time_in_the_past_is_refused(world):
    group = make_group(world)
    past = timezone.now() - timedelta(hours=2)
    try:
        services.free_time_to_meeting(
            actor=world.carol, group_key=group.pk, starts_at=past, minutes=60, place="Sal 1"
        )
    except services.ValidationError as error:
        assert "passerat" in " ".join(error.messages) or "passed" in " ".join(error.messages)
    else:
        raise AssertionError("a meeting in the past was scheduled")
    assert not Meeting.objects.exists()


def test_a_member_who_does_not_facilitate_cannot_make_a_meeting(world, client_for):
    group = make_group(world)
    starts = timezone.make_aware(datetime.combine(_next_weekday(), time(13)))
    page = client_for(world.bob).get(finder_url(group, _next_weekday())).content.decode()
    assert 'name="group_key"' not in page
    response = client_for(world.bob).post(
        reverse("scheduling:free_time_meeting"),
        {"group_key": group.pk, "starts_at": starts.isoformat(), "minutes": 60, "place": "X"},
    )
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_dave_cannot_make_a_meeting_for_another_schools_group(world, client_for):
    group = make_group(world)
    starts = timezone.make_aware(datetime.combine(_next_weekday(), time(13)))
    response = client_for(world.dave).post(
        reverse("scheduling:free_time_meeting"),
        {"group_key": group.pk, "starts_at": starts.isoformat(), "minutes": 60, "place": "X"},
    )
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(world, client):
    response = client.post(reverse("scheduling:free_time_meeting"), {"group_key": 1})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_finder_speaks_english_too(world, client_for):
    world.carol.preferred_language = "en"
    world.carol.save()
    group = make_group(world)
    client = client_for(world.carol)
    client.cookies["django_language"] = "en"
    page = client.get(finder_url(group, _next_weekday())).content.decode()
    assert "Make this the next meeting of" in page
    assert "A group you facilitate" in page


def test_the_finder_with_a_group_runs_a_constant_number_of_queries(world, client_for):
    from kollegium.core.testing.queries import assert_constant_queries

    group = make_group(world)
    client = client_for(world.carol)
    url = finder_url(group, _next_weekday())
    made = iter(range(100))

    def grow() -> None:
        for _ in range(3):
            make_group(world, name=f"Lärgrupp {next(made)}", members=[world.bob, world.alice])

    assert_constant_queries(lambda: client.get(url), grow)


def test_dave_sees_nothing_of_another_schools_group_in_the_finder(world, client_for):
    group = make_group(world)
    response = client_for(world.dave).get(finder_url(group, _next_weekday()))
    page = response.content.decode()
    assert response.status_code == 200
    assert group.name not in page
    assert 'name="group_key"' not in page


def test_an_anonymous_visitor_cannot_open_the_finder(world, client):
    group = make_group(world)
    response = client.get(finder_url(group, _next_weekday()))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_network_group_with_members_elsewhere_is_explained_not_a_404(world, client_for):
    group = make_group(world, members=[world.bob, world.dave], network=world.network)
    response = client_for(world.carol).get(finder_url(group, _next_weekday()))
    assert response.status_code == 200
    assert "Några i den här gruppen arbetar på andra skolor." in response.content.decode()

"""The fair draw of a TeachMeet's speaking order: seeded, shown, repeatable."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kollegium.groups import draw as draw_core
from kollegium.groups import services
from kollegium.groups.models import Talk, TalkDraw
from kollegium.groups.tests.helpers import add_member, colleagues, make_group, teachmeet


def test_the_same_seed_gives_the_same_order_and_another_seed_may_not():
    talks = {"micro_talks": [5, 3, 9, 12, 1, 7], "short_talks": [2, 4]}
    first = draw_core.draw_order("7f3a9c21", talks)
    assert first == draw_core.draw_order("7f3a9c21", talks)
    assert first == draw_core.draw_order("7f3a9c21", {k: sorted(v) for k, v in talks.items()})
    assert sorted(first["micro_talks"]) == [1, 3, 5, 7, 9, 12]
    assert any(draw_core.draw_order(str(n), talks) != first for n in range(10))


def test_every_order_can_come_out_of_the_draw():
    seen = {tuple(draw_core.draw_order(str(n), {"s": [1, 2, 3]})["s"]) for n in range(200)}
    assert len(seen) == 6


@pytest.mark.parametrize("seed", ["", "a" * 41, "two words", "ö"])
def test_a_seed_is_short_plain_text(seed):
    assert not draw_core.valid_seed(seed)


pytestmark_db = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    group = make_group(world, slug="workshop", name="TeachMeet")
    return teachmeet(group)


def _sign_up_many(world, meeting, n=5):
    people = colleagues(world, n)
    for i, person in enumerate(people):
        add_member(meeting.group, person)
        services.talk_signup(
            actor=person, meeting=meeting, step_key="micro_talks", title=f"Talk {i}"
        )


@pytestmark_db
def test_the_facilitator_draws_the_order_and_the_seed_repeats_it(world, meeting):
    _sign_up_many(world, meeting)
    draw = services.talk_order_draw(actor=world.carol, meeting=meeting, seed="room-42")
    ids = list(
        Talk.objects.filter(meeting=meeting, step_key="micro_talks")
        .order_by("position")
        .values_list("pk", flat=True)
    )
    assert draw.order == {"micro_talks": ids}
    assert ids == draw_core.draw_order("room-42", {"micro_talks": ids})["micro_talks"]


@pytestmark_db
def test_a_fresh_seed_is_made_when_none_is_given(world, meeting):
    _sign_up_many(world, meeting, 2)
    assert len(services.talk_order_draw(actor=world.carol, meeting=meeting).seed) == 8


@pytestmark_db
def test_only_the_facilitator_draws_and_a_bad_seed_changes_nothing(world, meeting):
    _sign_up_many(world, meeting, 3)
    with pytest.raises(PermissionDenied):
        services.talk_order_draw(actor=world.bob, meeting=meeting)
    with pytest.raises(ValidationError):
        services.talk_order_draw(actor=world.carol, meeting=meeting, seed="x" * 41)
    assert not TalkDraw.objects.exists()


@pytestmark_db
def test_nothing_to_draw_without_speakers(world, meeting):
    with pytest.raises(ValidationError):
        services.talk_order_draw(actor=world.carol, meeting=meeting)


@pytestmark_db
def test_the_meeting_page_shows_the_seed_and_that_it_repeats(world, meeting, client_for):
    _sign_up_many(world, meeting, 3)
    c = client_for(world.carol)
    response = c.post(reverse("groups:talk_draw", args=[meeting.pk]), {"seed": "abc123"})
    assert response.status_code == 302
    html = c.get(reverse("groups:meeting", args=[meeting.pk])).content.decode()
    assert "abc123" in html and 'random.Random("abc123:micro_talks")' in html
    assert "samma ordning igen" in html  # "the seed gives the same order again"


@pytestmark_db
def test_dave_and_a_visitor_cannot_draw(world, meeting, client_for, client):
    url = reverse("groups:talk_draw", args=[meeting.pk])
    assert client_for(world.dave).post(url).status_code == 404
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(world.bob).post(url).status_code == 403


@pytestmark_db
def test_talks_are_in_the_calendar_feed_the_speaker_s_own_at_its_time(world, meeting):
    from datetime import timedelta

    from django.utils import timezone

    from kollegium.core.registry import calendar_events_for

    meeting.video_url = "https://meet.example/teachmeet"
    meeting.save()
    _sign_up_many(world, meeting, 2)
    first, second = Talk.objects.filter(meeting=meeting).order_by("position")
    start, end = timezone.now(), timezone.now() + timedelta(days=30)
    events = {e.uid: e for e in calendar_events_for(second.speaker, start, end)}
    whole = events[f"group-meeting-{meeting.pk}@kollegium"]
    assert "https://meet.example/teachmeet" in whole.description
    assert "1. Talk 0" in whole.description and "2. Talk 1" in whole.description
    own = events[f"group-talk-{second.pk}@kollegium"]
    # welcome (5 minutes), then the first 2-minute talk: the second starts 7 minutes in
    assert own.start == meeting.starts_at + timedelta(minutes=7)
    assert own.end - own.start == timedelta(minutes=2)
    assert f"group-talk-{first.pk}@kollegium" not in events
    assert f"group-talk-{second.pk}@kollegium" not in {
        e.uid for e in calendar_events_for(first.speaker, start, end)
    }

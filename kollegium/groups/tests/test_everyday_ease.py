"""Rough edges of issue 16 in the group pages: no jargon, no advice that does not apply."""

import pytest
from django.urls import reverse
from django.utils import translation

from kollegium.groups.models import LearningGroup
from kollegium.groups.templatetags.groups_tags import rhythm
from kollegium.groups.tests.helpers import make_group

pytestmark = pytest.mark.django_db


def test_the_edit_page_of_a_school_group_neither_asks_for_a_network_nor_makes_anyone_facilitator(
    client_for, world
):
    group = make_group(world)
    page = client_for(world.carol).get(reverse("groups:edit", args=[group.pk])).content.decode()
    assert "Välj nätverket ovan" not in page
    assert "Du blir gruppens handledare" not in page
    assert 'name="other_members"' not in page
    assert "Ta bort bocken för en person" in page


def test_the_edit_page_keeps_members_from_other_schools_for_a_network_group(client_for, world):
    group = make_group(world)
    LearningGroup.objects.filter(pk=group.pk).update(network=world.network)
    page = client_for(world.carol).get(reverse("groups:edit", args=[group.pk])).content.decode()
    assert 'name="other_members"' in page
    assert "Välj nätverket ovan" not in page


def test_the_edit_page_saves_without_the_field_it_does_not_show(client_for, world):
    group = make_group(world)
    response = client_for(world.carol).post(
        reverse("groups:edit", args=[group.pk]),
        {
            "name": "Nytt namn",
            "members": [world.bob.pk, world.carol.pk],
            "starts_on": group.starts_on.isoformat(),
            "ends_on": group.ends_on.isoformat(),
            "interval_days": 14,
            "minutes_sharing": group.minutes_sharing,
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.interval_days) == ("Nytt namn", 14)


@pytest.mark.parametrize(
    ("days", "swedish", "english"),
    [
        (7, "varje vecka", "every week"),
        (14, "varannan vecka", "every other week"),
        (28, "en gång i månaden", "once a month"),
        (30, "en gång i månaden", "once a month"),
        (1, "varje dag", "every day"),
        (10, "var 10:e dag", "every 10 days"),
    ],
)
def test_a_groups_rhythm_reads_as_people_say_it(days, swedish, english):
    with translation.override("sv"):
        assert rhythm(days) == swedish
    with translation.override("en"):
        assert rhythm(days) == english


def test_the_group_page_says_how_often_without_jargon_or_a_guide_version(client_for, world):
    group = make_group(world)
    LearningGroup.objects.filter(pk=group.pk).update(interval_days=28)
    page = client_for(world.bob).get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert "en gång i månaden" in page
    assert ":e dag" not in page
    assert "(version " not in page


def test_a_meetings_place_reads_the_same_on_the_home_page_the_group_and_the_meeting(
    client_for, world
):
    from datetime import timedelta

    from django.utils import timezone

    from kollegium.groups import services

    group = make_group(world)
    meeting = services.meeting_schedule(
        actor=world.carol,
        group=group,
        starts_at=timezone.now() + timedelta(days=3),
        place="Aulan, Björkskolan",
        video_url="https://meet.example.org/abc",
    )
    bob = client_for(world.bob)
    expected = "Aulan, Björkskolan, och via video"
    for url in (
        "/",
        reverse("groups:detail", args=[group.pk]),
        reverse("groups:meeting", args=[meeting.pk]),
    ):
        assert expected in bob.get(url).content.decode(), url

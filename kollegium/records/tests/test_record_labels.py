"""Where minutes, proven practice and observation notes are written, the page says whether
they are an official record (allmän handling) or working material."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kollegium.groups.models import Conclusion, MinutesSharing
from kollegium.groups.tests.helpers import make_group, past_meeting
from kollegium.observations.tests.helpers import make_observation

pytestmark = pytest.mark.django_db

OFFICIAL = "Allmän handling"
WORKING = "Arbetsmaterial"


def _label(html: str) -> str:
    part = html.split('class="small record-status"', 1)[1]
    return part.split("</span>", 1)[0]


def test_minutes_kept_within_the_group_are_working_material(world, client_for):
    group = make_group(world)
    meeting = past_meeting(group, 3)
    page = client_for(world.bob).get(reverse("groups:meeting", args=[meeting.pk])).content.decode()
    assert WORKING in _label(page)


def test_minutes_shared_beyond_the_group_are_an_official_record(world, client_for):
    group = make_group(world)
    group.minutes_sharing = MinutesSharing.SCHOOL
    group.save(update_fields=["minutes_sharing"])
    meeting = past_meeting(group, 3)
    page = client_for(world.bob).get(reverse("groups:meeting", args=[meeting.pk])).content.decode()
    assert OFFICIAL in _label(page)


def test_proven_practice_is_an_official_record_once_published(world, client_for):
    group = make_group(world)
    Conclusion.objects.create(
        group=group,
        title="Publicerad",
        tried="a",
        evidence="b",
        conclusion="c",
        created_by=world.carol,
        published_at=timezone.now(),
    )
    page = client_for(world.bob).get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert OFFICIAL in _label(page.split("Publicerad", 1)[1])
    form = client_for(world.bob).get(reverse("groups:conclusion_create", args=[group.pk]))
    assert WORKING in _label(form.content.decode())


def test_observation_notes_are_working_material(world, client_for):
    observation = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, status="agreed"
    )
    page = client_for(world.carol).get(reverse("observations:detail", args=[observation.pk]))
    assert WORKING in _label(page.content.decode())

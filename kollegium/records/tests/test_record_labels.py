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


def _kind_label(html: str, kind: str) -> str:
    part = html.split(f'class="small record-status record-status-{kind}"', 1)[1]
    return part.split("</span>", 1)[0]


def test_commitments_and_reflections_are_working_material_where_written_and_shown(
    world, client_for
):
    from kollegium.groups.models import Commitment

    group = make_group(world)
    group.minutes_sharing = MinutesSharing.SCHOOL  # the minutes are official; commitments not
    group.save(update_fields=["minutes_sharing"])
    meeting = past_meeting(group, 3)
    Commitment.objects.create(
        group=group,
        meeting=meeting,
        user=world.bob,
        text="Exit tickets varje lektion",
        due_on=timezone.localdate(),
    )
    bob = client_for(world.bob)
    page = bob.get(reverse("groups:meeting", args=[meeting.pk])).content.decode()
    assert WORKING in _kind_label(page, "commitments")
    assert OFFICIAL in _label(page)  # the minutes' own label is unchanged
    detail = bob.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert WORKING in _kind_label(detail, "commitments")


def test_a_draft_is_working_material_and_a_published_item_an_official_record(world, client_for):
    from kollegium.library import services as library
    from kollegium.library.models import Visibility

    draft = library.item_create(
        actor=world.bob, school=world.school_a, title="Utkast", visibility=Visibility.PRIVATE
    )
    published = library.item_create(
        actor=world.bob, school=world.school_a, title="Delad", visibility=Visibility.SCHOOL
    )
    bob = client_for(world.bob)
    for url in (reverse("library:item", args=[draft.pk]), reverse("library:edit", args=[draft.pk])):
        assert WORKING in _kind_label(bob.get(url).content.decode(), "item")
    assert WORKING in _kind_label(bob.get(reverse("library:create")).content.decode(), "item")
    page = bob.get(reverse("library:item", args=[published.pk])).content.decode()
    assert OFFICIAL in _kind_label(page, "item")

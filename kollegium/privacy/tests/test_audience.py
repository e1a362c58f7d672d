"""'Who can see this?': for each kind of personal content and each of its sharing settings,
the plain sentence's audience (core/audience.py) is exactly who the permission lets in, for
every persona."""

import pytest
from django.urls import reverse

from kollegium.competence.models import CompetenceProfile
from kollegium.competence.permissions import can_view_levels_of, levels_audience
from kollegium.core.audience import audience_of
from kollegium.core.testing.factories import teacher_at
from kollegium.groups.models import MinutesSharing
from kollegium.groups.permissions import can_view_group_work, can_view_minutes
from kollegium.groups.tests.helpers import commitment, make_group, past_meeting
from kollegium.library import services as library
from kollegium.library.models import Visibility
from kollegium.library.permissions import can_view_item
from kollegium.observations.permissions import is_in_pair
from kollegium.observations.tests.helpers import make_observation
from kollegium.organisations.actor import as_actor
from kollegium.organisations.models import OwnerStaff, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(world):
    """The personas, and more: a colleague outside the group, an administrator, owner staff,
    a leader at School B, an installation administrator."""
    erik = teacher_at(world.school_a, Role.TEACHER, email="erik@a.example", full_name="Erik E")
    admin = teacher_at(world.school_a, Role.ADMINISTRATOR, email="ad@a.example", full_name="Ad")
    eva = teacher_at(world.school_b, Role.LEADER, email="eva@b.example", full_name="Eva Ek")
    staff = teacher_at(world.school_b, Role.TEACHER, email="jo@x.example", full_name="Jo Staff")
    OwnerStaff.objects.create(user=staff, owner=world.owner)
    root = teacher_at(world.school_b, Role.TEACHER, email="root@x.example", full_name="Root")
    root.is_staff = True
    root.save()
    return [world.alice, world.bob, world.carol, world.dave, erik, admin, eva, staff, root]


def _agrees(audience, allowed, people):
    """Fresh acting persons each time: nothing cached between the two answers."""
    for person in people:
        said = audience.includes(as_actor(person))
        enforced = allowed(as_actor(person))
        assert said == enforced, f"{person.full_name}: sentence {said}, permission {enforced}"
    assert audience.sentence.startswith(("Vem kan se detta", "Who can see this"))


@pytest.mark.parametrize("visibility", Visibility.values)
def test_a_library_items_sentence_matches_who_may_open_it(world, everyone, visibility):
    group = make_group(world, members=[world.bob]) if visibility == Visibility.GROUP else None
    item = library.item_create(
        actor=world.bob,
        school=world.school_a,
        title="Exit tickets",
        visibility=visibility,
        group=group,
    )
    audience = audience_of(item)
    _agrees(audience, lambda person: can_view_item(person, item), everyone)
    assert "Bob Berg" in audience.sentence


@pytest.mark.parametrize("sharing", MinutesSharing.values)
def test_minutes_and_commitments_sentences_match_who_may_read_them(world, everyone, sharing):
    group = make_group(world, members=[world.bob], minutes_sharing=sharing)
    meeting = past_meeting(group, 3)
    promise = commitment(meeting, world.bob)
    for thing in (meeting, promise):
        audience = audience_of(thing)
        _agrees(audience, lambda person: can_view_minutes(person, group), everyone)
        _agrees(audience, lambda person: can_view_group_work(person, group), everyone)
        assert group.name in audience.sentence


def test_an_observations_sentence_matches_who_may_open_it(world, everyone):
    observation = make_observation(school=world.school_a, observer=world.bob, observed=world.carol)
    audience = audience_of(observation)
    _agrees(audience, lambda person: is_in_pair(person, observation), everyone)
    assert "Bob Berg" in audience.sentence and "Carol Chen" in audience.sentence


@pytest.mark.parametrize("in_network", [False, True])
def test_competence_levels_sentence_matches_who_may_see_them(world, everyone, in_network):
    CompetenceProfile.objects.update_or_create(
        user=world.bob, defaults={"visible_in_network": in_network}
    )
    audience = levels_audience(world.bob)
    _agrees(audience, lambda person: can_view_levels_of(person, world.bob), everyone)
    assert ("nätverk" in audience.sentence or "network" in audience.sentence) == in_network


def test_the_pages_say_who_can_see_them(world, client_for):
    item = library.item_create(
        actor=world.bob, school=world.school_a, title="Exit", visibility=Visibility.SCHOOL
    )
    page = client_for(world.bob).get(reverse("library:item", args=[item.pk])).content.decode()
    assert "Vem kan se detta: dess författare (Bob Berg) och alla på Skola A." in page
    observation = make_observation(school=world.school_a, observer=world.bob, observed=world.carol)
    page = client_for(world.bob).get(reverse("observations:detail", args=[observation.pk]))
    assert "Vem kan se detta: ni två" in page.content.decode()
    profile = client_for(world.bob).get(reverse("competence:profile")).content.decode()
    assert "Vem kan se detta: Bob Berg och alla på Skola A." in profile


@pytest.mark.parametrize("sharing", MinutesSharing.values)
def test_a_proven_practice_records_sentence_matches_who_may_read_it(world, everyone, sharing):
    from kollegium.groups.models import Conclusion

    group = make_group(world, members=[world.bob], minutes_sharing=sharing)
    record = Conclusion.objects.create(
        group=group, title="Exit", tried="a", evidence="b", conclusion="c", created_by=world.bob
    )
    audience = audience_of(record)
    _agrees(audience, lambda person: can_view_group_work(person, group), everyone)
    assert group.name in audience.sentence


def test_a_colleagues_competence_page_and_proven_practice_say_who_can_see_them(world, client_for):
    from kollegium.groups.models import Conclusion

    page = client_for(world.carol).get(reverse("competence:person", args=[world.bob.pk]))
    assert "Vem kan se detta: Bob Berg och alla på Skola A." in page.content.decode()
    group = make_group(world, members=[world.bob])
    Conclusion.objects.create(
        group=group, title="Exit", tried="a", evidence="b", conclusion="c", created_by=world.bob
    )
    detail = client_for(world.bob).get(reverse("groups:detail", args=[group.pk])).content.decode()
    record = detail.split('id="conclusions-heading"', 1)[1]
    assert "Vem kan se detta:" in record and group.name in record.split("Vem kan se detta:")[1]

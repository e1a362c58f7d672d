"""A school owner's development staff see counts of observations per school: planned, took
place, debriefed; never who or what, and nothing below the minimum group size (issue 13)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kollegium.core.testing.factories import OwnerFactory, UserFactory, teacher_at
from kollegium.core.testing.home import get_home_rendered
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.observations.tests.helpers import make_observation
from kollegium.organisations.models import OwnerStaff

pytestmark = pytest.mark.django_db


@pytest.fixture
def jonas(world):
    person = UserFactory(email="jonas@owner.example", full_name="Jonas Jansson")
    OwnerStaff.objects.create(user=person, owner=world.owner, title="Utvecklingsstrateg")
    return person


def url(owner):
    return reverse("observations:owner_counts", args=[owner.pk])


def _observations(school, people, statuses):
    for i, status in enumerate(statuses):
        observer, observed = people[i % len(people)], people[(i + 1) % len(people)]
        make_observation(school=school, observer=observer, observed=observed, status=status)


def test_staff_see_planned_held_and_debriefed_per_school(client_for, world, jonas):
    people = [teacher_at(world.school_a) for _ in range(5)]
    _observations(
        world.school_a,
        people,
        ["agreed", "agreed", "done", "debriefed", "debriefed", "requested", "cancelled"],
    )
    text = client_for(jonas).get(url(world.owner)).content.decode()
    row = text.split(world.school_a.display_name)[-1].split("</tr>")[0]
    numbers = [cell.split(">")[-1] for cell in row.split("</td>")[:3]]
    assert numbers == ["5", "3", "2"]  # planned (agreed or later), took place, debriefed
    assert "Jonas" not in row and people[0].full_name not in text


def test_a_school_with_fewer_than_five_people_shows_too_few(client_for, world, jonas):
    people = [teacher_at(world.school_b) for _ in range(4)]
    _observations(world.school_b, people, ["debriefed"] * 6)
    text = client_for(jonas).get(url(world.owner)).content.decode()
    row = text.split(world.school_b.display_name)[-1].split("</tr>")[0]
    assert "För få för att visas" in row
    assert ">6<" not in row
    people.append(teacher_at(world.school_b))
    make_observation(school=world.school_b, observer=people[3], observed=people[4], status="agreed")
    text = client_for(jonas).get(url(world.owner)).content.decode()
    row = text.split(world.school_b.display_name)[-1].split("</tr>")[0]
    assert ">7<" in row and "För få" not in row


def test_no_content_of_an_observation_reaches_the_page(client_for, world, jonas):
    people = [teacher_at(world.school_a) for _ in range(5)]
    for i in range(5):
        observation = make_observation(
            school=world.school_a, observer=people[i], observed=people[(i + 1) % 5]
        )
        observation.focus_detail = "HEMLIGT-FOKUS"
        observation.save(update_fields=["focus_detail"])
    text = client_for(jonas).get(url(world.owner)).content.decode()
    assert "HEMLIGT" not in text
    assert all(p.full_name not in text for p in people)


def test_only_the_owners_staff_may_look(client_for, world, jonas):
    assert client_for(jonas).get(url(world.owner)).status_code == 200
    for person in (world.alice, world.bob, world.carol, world.dave):
        assert client_for(person).get(url(world.owner)).status_code == 404
    stranger = UserFactory()
    OwnerStaff.objects.create(user=stranger, owner=OwnerFactory())
    assert client_for(stranger).get(url(world.owner)).status_code == 404
    c = client_for(jonas)
    assert c.get(reverse("observations:owner_counts", args=[world.school_a.pk])).status_code == 404
    assert c.post(url(world.owner)).status_code == 405


def test_dave_gets_404(client_for, world):
    assert client_for(world.dave).get(url(world.owner)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(url(world.owner))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_runs_a_constant_number_of_queries(client_for, world, jonas):
    c = client_for(jonas)

    def grow():
        from kollegium.core.testing.factories import SchoolFactory

        school = SchoolFactory(parent=world.owner)
        people = [teacher_at(school) for _ in range(5)]
        _observations(school, people, ["agreed", "done", "debriefed"] * 3)

    assert_constant_queries(lambda: c.get(url(world.owner)), grow=grow)


def test_the_home_page_links_staff_to_the_counts(client_for, world, jonas):
    text = get_home_rendered(client_for(jonas)).content.decode()
    assert url(world.owner) in text
    assert url(world.owner) not in get_home_rendered(client_for(world.bob)).content.decode()

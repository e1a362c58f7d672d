"""Access to the insights pages: the right person, Dave (another school: 404), anonymous."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kollegium.insights.models import TimePromise
from kollegium.organisations.models import OwnerStaff

pytestmark = pytest.mark.django_db


@pytest.fixture
def jonas(world):
    from kollegium.core.testing.factories import UserFactory

    person = UserFactory(email="jonas@owner.example", full_name="Jonas Jansson")
    OwnerStaff.objects.create(user=person, owner=world.owner, title="Utvecklingsstrateg")
    return person


def school_urls(world):
    a = world.school_a.pk
    return [
        reverse("insights:school", args=[a]),
        reverse("insights:school_csv", args=[a, "teams"]),
        reverse("insights:report", args=[a]),
    ]


def test_alice_sees_her_schools_pages(client_for, world):
    client = client_for(world.alice)
    for url in school_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
    text = client.get(reverse("insights:school", args=[world.school_a.pk])).content.decode()
    assert "aldrig för att bedöma en lärare" in text


@pytest.mark.parametrize("who", ["dave", "bob"])
def test_other_people_get_404_for_the_school_pages(client_for, world, who):
    client = client_for(getattr(world, who))
    for url in school_urls(world):
        assert client.get(url).status_code == 404, url
    post = client.post(
        reverse("insights:promise_set", args=[world.school_a.pk]), {"minutes": 60, "unit": "week"}
    )
    assert post.status_code == 404
    assert not TimePromise.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in [
        *school_urls(world),
        reverse("insights:mine"),
        reverse("insights:owner", args=[world.owner.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_owner_staff_see_the_comparison_and_others_get_404(client_for, world, jonas):
    url = reverse("insights:owner", args=[world.owner.pk])
    assert client_for(jonas).get(url).status_code == 200
    assert (
        client_for(jonas).get(reverse("insights:owner_csv", args=[world.owner.pk])).status_code
        == 200
    )
    assert client_for(world.alice).get(url).status_code == 404
    assert client_for(world.dave).get(url).status_code == 404


def test_everyone_signed_in_sees_their_own_ledger(client_for, world):
    for person in (world.bob, world.dave, world.alice):
        assert client_for(person).get(reverse("insights:mine")).status_code == 200
    assert client_for(world.bob).get(reverse("insights:research")).status_code == 200

"""What organisations give every page and the home page through core's registry and the
context processor (core does not import this app)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from kollegium.core import registry
from kollegium.core.homepage import home_changed
from kollegium.core.testing.factories import UserFactory
from kollegium.organisations.models import Membership, OwnerStaff, Role

pytestmark = pytest.mark.django_db


def test_development_staff_without_a_school_see_their_owner_under_the_greeting(client_for, world):
    jonas = UserFactory(email="jonas@owner.example", full_name="Jonas Jansson")
    OwnerStaff.objects.create(user=jonas, owner=world.owner, title="Utvecklingsstrateg")
    page = client_for(jonas).get("/").content.decode()
    assert "Exempelstads kommun · utvecklingsmedarbetare" in page


def test_every_page_offers_the_switch_between_a_persons_schools(client_for, world):
    Membership.objects.create(user=world.bob, school=world.school_b, role=Role.TEACHER)
    page = client_for(world.bob).get("/competence/").content.decode()
    assert f'<option value="{world.school_a.pk}" selected>Skola A</option>' in page
    assert f'<option value="{world.school_b.pk}">Skola B</option>' in page


def test_without_an_app_that_knows_the_schools_people_a_school_wide_change_fails_loudly(
    world, monkeypatch
):
    monkeypatch.setattr(registry, "_school_people", [])
    with pytest.raises(ImproperlyConfigured):
        home_changed(school_ids=[world.school_a.pk])


def test_without_a_library_publishing_fails_loudly(monkeypatch):
    monkeypatch.setattr(registry, "_publisher", [])
    with pytest.raises(ImproperlyConfigured):
        registry.publish(title="x")

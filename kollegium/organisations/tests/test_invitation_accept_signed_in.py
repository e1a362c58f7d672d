"""Someone already signed in opens an invitation link: one button, no password form."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kollegium.core.testing.factories import teacher_at
from kollegium.organisations import services
from kollegium.organisations.models import Membership, Role

pytestmark = pytest.mark.django_db


def _levels(response) -> list[str]:
    return [m.level_tag for m in get_messages(response.wsgi_request)][-1:]


def _invite(world, email):
    eva = teacher_at(world.school_b, Role.LEADER, email="eva@b.example")
    _invitation, token = services.invitation_create(actor=eva, school=world.school_b, email=email)
    return reverse("organisations:invitation_accept", args=[token])


def test_bob_accepts_a_second_school_with_one_button(client_for, world):
    url = _invite(world, world.bob.email)
    bob = client_for(world.bob)
    page = bob.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    response = bob.post(url)
    assert response["Location"] == reverse("core:home")
    assert _levels(response) == ["success"]
    assert Membership.objects.filter(user=world.bob, school=world.school_b).exists()


def test_an_invitation_for_someone_else_shows_the_reason_and_changes_nothing(client_for, world):
    url = _invite(world, world.bob.email)
    response = client_for(world.carol).post(url)
    assert response.status_code == 200
    assert response.templates[0].name == "organisations/invitation_accept.html"
    assert _levels(response) == ["error"]
    assert not Membership.objects.filter(user=world.carol, school=world.school_b).exists()
    assert not Membership.objects.filter(user=world.bob, school=world.school_b).exists()

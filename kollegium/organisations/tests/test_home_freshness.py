"""The kept home page follows the person's schools and roles."""

import pytest

from kollegium.organisations import services
from kollegium.organisations.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_a_new_role_and_a_renamed_school_are_seen(client_for, world):
    bob = client_for(world.bob)
    assert "Skola A · lärare" in bob.get("/").content.decode()
    membership = Membership.objects.get(user=world.bob, school=world.school_a)
    services.membership_set_role(actor=world.alice, membership=membership, role=Role.FACILITATOR)
    assert "Skola A · förstelärare" in bob.get("/").content.decode()
    world.school_a.name = "Björkskolan"
    world.school_a.save()
    assert "Björkskolan · förstelärare" in bob.get("/").content.decode()

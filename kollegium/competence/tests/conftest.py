"""Competence test fixtures on top of the root personas."""

import pytest

from kollegium.core.testing.factories import UserFactory
from kollegium.organisations.models import OwnerStaff


@pytest.fixture
def jonas(world):
    """Development staff at the owner of School A and School B; no school of his own."""
    person = UserFactory(email="jonas@owner.example", full_name="Jonas Jansson")
    OwnerStaff.objects.create(user=person, owner=world.owner, title="Utvecklingsstrateg")
    return person

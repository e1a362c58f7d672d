"""The owner's minimum group size is set in the administration (Organisation, kind owner):
saved when within 3–50, refused with a message otherwise."""

import pytest

from kollegium.core.testing.factories import UserFactory
from kollegium.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _form(owner, value):
    return {
        "kind": owner.kind,
        "name": owner.name,
        "name_en": owner.name_en,
        "school_unit_code": owner.school_unit_code,
        "organisation_number": owner.organisation_number,
        "municipality_code": owner.municipality_code,
        "external_id": owner.external_id,
        "email": owner.email,
        "min_group_size": value,
        "created_at_0": owner.created_at.strftime("%Y-%m-%d"),
        "created_at_1": owner.created_at.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }


def test_the_administrator_sets_the_owners_minimum_group_size(world, client_for):
    admin = UserFactory(is_staff=True, is_superuser=True)
    c = client_for(admin)
    url = f"/admin/organisations/organisation/{world.owner.pk}/change/"
    page = c.get(url).content.decode()
    assert 'name="min_group_size"' in page
    response = c.post(url, _form(world.owner, 7))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Organisation.objects.get(pk=world.owner.pk).min_group_size == 7
    response = c.post(url, _form(world.owner, 2))
    assert response.status_code == 200 and b"errorlist" in response.content
    assert Organisation.objects.get(pk=world.owner.pk).min_group_size == 7

"""The owner's minimum group size for figures shown to leaders and owners."""

import pytest
from django.core.exceptions import ValidationError

from kollegium.core.aggregates import DEFAULT_MIN_GROUP_SIZE, shown
from kollegium.organisations.models import Organisation
from kollegium.organisations.selectors import min_group_size


def test_shown_needs_at_least_the_minimum():
    assert not shown(None, 5)
    assert not shown(4, 5)
    assert shown(5, 5)
    # An owner cannot go below the floor of three, whatever is stored.
    assert not shown(2, 1)
    assert shown(3, 1)


@pytest.mark.django_db
def test_a_school_uses_its_owners_setting(world, django_assert_num_queries):
    assert min_group_size(world.owner) == DEFAULT_MIN_GROUP_SIZE
    world.owner.min_group_size = 8
    world.owner.save()
    school = Organisation.objects.get(pk=world.school_a.pk)
    with django_assert_num_queries(1):
        assert min_group_size(school) == 8
        assert min_group_size(school) == 8  # kept on the instance
    loaded = Organisation.objects.select_related("parent").get(pk=world.school_a.pk)
    with django_assert_num_queries(0):
        assert min_group_size(loaded) == 8


@pytest.mark.django_db
def test_the_setting_has_bounds(world):
    world.owner.min_group_size = 1
    with pytest.raises(ValidationError):
        world.owner.full_clean()
    world.owner.min_group_size = 51
    with pytest.raises(ValidationError):
        world.owner.full_clean()

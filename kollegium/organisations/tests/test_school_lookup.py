"""A school page's school comes from the acting person's memberships, which every school page
reads anyway (issue 10: one query fewer on each), with the same answers as a lookup of its own:
a member sees their school, a leader manages theirs, everyone else gets 404."""

import pytest
from django.http import Http404

from kollegium.core.testing.factories import UserFactory
from kollegium.organisations.actor import as_actor
from kollegium.organisations.permissions import (
    get_managed_school_or_404,
    get_school_for_user_or_404,
)

pytestmark = pytest.mark.django_db


def test_a_members_school_costs_no_query_once_the_memberships_are_read(
    world, django_assert_num_queries
):
    bob, alice = as_actor(world.bob), as_actor(world.alice)
    bob.memberships, alice.memberships  # noqa: B018  # read once per request
    with django_assert_num_queries(0):
        assert get_school_for_user_or_404(bob, world.school_a.pk) == world.school_a
        assert get_managed_school_or_404(alice, world.school_a.pk) == world.school_a


def test_the_school_given_is_a_copy_the_view_may_change(world):
    alice = as_actor(world.alice)
    school = get_school_for_user_or_404(alice, world.school_a.pk)
    school.name = "Ändrat i formuläret"
    assert alice.memberships[0].school.name == world.school_a.name
    assert get_managed_school_or_404(alice, world.school_a.pk).name == world.school_a.name


def test_others_still_get_404_and_an_installation_admin_still_gets_any_school(world):
    with pytest.raises(Http404):
        get_school_for_user_or_404(as_actor(world.dave), world.school_a.pk)
    with pytest.raises(Http404):
        get_managed_school_or_404(as_actor(world.bob), world.school_a.pk)
    with pytest.raises(Http404):
        get_school_for_user_or_404(as_actor(world.bob), world.owner.pk)  # not a school
    with pytest.raises(Http404):
        get_school_for_user_or_404(as_actor(world.bob), 10**19)
    admin = UserFactory(is_staff=True)
    assert get_managed_school_or_404(as_actor(admin), world.school_b.pk) == world.school_b


def test_the_people_page_reads_no_school_of_its_own(client_for, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.alice)
    client.get(f"/school/{world.school_a.pk}/people/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/school/{world.school_a.pk}/people/").status_code == 200
    school_reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "organisations_organisation"."id"')
        and "organisations_membership" not in q["sql"]
    ]
    assert school_reads == []

"""The acting person: built once per request, read once, nothing stuck onto the user."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from kollegium.core.testing.factories import MembershipFactory, SchoolFactory
from kollegium.groups.permissions import forget_group_roles, group_roles_for_user
from kollegium.library.permissions import group_ids_for_user
from kollegium.organisations.actor import Actor, actor_of, as_actor
from kollegium.organisations.models import Membership, Role
from kollegium.organisations.permissions import can_facilitate_at, can_manage_school
from kollegium.organisations.selectors import memberships_for_user


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_one_request_has_one_actor(world):
    request = _request(world.alice)
    assert actor_of(request) is actor_of(request)
    assert actor_of(request).user is world.alice


def test_signing_in_during_a_request_gives_a_new_actor(world):
    request = _request(AnonymousUser())
    anonymous = actor_of(request)
    request.user = world.bob
    assert actor_of(request) is not anonymous
    assert actor_of(request).pk == world.bob.pk


def test_an_actor_is_returned_unchanged_and_a_person_is_wrapped(world):
    actor = as_actor(world.carol)
    assert isinstance(actor, Actor)
    assert as_actor(actor) is actor
    with pytest.raises(TypeError):
        as_actor(world.school_a)  # type: ignore[arg-type]


def test_memberships_schools_and_roles_are_read_once(world, django_assert_num_queries):
    actor = as_actor(world.alice)
    with django_assert_num_queries(2):  # memberships; network schools
        assert [m.school for m in actor.memberships] == [world.school_a]
        assert actor.school_ids == {world.school_a.pk}
        assert actor.managed_school_ids == {world.school_a.pk}
        assert actor.network_school_ids == {world.school_a.pk, world.school_b.pk}
        assert can_manage_school(actor, world.school_a)
        assert can_facilitate_at(actor, world.school_a)
        assert memberships_for_user(actor) is actor.memberships


def test_nothing_is_stuck_onto_the_user(world):
    actor = as_actor(world.bob)
    can_manage_school(actor, world.school_a)
    group_roles_for_user(actor)
    group_ids_for_user(actor)
    assert not [name for name in vars(world.bob) if name.startswith("_kollegium")]


def test_a_changed_membership_is_seen_after_forget(world):
    actor = as_actor(world.bob)
    assert not can_manage_school(actor, world.school_a)
    Membership.objects.filter(user=world.bob).update(role=Role.LEADER)
    assert not can_manage_school(actor, world.school_a)  # read once per Actor
    actor.forget()
    assert can_manage_school(actor, world.school_a)


def test_group_roles_are_kept_per_actor_and_forgotten_on_request(world):
    from kollegium.groups.models import GroupMembership, LearningGroup, MethodGuide

    guide = MethodGuide.objects.create(
        slug="tlc", version=1, method="tlc", title_sv="TLC", title_en="TLC", source="x: 1"
    )
    group = LearningGroup.objects.create(
        name="Lärgrupp",
        school=world.school_a,
        guide=guide,
        starts_on=date.today(),
        ends_on=date.today(),
    )
    actor, other = as_actor(world.bob), as_actor(world.bob)
    assert group_roles_for_user(actor) == {}
    GroupMembership.objects.create(group=group, user=world.bob)
    assert group_roles_for_user(actor) == {}  # kept for this Actor
    assert group.pk in group_roles_for_user(other)  # another Actor reads its own
    forget_group_roles(actor)
    assert group.pk in group_roles_for_user(actor)


def test_an_anonymous_actor_matches_no_row_and_stores_nothing(world):
    actor = as_actor(AnonymousUser())
    assert actor.pk == 0 and not actor.is_authenticated
    assert actor.memberships == [] and actor.network_school_ids == set()
    assert not Membership.objects.filter(user_id=actor.pk).exists()
    with pytest.raises(PermissionDenied):
        _ = actor.person


def test_an_inactive_staff_member_is_no_installation_admin(db):
    school = SchoolFactory()
    membership = MembershipFactory(school=school, role=Role.TEACHER)
    person = membership.user
    person.is_staff, person.is_active = True, False
    assert not as_actor(person).is_installation_admin
    person.is_active = True
    assert as_actor(person).is_installation_admin


def test_a_request_without_a_user_has_an_anonymous_actor(db):
    request = RequestFactory().get("/healthz")
    actor = actor_of(request)
    assert not actor.is_authenticated and actor.memberships == []
    assert actor_of(request) is actor


def test_forgetting_the_group_roles_also_drops_the_library_group_ids(world):
    from kollegium.groups.models import GroupMembership, LearningGroup, MethodGuide

    guide = MethodGuide.objects.create(
        slug="tlc", version=1, method="tlc", title_sv="TLC", title_en="TLC", source="x: 1"
    )
    group = LearningGroup.objects.create(
        name="Lärgrupp",
        school=world.school_a,
        guide=guide,
        starts_on=date.today(),
        ends_on=date.today(),
    )
    actor = as_actor(world.bob)
    assert group_ids_for_user(actor) == set()
    GroupMembership.objects.create(group=group, user=world.bob)
    assert group_ids_for_user(actor) == set()  # kept for this Actor
    forget_group_roles(actor)
    assert group_ids_for_user(actor) == {group.pk}

"""The school owner's development staff: who counts as staff, the admin that assigns them."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from kollegium.core.models import AuditEvent
from kollegium.core.testing.factories import OwnerFactory, UserFactory
from kollegium.organisations.actor import as_actor
from kollegium.organisations.models import Membership, OwnerStaff, Role
from kollegium.organisations.permissions import can_view_owner, get_owner_for_staff_or_404
from kollegium.organisations.selectors import owner_ids_for_staff, owners_for_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def jonas(world):
    person = UserFactory(email="jonas@owner.example", full_name="Jonas Jansson")
    OwnerStaff.objects.create(user=person, owner=world.owner, title="Utvecklingsstrateg")
    return person


def test_development_staff_may_view_their_owner_and_nobody_at_a_school_may(world, jonas):
    assert can_view_owner(jonas, world.owner)
    assert get_owner_for_staff_or_404(jonas, world.owner.pk) == world.owner
    for person in (world.alice, world.bob, world.carol, world.dave):
        assert not can_view_owner(person, world.owner)
        with pytest.raises(Http404):
            get_owner_for_staff_or_404(person, world.owner.pk)


def test_staff_of_one_owner_do_not_see_another_owner(world, jonas):
    other = OwnerFactory(name="Annan kommun")
    assert not can_view_owner(jonas, other)
    with pytest.raises(Http404):
        get_owner_for_staff_or_404(jonas, other.pk)


def test_a_school_id_or_an_unknown_id_is_not_an_owner(world, jonas):
    for wrong in (world.school_a.pk, 999_999):
        with pytest.raises(Http404):
            get_owner_for_staff_or_404(jonas, wrong)


def test_leading_every_school_of_an_owner_gives_no_view_of_the_owner(world):
    Membership.objects.create(user=world.alice, school=world.school_b, role=Role.LEADER)
    assert not can_view_owner(world.alice, world.owner)


def test_an_inactive_or_anonymous_person_is_never_staff(world, jonas):
    from django.contrib.auth.models import AnonymousUser

    jonas.is_active = False
    jonas.save()
    assert not can_view_owner(jonas, world.owner)
    assert not can_view_owner(AnonymousUser(), world.owner)


def test_installation_administrators_may_view_any_owner(world):
    admin = UserFactory(is_staff=True)
    assert can_view_owner(admin, world.owner)


def test_the_owners_of_a_person_are_read_once_per_request(world, jonas, django_assert_num_queries):
    actor = as_actor(jonas)
    with django_assert_num_queries(1):
        assert owners_for_staff(actor) == [world.owner]
        assert owner_ids_for_staff(actor) == {world.owner.pk}
        assert can_view_owner(actor, world.owner)


def test_staff_must_belong_to_an_owner_not_a_school(world, jonas):
    wrong = OwnerStaff(user=jonas, owner=world.school_a)
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "owner" in error.value.message_dict


@pytest.fixture
def admin_client_for(client_for):
    admin = UserFactory(is_staff=True, is_superuser=True, email="it@example.org")
    return admin, client_for(admin)


def test_an_administrator_assigns_changes_and_removes_staff_in_the_admin_all_audited(
    world, admin_client_for
):
    admin, c = admin_client_for
    person = UserFactory(email="strateg@owner.example")
    response = c.post(
        reverse("admin:organisations_ownerstaff_add"),
        {"user": person.pk, "owner": world.owner.pk, "title": "Utvecklingsledare"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staff = OwnerStaff.objects.get(user=person)
    added = AuditEvent.objects.get(action="owner_staff.added")
    assert added.actor == admin
    assert added.target_id == str(staff.pk)
    assert added.data == {"user": person.pk, "owner": world.owner.pk, "title": "Utvecklingsledare"}

    response = c.post(
        reverse("admin:organisations_ownerstaff_change", args=[staff.pk]),
        {"user": person.pk, "owner": world.owner.pk, "title": "Utvecklingsstrateg"},
    )
    assert response.status_code == 302
    changed = AuditEvent.objects.get(action="owner_staff.changed")
    assert (changed.actor, changed.data["title"]) == (admin, "Utvecklingsstrateg")

    response = c.post(
        reverse("admin:organisations_ownerstaff_delete", args=[staff.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not OwnerStaff.objects.exists()
    assert AuditEvent.objects.filter(action="owner_staff.removed", actor=admin).count() == 1


def test_removing_several_staff_at_once_audits_each(world, admin_client_for):
    admin, c = admin_client_for
    people = [UserFactory() for _ in range(2)]
    rows = [OwnerStaff.objects.create(user=p, owner=world.owner) for p in people]
    response = c.post(
        reverse("admin:organisations_ownerstaff_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"},
    )
    assert response.status_code == 302
    assert not OwnerStaff.objects.exists()
    removed = AuditEvent.objects.filter(action="owner_staff.removed", actor=admin)
    assert sorted(e.data["user"] for e in removed) == sorted(p.pk for p in people)


def test_the_admin_refuses_a_school_as_the_owner(world, admin_client_for):
    _admin, c = admin_client_for
    person = UserFactory()
    response = c.post(
        reverse("admin:organisations_ownerstaff_add"),
        {"user": person.pk, "owner": world.school_a.pk, "title": ""},
    )
    assert response.status_code == 200
    assert not OwnerStaff.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="owner_staff").exists()

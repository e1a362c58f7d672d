from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kollegium.federation import services
from kollegium.federation.models import SeenAssertion, SignInRefusal
from kollegium.federation.tests.idp import IDP_ENTITY, staff_identity


def sign_in(assertion_id: str = "_a1", **identity_kwargs):
    return services.federation_sign_in(
        idp_entity_id=IDP_ENTITY,
        attributes=staff_identity(["11111111"], **identity_kwargs),
        assertion_id=assertion_id,
        not_on_or_after=timezone.now() + dt.timedelta(minutes=5),
    )


@pytest.mark.django_db
def test_an_assertion_id_is_accepted_once(federation):
    assert sign_in("_a1").user is not None
    again = sign_in("_a1")
    assert (again.user, again.code) == (None, "replayed")
    assert SeenAssertion.objects.filter(assertion_id="_a1").count() == 1


@pytest.mark.django_db
def test_an_idp_no_longer_in_the_feed_signs_no_one_in(federation):
    federation.idp.in_feed = False
    federation.idp.save()
    assert sign_in().code == "idp_not_allowed"
    assert SignInRefusal.objects.get().code == "idp_not_allowed"


@pytest.mark.django_db
def test_an_eppn_outside_the_idps_scope_is_refused(federation):
    assert sign_in(eppn="anna@annan-kommun.se").code == "no_eppn"


@pytest.mark.django_db
def test_an_existing_account_is_linked_only_when_the_idp_vouches_for_its_email(federation, world):
    world.carol.email = "carol@elsewhere.se"
    world.carol.save()
    refused = sign_in(eppn="carol@kommun-a.se", mail="carol@elsewhere.se")
    assert refused.code == "email_taken"
    world.dave.email = "dave@kommun-a.se"
    world.dave.save()
    linked = sign_in("_a2", eppn="dave@kommun-a.se", mail="dave@kommun-a.se")
    assert linked.user == world.dave


@pytest.mark.django_db
def test_a_new_person_without_an_email_address_is_refused(federation):
    result = services.federation_sign_in(
        idp_entity_id=IDP_ENTITY,
        attributes={k: v for k, v in staff_identity(["11111111"]).items() if k != "mail"},
        assertion_id="_a3",
        not_on_or_after=None,
    )
    assert result.code == "no_email"


@pytest.mark.django_db
def test_known_and_unknown_codes_let_in_where_known_and_tell_the_administrator(federation, world):
    result = services.federation_sign_in(
        idp_entity_id=IDP_ENTITY,
        attributes=staff_identity(["11111111", "99999999"]),
        assertion_id="_a4",
        not_on_or_after=None,
    )
    assert result.user is not None
    assert list(result.user.memberships.values_list("school_id", flat=True)) == [world.school_a.pk]
    assert SignInRefusal.objects.get().params == {"codes": "99999999"}


@pytest.mark.django_db
def test_refusals_older_than_ninety_days_are_forgotten(federation):
    old = SignInRefusal.objects.create(idp_entity_id=IDP_ENTITY, code="not_staff")
    SignInRefusal.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=91)
    )
    federation.idp.delete()
    assert sign_in().code == "idp_not_allowed"
    assert list(SignInRefusal.objects.values_list("code", flat=True)) == ["idp_not_allowed"]

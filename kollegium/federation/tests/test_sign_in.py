"""Sign-in through Skolfederation end to end: our SP asks, an IdP inside the test answers,
the response goes to our ACS through the test client."""

from __future__ import annotations

from typing import Any

import pytest

from kollegium.directory.models import PersonIdentity
from kollegium.federation.models import SignInRefusal
from kollegium.federation.tests.idp import IDP_ENTITY, IDP_SSO, SHA1, InProcessIdp, staff_identity
from kollegium.organisations.models import Membership

ACS = "http://testserver/saml2/acs/"
SP = "https://kollegium.test/saml2/metadata/"


def start(client: Any, next_url: str = "/") -> str:
    response = client.get("/saml2/login/", {"idp": IDP_ENTITY, "next": next_url})
    assert response.status_code == 302
    assert response["Location"].startswith(IDP_SSO + "?SAMLRequest=")
    return response["Location"]


def answer(client: Any, idp: InProcessIdp, identity: dict[str, list[str]], **kwargs: Any) -> Any:
    request_id = idp.request_id(start(client))
    saml_response = idp.response(
        in_response_to=request_id, acs_url=ACS, sp_entity_id=SP, identity=identity, **kwargs
    )
    return client.post(
        "/saml2/acs/", {"SAMLResponse": saml_response, "RelayState": "/"}
    ), saml_response


@pytest.mark.django_db
def test_a_staff_member_signs_in_into_their_schools_as_a_teacher(client, world, test_idp):
    response, _ = answer(client, test_idp, staff_identity(["11111111", "22222222"]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/"
    identity = PersonIdentity.objects.select_related("user").get(eppn="anna@kommun-a.se")
    user = identity.user
    assert user.full_name == "Anna Andersson"
    assert user.email == "anna@kommun-a.se"
    places = set(Membership.objects.filter(user=user).values_list("school_id", "role"))
    assert places == {(world.school_a.pk, "teacher"), (world.school_b.pk, "teacher")}
    assert client.get("/").wsgi_request.user == user


@pytest.mark.django_db
def test_a_role_someone_already_has_is_kept(client, world, test_idp):
    PersonIdentity.objects.create(user=world.alice, eppn="alice@kommun-a.se")
    response, _ = answer(
        client,
        test_idp,
        staff_identity(["11111111"], eppn="alice@kommun-a.se", mail=world.alice.email),
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=world.alice, school=world.school_a).role == "leader"
    assert client.get("/").wsgi_request.user == world.alice


def _refused(response: Any, text: str) -> None:
    assert response.status_code in (400, 403)
    assert text in response.content.decode()
    assert not PersonIdentity.objects.filter(eppn="anna@kommun-a.se").exists()
    assert not Membership.objects.filter(user__email="anna@kommun-a.se").exists()


@pytest.mark.django_db
def test_a_response_signed_with_another_key_is_refused(client, world, federation, saml_keys):
    from kollegium.federation.tests.conftest import sp_metadata

    intruder = InProcessIdp(saml_keys["intruder"], sp_metadata(client))
    response, _ = answer(client, intruder, staff_identity(["11111111"]))
    _refused(response, "kunde inte verifieras")


@pytest.mark.django_db
def test_a_sha1_signed_response_is_refused(client, world, test_idp):
    response, _ = answer(client, test_idp, staff_identity(["11111111"]), alg=SHA1)
    _refused(response, "SHA-1")


@pytest.mark.django_db
def test_an_unknown_school_unit_code_creates_no_account_and_tells_the_administrator(
    client, world, test_idp
):
    response, _ = answer(client, test_idp, staff_identity(["99999999"]))
    _refused(response, "99999999")
    assert "finns inte i Kollegium" in response.content.decode()
    refusal = SignInRefusal.objects.get()
    assert (refusal.code, refusal.params) == ("unknown_school", {"codes": "99999999"})
    assert client.get("/").wsgi_request.user.is_anonymous


@pytest.mark.django_db
def test_a_school_of_another_owner_is_unknown_to_this_idp(client, world, test_idp):
    from kollegium.core.testing.factories import OwnerFactory, SchoolFactory

    SchoolFactory(parent=OwnerFactory(name="Annan kommun"), school_unit_code="33333333")
    response, _ = answer(client, test_idp, staff_identity(["33333333"]))
    _refused(response, "33333333")


@pytest.mark.django_db
def test_an_expired_assertion_is_refused(client, world, test_idp):
    response, _ = answer(client, test_idp, staff_identity(["11111111"]), age_minutes=30)
    _refused(response, "har gått ut")


@pytest.mark.django_db
def test_a_replayed_response_is_refused(client, world, test_idp):
    first, saml_response = answer(client, test_idp, staff_identity(["11111111"]))
    assert first.status_code == 302
    client.logout()
    again = client.post("/saml2/acs/", {"SAMLResponse": saml_response, "RelayState": "/"})
    assert again.status_code == 403
    assert client.get("/").wsgi_request.user.is_anonymous


@pytest.mark.django_db
def test_a_replayed_response_in_another_browser_is_refused(client, world, test_idp):
    from django.test import Client

    first, saml_response = answer(client, test_idp, staff_identity(["11111111"]))
    assert first.status_code == 302
    other = Client()
    again = other.post("/saml2/acs/", {"SAMLResponse": saml_response, "RelayState": "/"})
    assert again.status_code == 403
    assert other.get("/").wsgi_request.user.is_anonymous


@pytest.mark.django_db
def test_someone_who_is_not_staff_is_refused(client, world, test_idp):
    identity = staff_identity(["11111111"])
    identity["eduPersonScopedAffiliation"] = ["student@kommun-a.se"]
    response, _ = answer(client, test_idp, identity)
    _refused(response, "personal")


@pytest.mark.django_db
def test_an_affiliation_of_another_scope_does_not_count(client, world, test_idp):
    identity = staff_identity(["11111111"])
    identity["eduPersonScopedAffiliation"] = ["staff@annan-kommun.se"]
    response, _ = answer(client, test_idp, identity)
    _refused(response, "personal")


@pytest.mark.django_db
def test_a_deactivated_person_is_refused(client, world, test_idp):
    PersonIdentity.objects.create(user=world.bob, eppn="bob@kommun-a.se")
    world.bob.is_active = False
    world.bob.save()
    response, _ = answer(client, test_idp, staff_identity(["11111111"], eppn="bob@kommun-a.se"))
    assert response.status_code == 403
    assert "inaktiverat" in response.content.decode()
    assert client.get("/").wsgi_request.user.is_anonymous


@pytest.mark.django_db
def test_an_idp_that_is_not_allowed_cannot_start_a_sign_in(client, world, federation):
    response = client.get("/saml2/login/", {"idp": "https://idp.other.test/idp"})
    assert response.status_code == 404
    assert "inte ansluten" in response.content.decode()


@pytest.mark.django_db
def test_garbage_at_the_acs_is_refused_without_an_error(client, world, federation):
    response = client.post("/saml2/acs/", {"SAMLResponse": "bm90IHhtbA=="})
    assert response.status_code in (400, 403)
    assert client.post("/saml2/acs/", {}).status_code == 400

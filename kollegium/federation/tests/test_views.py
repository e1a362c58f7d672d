"""The administrator's pages, the IdP choice, the direct link, our metadata and the sign-in
page's entry: who sees what, bad input, the CSP, query counts."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from kollegium.core.testing.factories import OwnerFactory
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.federation.models import FederationFeed, FederationIdp, SignInRefusal
from kollegium.federation.tests.idp import IDP_ENTITY

pytestmark = pytest.mark.django_db


def admin_urls(federation):
    return [
        reverse("federation:index"),
        reverse("federation:feed", args=[federation.feed.pk]),
    ]


def test_only_installation_administrators_see_the_admin_pages(
    world, federation, client, client_for
):
    for url in admin_urls(federation):
        assert client.get(url).status_code == 302
        assert client.get(url)["Location"].startswith("/accounts/login/")
        for person in (world.alice, world.bob, world.dave):
            assert client_for(person).get(url).status_code == 404, (person, url)
        assert client_for(federation.admin).get(url).status_code == 200
    posts = [
        reverse("federation:feed_refresh", args=[federation.feed.pk]),
        reverse("federation:idp_allow", args=[federation.feed.pk]),
        reverse("federation:idp_remove", args=[federation.idp.pk]),
    ]
    for url in posts:
        assert client_for(world.dave).post(url).status_code == 404
        assert client.post(url).status_code == 302
    assert FederationIdp.objects.count() == 1


def test_an_administrator_connects_a_feed_and_allows_an_idp(
    world, sp_settings, saml_keys, feed_server, client_for
):
    from kollegium.federation.tests.idp import idp_entity_xml, signed_feed

    admin = client_for(_admin())
    feed_server.body = signed_feed([idp_entity_xml(saml_keys["idp"])], saml_keys["federation"])
    response = admin.post(
        reverse("federation:index"),
        {
            "name": "Skolfederation",
            "url": feed_server.url,
            "certificate": saml_keys["federation"].cert_pem,
        },
    )
    feed = FederationFeed.objects.get()
    assert response["Location"] == reverse("federation:feed", args=[feed.pk])
    page = admin.get(response["Location"]).content.decode()
    assert "Hämta den först" in page or "Hämta" in page
    admin.post(reverse("federation:feed_refresh", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.status == FederationFeed.Status.OK
    response = admin.post(
        reverse("federation:idp_allow", args=[feed.pk]),
        {"owner": world.owner.pk, "entity_id": IDP_ENTITY, "slug": "exempelstad"},
    )
    assert FederationIdp.objects.get().owner == world.owner
    page = admin.get(reverse("federation:feed", args=[feed.pk])).content.decode()
    assert "/saml2/s/exempelstad/" in page


def _admin():
    from kollegium.core.testing.factories import UserFactory

    return UserFactory(is_staff=True)


def test_a_certificate_that_is_not_pem_saves_nothing(world, client_for):
    admin = client_for(_admin())
    response = admin.post(
        reverse("federation:index"),
        {"name": "Skolfederation", "url": "https://fed.test/md.xml", "certificate": "nonsense"},
    )
    assert response.status_code == 200
    assert "PEM" in response.content.decode()
    assert not FederationFeed.objects.exists()


def test_allowing_an_idp_refuses_bad_choices(world, federation, client_for):
    admin = client_for(federation.admin)
    url = reverse("federation:idp_allow", args=[federation.feed.pk])
    other_owner = OwnerFactory(name="Annan kommun")
    cases = [
        {"owner": world.school_a.pk, "entity_id": IDP_ENTITY, "slug": "x1"},  # not an owner
        {"owner": other_owner.pk, "entity_id": "https://nowhere.test", "slug": "x2"},
        {"owner": other_owner.pk, "entity_id": IDP_ENTITY, "slug": "kommun-a"},  # slug taken
        {"owner": world.owner.pk, "entity_id": IDP_ENTITY, "slug": "x3"},  # already allowed
        {"owner": other_owner.pk, "entity_id": IDP_ENTITY, "slug": "not a slug"},
    ]
    for data in cases:
        response = admin.post(url, data, follow=True)
        assert response.status_code == 200
        assert (
            'class="alert' in response.content.decode() or "errorlist" in response.content.decode()
        )
    assert FederationIdp.objects.count() == 1
    admin.post(url, {"owner": other_owner.pk, "entity_id": IDP_ENTITY, "slug": "annan"})
    assert FederationIdp.objects.count() == 2


def test_removing_an_idp(world, federation, client_for):
    client_for(federation.admin).post(reverse("federation:idp_remove", args=[federation.idp.pk]))
    assert not FederationIdp.objects.exists()


def test_refusals_are_listed_for_the_administrator(world, federation, client_for):
    SignInRefusal.objects.create(
        idp_entity_id=IDP_ENTITY, code="unknown_school", params={"codes": "99999999"}
    )
    page = client_for(federation.admin).get(reverse("federation:index")).content.decode()
    assert "99999999" in page


def test_the_admin_pages_run_a_constant_number_of_queries(world, federation, client_for):
    admin = client_for(federation.admin)
    counter = iter(range(100))

    def more():
        n = next(counter)
        SignInRefusal.objects.create(idp_entity_id=IDP_ENTITY, code="not_staff")
        FederationIdp.objects.create(
            feed=federation.feed,
            owner=OwnerFactory(),
            entity_id=IDP_ENTITY,
            slug=f"o{n}",
            entity_xml="x",
        )

    for url in admin_urls(federation):
        assert_constant_queries(lambda url=url: admin.get(url), grow=more)


def test_the_choice_page_finds_the_owner_and_allows_its_idp_in_the_csp(
    world, federation, client, client_for
):
    response = client.get(reverse("saml2:choose"), {"q": "exempel"})
    assert response.status_code == 200
    page = response.content.decode()
    assert world.owner.name in page
    assert "idp=https%3A//idp.kommun-a.test/idp" in page
    assert "https://idp.kommun-a.test" in response["Content-Security-Policy"]
    assert "form-action 'self' https://idp.kommun-a.test" in response["Content-Security-Policy"]
    nothing = client.get(reverse("saml2:choose"), {"q": "Göteborg"}).content.decode()
    assert world.owner.name not in nothing
    assert client_for(world.dave).get(reverse("saml2:choose")).status_code == 200
    assert client.get(reverse("saml2:choose"), {"q": "a\x00b"}).status_code in (200, 400)


def test_the_sign_in_page_offers_school_sign_in_when_an_idp_is_allowed(
    world, sp_settings, client, federation
):
    page = client.get("/accounts/login/")
    assert "Logga in med din skola (Skolfederation)" in page.content.decode()
    assert "https://idp.kommun-a.test" in page["Content-Security-Policy"]
    FederationIdp.objects.all().delete()
    page = client.get("/accounts/login/")
    assert "Skolfederation" not in page.content.decode()
    assert "idp.kommun-a.test" not in page["Content-Security-Policy"]


def test_the_direct_link_starts_the_owners_sign_in(world, federation, client):
    response = client.get(reverse("saml2:direct", args=["kommun-a"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/saml2/login/?idp=https%3A%2F%2Fidp.kommun-a.test")
    assert client.get(reverse("saml2:direct", args=["nobody"])).status_code == 404


def test_login_without_an_idp_shows_the_choice(world, federation, client, client_for):
    choice = client.get(reverse("saml2:login"))
    assert choice.status_code == 200
    assert "Kommun eller huvudman" in choice.content.decode()
    signed_in = client_for(world.dave).get(reverse("saml2:login"), {"idp": IDP_ENTITY})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"


def test_our_metadata_asks_for_exactly_the_profiles_attributes(world, federation, client):
    response = client.get(reverse("saml2:metadata"))
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.get("entityID") == "https://kollegium.test/saml2/metadata/"
    md = "{urn:oasis:names:tc:SAML:2.0:metadata}"
    sp = root.find(f"{md}SPSSODescriptor")
    assert sp.get("AuthnRequestsSigned") == "true"
    requested = {
        (a.get("FriendlyName"), a.get("isRequired")) for a in sp.iter(f"{md}RequestedAttribute")
    }
    assert requested == {
        ("eduPersonPrincipalName", "true"),
        ("sisSchoolUnitCode", "true"),
        ("eduPersonScopedAffiliation", "true"),
        ("displayName", "false"),
        ("givenName", "false"),
        ("sn", "false"),
        ("mail", "false"),
    }
    acs = sp.find(f"{md}AssertionConsumerService")
    assert acs.get("Location") == "http://testserver/saml2/acs/"
    assert len(list(sp.iter(f"{md}KeyDescriptor"))) >= 1


def test_the_next_certificate_is_published_beside_the_current_one(
    world, federation, client, settings, saml_keys
):
    settings.SAML_NEXT_CERT_FILE = saml_keys["sp-next"].cert_file
    settings.SAML_NEXT_KEY_FILE = saml_keys["sp-next"].key_file
    body = client.get(reverse("saml2:metadata")).content.decode()
    for name in ("sp", "sp-next"):
        pem = saml_keys[name].cert_pem
        middle = "".join(pem.splitlines()[1:-1])
        assert middle[:60] in body.replace("\n", "")


def test_without_our_key_school_sign_in_is_off(world, client, settings):
    settings.SAML_KEY_FILE = ""
    assert client.get(reverse("saml2:metadata")).status_code == 404
    assert "inte tillgänglig" in client.get(reverse("saml2:choose")).content.decode()
    assert client.get(reverse("saml2:login"), {"idp": IDP_ENTITY}).status_code == 404
    assert client.post(reverse("saml2:acs"), {"SAMLResponse": "eA=="}).status_code == 404


def test_dave_signed_in_meets_the_public_sign_in_pages_without_harm(world, federation, client_for):
    dave = client_for(world.dave)
    assert dave.get(reverse("saml2:metadata")).status_code == 200
    assert dave.get(reverse("saml2:direct", args=["kommun-a"]))["Location"].startswith(
        reverse("saml2:login")
    )
    assert dave.get(reverse("saml2:login"), {"idp": IDP_ENTITY})["Location"] == "/"
    assert dave.post(reverse("saml2:acs"), {"SAMLResponse": "eA=="}).status_code == 403
    assert dave.get(reverse("saml2:acs")).status_code == 405
    assert dave.get("/").wsgi_request.user == world.dave


def test_the_choice_page_runs_a_constant_number_of_queries(world, federation, client):
    counter = iter(range(100))

    def more():
        n = next(counter)
        FederationIdp.objects.create(
            feed=federation.feed,
            owner=OwnerFactory(name=f"Kommun {n}"),
            entity_id=f"https://idp{n}.test/idp",
            slug=f"k{n}",
            sso_url=f"https://idp{n}.test/sso",
            entity_xml="<x/>",
        )

    assert_constant_queries(lambda: client.get(reverse("saml2:choose")), grow=more)
    assert_constant_queries(lambda: client.get("/accounts/login/"), grow=more)

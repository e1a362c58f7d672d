"""The federation's feed: verified with the configured certificate, or refused with the last
verified metadata kept."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from kollegium.federation import services
from kollegium.federation.models import FederationFeed, FederationIdp
from kollegium.federation.tests.idp import IDP_ENTITY, SHA1, idp_entity_xml, signed_feed


def refresh(federation):
    return services.feed_refresh(actor=None, feed=federation.feed)


@pytest.mark.django_db
def test_a_verified_feed_lists_its_identity_providers(federation):
    feed = federation.feed
    assert feed.status == FederationFeed.Status.OK
    assert [idp["entity_id"] for idp in feed.idps] == [IDP_ENTITY]
    assert feed.idps[0]["name_sv"] == "Kommun A"
    idp = FederationIdp.objects.get()
    assert (idp.sso_url, idp.scopes) == ("https://idp.kommun-a.test/sso", ["kommun-a.se"])
    assert "IDPSSODescriptor" in idp.entity_xml


@pytest.mark.django_db
def test_a_tampered_feed_is_refused_and_the_old_metadata_kept(federation, client):
    before = FederationFeed.objects.get().metadata
    good = signed_feed([idp_entity_xml(federation.keys["idp"])], federation.keys["federation"])
    federation.server.body = good.replace(b"Kommun A", b"Kommun X")
    feed = refresh(federation)
    assert (feed.status, feed.error_code) == (FederationFeed.Status.FAILED, "bad_signature")
    assert feed.metadata == before
    assert FederationIdp.objects.get().in_feed
    client.force_login(federation.admin)
    page = client.get(f"/federation/feeds/{feed.pk}/").content.decode()
    assert "stämmer inte" in page
    assert "senaste verifierade" in page


@pytest.mark.django_db
def test_a_feed_signed_by_someone_else_is_refused(federation):
    federation.server.body = signed_feed(
        [idp_entity_xml(federation.keys["idp"])], federation.keys["intruder"]
    )
    assert refresh(federation).error_code == "bad_signature"


@pytest.mark.django_db
def test_a_feed_signed_with_sha1_is_refused(federation):
    federation.server.body = signed_feed(
        [idp_entity_xml(federation.keys["idp"])], federation.keys["federation"], alg=SHA1
    )
    assert refresh(federation).error_code == "weak_algorithm"


@pytest.mark.django_db
def test_an_expired_feed_is_refused(federation):
    federation.server.body = signed_feed(
        [idp_entity_xml(federation.keys["idp"])], federation.keys["federation"], valid_days=-1
    )
    assert refresh(federation).error_code == "expired"


@pytest.mark.django_db
def test_a_signed_feed_wrapped_in_an_unsigned_one_is_refused(federation):
    good = signed_feed([idp_entity_xml(federation.keys["idp"])], federation.keys["federation"])
    body = good.split(b"?>", 1)[1] if good.startswith(b"<?xml") else good
    federation.server.body = (
        b'<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="outer">'
        + body
        + b"</md:EntitiesDescriptor>"
    )
    assert refresh(federation).error_code == "unsigned"


@pytest.mark.django_db
def test_an_unreachable_or_unreadable_feed_is_refused(federation):
    federation.server.body = b"<html>not metadata"
    assert refresh(federation).error_code == "not_xml"
    federation.feed.url = "http://127.0.0.1:9/feed.xml"
    assert refresh(federation).error_code == "unreachable"


@pytest.mark.django_db
def test_an_idp_gone_from_the_feed_can_no_longer_sign_in(federation, saml_keys):
    federation.server.body = signed_feed(
        [idp_entity_xml(saml_keys["intruder"], entity_id="https://idp.other.test/idp")],
        federation.keys["federation"],
    )
    assert refresh(federation).status == FederationFeed.Status.OK
    assert not FederationIdp.objects.get().in_feed


@pytest.mark.django_db
def test_the_command_refreshes_every_feed_and_fails_on_a_refused_one(federation, capsys):
    call_command("federation_refresh")
    assert "ok" in capsys.readouterr().out
    federation.server.body = b"garbage"
    with pytest.raises(CommandError):
        call_command("federation_refresh")
    with pytest.raises(CommandError):
        call_command("federation_refresh", feed=999)

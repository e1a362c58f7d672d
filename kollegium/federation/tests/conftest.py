from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kollegium.federation import services
from kollegium.federation.models import FederationFeed, FederationIdp
from kollegium.federation.tests.idp import (
    IDP_ENTITY,
    FeedServer,
    InProcessIdp,
    KeyPair,
    idp_entity_xml,
    make_keypair,
    signed_feed,
)


@pytest.fixture(scope="session")
def saml_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KeyPair]:
    directory: Path = tmp_path_factory.mktemp("saml-keys")
    return {
        name: make_keypair(directory, name)
        for name in ("sp", "idp", "federation", "intruder", "sp-next")
    }


@pytest.fixture
def sp_settings(settings: Any, saml_keys: dict[str, KeyPair]) -> Any:
    settings.SAML_KEY_FILE = saml_keys["sp"].key_file
    settings.SAML_CERT_FILE = saml_keys["sp"].cert_file
    settings.SAML_ENTITY_ID = "https://kollegium.test/saml2/metadata/"
    settings.SAML_BASE_URL = "http://testserver"
    settings.SAML_CONTACT_EMAIL = "it@kollegium.test"
    return settings


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


@dataclass
class Federation:
    feed: FederationFeed
    idp: FederationIdp
    server: FeedServer
    keys: dict[str, KeyPair]
    admin: Any


@pytest.fixture
def federation(
    world: Any,
    sp_settings: Any,
    saml_keys: dict[str, KeyPair],
    feed_server: FeedServer,
    installation_admin: Any,
) -> Federation:
    """Skolfederation connected and verified, Kommun A's IdP allowed for the world's owner;
    School A has the school unit code 11111111, School B 22222222."""
    world.school_a.school_unit_code = "11111111"
    world.school_a.save()
    world.school_b.school_unit_code = "22222222"
    world.school_b.save()
    feed_server.body = signed_feed([idp_entity_xml(saml_keys["idp"])], saml_keys["federation"])
    feed = services.feed_create(
        actor=installation_admin,
        name="Skolfederation",
        url=feed_server.url,
        certificate=saml_keys["federation"].cert_pem,
    )
    feed = services.feed_refresh(actor=installation_admin, feed=feed)
    assert feed.status == FederationFeed.Status.OK, feed.error_code
    idp = services.idp_allow(
        actor=installation_admin,
        feed=feed,
        owner=world.owner,
        entity_id=IDP_ENTITY,
        slug="kommun-a",
    )
    return Federation(feed, idp, feed_server, saml_keys, installation_admin)


@pytest.fixture
def installation_admin(db: Any) -> Any:
    from kollegium.core.testing.factories import UserFactory

    return UserFactory(is_staff=True, full_name="Ada Admin")


def sp_metadata(client: Any) -> str:
    response = client.get("/saml2/metadata/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def test_idp(federation: Federation, client: Any) -> InProcessIdp:
    return InProcessIdp(federation.keys["idp"], sp_metadata(client))

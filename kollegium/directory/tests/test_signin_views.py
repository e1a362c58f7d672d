"""The administrator's school sign-in pages (issue 11): who sees them, what they save, and
that a secret is never shown back."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.test import Client

from kollegium.core.models import AuditEvent
from kollegium.core.testing.factories import UserFactory
from kollegium.directory.models import SignInConnection
from kollegium.directory.services import signin

pytestmark = pytest.mark.django_db

TENANT = "11111111-2222-4333-8444-555555555555"
SECRET = "a-long-client-secret-XYZW"


@pytest.fixture
def admin():
    return UserFactory(is_staff=True)


@pytest.fixture
def connection(world, admin):
    return signin.signin_connection_create(
        actor=admin,
        owner=world.owner,
        kind="entra",
        client_id="client-1",
        secret=SECRET,
        tenant_id=TENANT,
        domain="exempelstad.se",
    )


def pages(connection, owner):
    return {
        "GET": ["/directory/sign-in/", f"/directory/sign-in/{connection.pk}/"],
        "POST": [
            "/directory/sign-in/",
            f"/directory/sign-in/{connection.pk}/",
            f"/directory/sign-in/{connection.pk}/test/",
            f"/directory/sign-in/{connection.pk}/delete/",
            f"/directory/sign-in/owners/{owner.pk}/",
        ],
    }


def test_dave_gets_not_found_everywhere_and_nothing_changes(client_for, world, connection):
    dave = client_for(world.dave)
    for method, paths in pages(connection, world.owner).items():
        for path in paths:
            response = dave.get(path) if method == "GET" else dave.post(path, {"allowed": "off"})
            assert response.status_code == 404, (method, path)
    assert SignInConnection.objects.count() == 1
    world.owner.refresh_from_db()
    assert world.owner.staff_password_sign_in is True


def test_anonymous_is_sent_to_sign_in(world, connection):
    anonymous = Client()
    for method, paths in pages(connection, world.owner).items():
        for path in paths:
            response = anonymous.get(path) if method == "GET" else anonymous.post(path)
            assert response.status_code == 302, (method, path)
            assert response["Location"].startswith("/accounts/login/")
    assert SignInConnection.objects.count() == 1


def test_the_admin_connects_a_tenant_and_the_secret_is_never_shown(client_for, world, admin):
    client = client_for(admin)
    assert client.get("/directory/sign-in/").status_code == 200
    response = client.post(
        "/directory/sign-in/",
        {
            "owner": world.owner.pk,
            "kind": "entra",
            "client_id": "client-1",
            "secret": SECRET,
            "tenant_id": TENANT.upper(),
            "domain": "Exempelstad.se",
        },
    )
    connection = SignInConnection.objects.get()
    assert response.status_code == 302
    assert (connection.tenant_id, connection.domain) == (TENANT, "exempelstad.se")
    assert connection.app.settings["server_url"] == (
        f"https://login.microsoftonline.com/{TENANT}/v2.0"
    )
    page = client.get(f"/directory/sign-in/{connection.pk}/").content.decode()
    assert SECRET not in page
    assert "XYZW" in page  # its last four, to recognise it
    assert f"/accounts/oidc/{connection.app.provider_id}/login/callback/" in page
    assert AuditEvent.objects.filter(action="directory.signin_created").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("tenant_id", "not-a-guid"), ("domain", "no domain"), ("secret", ""), ("kind", "saml")],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client_for, world, admin, field, value
):
    data = {
        "owner": world.owner.pk,
        "kind": "entra",
        "client_id": "client-1",
        "secret": SECRET,
        "tenant_id": TENANT,
        "domain": "exempelstad.se",
        field: value,
    }
    response = client_for(admin).post("/directory/sign-in/", data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not SignInConnection.objects.exists()
    assert not SocialApp.objects.exists()


def test_a_blank_secret_keeps_the_stored_one(client_for, connection, admin):
    response = client_for(admin).post(
        f"/directory/sign-in/{connection.pk}/",
        {"client_id": "client-2", "secret": "", "domain": "exempelstad.se"},
    )
    assert response.status_code == 302
    connection.app.refresh_from_db()
    assert (connection.app.client_id, connection.app.secret) == ("client-2", SECRET)


def test_passwords_off_and_on_again(client_for, world, connection, admin):
    client = client_for(admin)
    client.post(f"/directory/sign-in/owners/{world.owner.pk}/", {"allowed": "off"})
    world.owner.refresh_from_db()
    assert world.owner.staff_password_sign_in is False
    assert AuditEvent.objects.filter(action="directory.password_sign_in_off").exists()
    client.post(f"/directory/sign-in/owners/{world.owner.pk}/", {"allowed": "maybe"})
    world.owner.refresh_from_db()
    assert world.owner.staff_password_sign_in is False  # bad input changes nothing
    client.post(f"/directory/sign-in/owners/{world.owner.pk}/", {"allowed": "on"})
    world.owner.refresh_from_db()
    assert world.owner.staff_password_sign_in is True


def test_testing_an_unreachable_idp_says_so(client_for, connection, admin, settings):
    connection.app.settings["server_url"] = "http://127.0.0.1:9/nothing"
    connection.app.save()
    response = client_for(admin).post(f"/directory/sign-in/{connection.pk}/test/", follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "No discovery document" in text or "Inget discovery-dokument" in text


def test_removing_a_sign_in_removes_the_links(client_for, world, connection, admin):
    SocialAccount.objects.create(user=world.bob, provider=connection.app.provider_id, uid="oid")
    response = client_for(admin).post(f"/directory/sign-in/{connection.pk}/delete/")
    assert response.status_code == 302
    assert not SignInConnection.objects.exists()
    assert not SocialApp.objects.exists()
    assert not SocialAccount.objects.exists()


def test_the_pages_run_a_constant_number_of_queries(client_for, world, admin):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from kollegium.core.testing.factories import OwnerFactory

    client = client_for(admin)

    def count(path: str, visitor: Client | None = None) -> int:
        visitor = visitor or client
        visitor.get(path)
        with CaptureQueriesContext(db) as captured:
            assert visitor.get(path).status_code == 200
        return len(captured.captured_queries)

    first = signin.signin_connection_create(
        actor=admin,
        owner=world.owner,
        kind="google",
        client_id="c",
        secret=SECRET,
        domain="a.example",
    )
    index, detail, login = (
        count("/directory/sign-in/"),
        count(f"/directory/sign-in/{first.pk}/"),
        count("/accounts/login/", Client()),
    )
    for n in range(3):
        signin.signin_connection_create(
            actor=admin,
            owner=OwnerFactory(),
            kind="entra",
            client_id=f"c{n}",
            secret=SECRET,
            tenant_id=TENANT,
            domain="b.example",
        )
    assert count("/directory/sign-in/") == index
    assert count(f"/directory/sign-in/{first.pk}/") == detail
    assert count("/accounts/login/", Client()) == login

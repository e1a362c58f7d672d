"""School sign-in through Entra ID and Google Workspace (issue 11), against a real OpenID
provider on loopback (django-oauth-toolkit in OIDC mode, kollegium/directory/tests/oidc_idp.py):
allauth reads its discovery document, sends the browser to its authorize endpoint, exchanges
the code at its token endpoint and checks the ID token, as it would at Microsoft or Google."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client
from oauth2_provider.models import Application

from kollegium.core.models import AuditEvent
from kollegium.core.testing.factories import (
    TEST_PASSWORD,
    OwnerFactory,
    SchoolFactory,
    UserFactory,
    teacher_at,
)
from kollegium.directory.models import PersonIdentity, SignInConnection
from kollegium.directory.services import signin
from kollegium.directory.tests.oidc_idp import CLAIMS, private_key_pem

pytestmark = pytest.mark.django_db(transaction=True)

TENANT = "11111111-2222-4333-8444-555555555555"
OTHER_TENANT = "99999999-8888-4777-8666-555555555555"
SECRET = "a-client-secret-of-the-test-idp"


@pytest.fixture(scope="module")
def rsa_key() -> str:
    return private_key_pem()


@pytest.fixture
def idp(live_server, settings, rsa_key) -> str:
    settings.ROOT_URLCONF = "kollegium.directory.tests.oidc_idp"
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": rsa_key,
        "OAUTH2_VALIDATOR_CLASS": "kollegium.directory.tests.oidc_idp.ClaimsValidator",
        "SCOPES": {"openid": "OpenID", "profile": "Profile", "email": "Email"},
    }
    settings.SIGNIN_OIDC_SERVER_URLS = {
        "entra": f"{live_server.url}/o",
        "google": f"{live_server.url}/o",
    }
    CLAIMS.clear()
    yield live_server.url
    CLAIMS.clear()


@pytest.fixture
def admin():
    return UserFactory(is_staff=True)


def connect(admin, owner, kind: str, *, tenant: str = TENANT, domain: str) -> SignInConnection:
    connection = signin.signin_connection_create(
        actor=admin,
        owner=owner,
        kind=kind,
        client_id=f"kollegium-{kind}-{owner.pk}",
        secret=SECRET,
        tenant_id=tenant if kind == "entra" else "",
        domain=domain,
    )
    Application.objects.create(
        name=str(connection),
        client_id=connection.app.client_id,
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=(
            f"http://testserver/accounts/oidc/{connection.app.provider_id}/login/callback/"
        ),
        skip_authorization=True,
        algorithm=Application.RS256_ALGORITHM,
    )
    return connection


def idp_person(**claims):
    """A person's account at the IdP, with the claims its ID tokens carry."""
    person = UserFactory()
    CLAIMS[person.pk] = claims
    return person


def sign_in(
    client: Client, idp_url: str, connection: SignInConnection, idp_user, process: str = ""
):
    """The browser's whole round trip: Kollegium -> the IdP -> back to Kollegium."""
    start = client.post(
        f"/accounts/oidc/{connection.app.provider_id}/login/",
        {"process": process} if process else {},
    )
    assert start.status_code == 302, start.content[:300]
    assert start["Location"].startswith(f"{idp_url}/o/authorize/")
    browser = requests.Session()
    browser.get(f"{idp_url}/idp/sign-in/{idp_user.pk}/", timeout=10).raise_for_status()
    answer = browser.get(start["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:300]
    back = urlsplit(answer.headers["Location"])
    assert back.path == f"/accounts/oidc/{connection.app.provider_id}/login/callback/"
    return client.get(f"{back.path}?{back.query}")


def signed_in_as(client: Client):
    return client.session.get("_auth_user_id")


def entra_claims(oid: str, upn: str, *, tenant: str = TENANT, **more):
    return {"tid": tenant, "oid": oid, "preferred_username": upn, **more}


def test_entra_links_the_directory_person_and_signs_them_into_their_school(world, idp, admin):
    connection = connect(admin, world.owner, "entra", domain="exempelstad.se")
    PersonIdentity.objects.create(user=world.bob, eppn="bob.berg@exempelstad.se")
    at_idp = idp_person(**entra_claims("oid-bob", "Bob.Berg@exempelstad.se"))
    client = Client()

    response = sign_in(client, idp, connection, at_idp)

    assert response.status_code == 302, response.content[:500]
    assert signed_in_as(client) == str(world.bob.pk)
    link = SocialAccount.objects.get(provider=connection.app.provider_id)
    assert (link.user, link.uid) == (world.bob, "oid-bob")
    assert AuditEvent.objects.filter(action="directory.signin_linked", actor=world.bob).exists()
    assert client.get("/").status_code == 200  # the home page of Bob's school

    # The next time, the link (tenant + object id) signs him in, whatever the names say.
    CLAIMS[at_idp.pk]["preferred_username"] = "renamed@exempelstad.se"
    again = Client()
    assert sign_in(again, idp, connection, at_idp).status_code == 302
    assert signed_in_as(again) == str(world.bob.pk)
    assert SocialAccount.objects.count() == 1


def test_another_tenants_token_never_reaches_the_first_tenants_person(world, idp, admin):
    first = connect(admin, world.owner, "entra", domain="exempelstad.se")
    PersonIdentity.objects.create(user=world.bob, eppn="bob.berg@exempelstad.se")
    assert (
        sign_in(
            Client(), idp, first, idp_person(**entra_claims("oid-1", "bob.berg@exempelstad.se"))
        ).status_code
        == 302
    )

    # Same object id and name, but issued for another tenant: refused at the first owner's app.
    stranger = idp_person(**entra_claims("oid-1", "bob.berg@exempelstad.se", tenant=OTHER_TENANT))
    client = Client()
    response = sign_in(client, idp, first, stranger)
    assert response.status_code == 403
    assert (
        "another organisation" in response.content.decode()
        or "annan organisation" in response.content.decode()
    )
    assert signed_in_as(client) is None

    # The other tenant's own owner has no place for Bob: refused there too, nothing made.
    other_owner = OwnerFactory(name="Grannkommunen")
    SchoolFactory(parent=other_owner)
    second = connect(admin, other_owner, "entra", tenant=OTHER_TENANT, domain="exempelstad.se")
    client = Client()
    assert sign_in(client, idp, second, stranger).status_code == 403
    assert signed_in_as(client) is None
    assert SocialAccount.objects.filter(provider=second.app.provider_id).count() == 0
    assert AuditEvent.objects.filter(action="directory.signin_refused").count() == 2


def test_the_email_claim_never_links_an_existing_account(world, idp, admin):
    connection = connect(admin, world.owner, "entra", domain="a.example")
    # Bob's address in the email claim (which people can edit), but another principal name.
    at_idp = idp_person(
        **entra_claims("oid-x", "mallory@a.example", email=world.bob.email, email_verified=True)
    )
    client = Client()
    response = sign_in(client, idp, connection, at_idp)
    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()


def test_google_signs_in_by_verified_email_of_the_owners_domain(world, idp, admin):
    connection = connect(admin, world.owner, "google", domain="a.example")
    at_idp = idp_person(hd="a.example", email=world.carol.email, email_verified=True)
    client = Client()
    assert sign_in(client, idp, connection, at_idp).status_code == 302
    assert signed_in_as(client) == str(world.carol.pk)


def test_google_refuses_a_foreign_hd_and_an_unverified_email(world, idp, admin):
    connection = connect(admin, world.owner, "google", domain="a.example")
    for claims in (
        {"hd": "evil.example", "email": world.carol.email, "email_verified": True},
        {"email": world.carol.email, "email_verified": True},  # a personal Google account
        {"hd": "a.example", "email": world.carol.email, "email_verified": False},
    ):
        client = Client()
        response = sign_in(client, idp, connection, idp_person(**claims))
        assert response.status_code == 403, claims
        assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()


def test_someone_without_a_school_at_the_owner_is_refused_and_no_account_is_made(world, idp, admin):
    connection = connect(admin, world.owner, "entra", domain="exempelstad.se")
    outsider = UserFactory(email="eve@exempelstad.se")  # an account, but no school here
    users = type(outsider).objects.count()
    client = Client()
    response = sign_in(
        client, idp, connection, idp_person(**entra_claims("oid-eve", "eve@exempelstad.se"))
    )
    assert response.status_code == 403
    assert (
        "has not given you a place" in response.content.decode()
        or "inte gett dig en plats" in response.content.decode()
    )
    assert signed_in_as(client) is None
    assert type(outsider).objects.count() == users + 1  # the IdP person only


# --- Passwords off for an owner's staff ----------------------------------------------------------


def password_sign_in(client: Client, email: str):
    return client.post("/accounts/login/", {"login": email, "password": TEST_PASSWORD})


@pytest.mark.django_db(transaction=False)
def test_passwords_off_refuses_staff_sign_in_and_reset_but_not_guests(
    world, admin, django_capture_on_commit_callbacks
):
    connect_offline(admin, world.owner)
    signin.owner_password_sign_in_set(actor=admin, owner=world.owner, allowed=False)
    guest = teacher_at(SchoolFactory(), email="guest@elsewhere.example")

    client = Client()
    response = password_sign_in(client, world.bob.email)
    assert response.status_code == 200
    assert "Exempelstads kommun" in response.content.decode()
    assert signed_in_as(client) is None
    assert AuditEvent.objects.filter(
        action="accounts.password_sign_in_refused", actor=world.bob
    ).exists()

    assert password_sign_in(guest_client := Client(), guest.email).status_code == 302
    assert signed_in_as(guest_client) == str(guest.pk)
    staff_admin = teacher_at(world.school_a, email="it@a.example", is_staff=True)
    assert password_sign_in(Client(), staff_admin.email).status_code == 302

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password/reset/", {"email": world.bob.email})
        Client().post("/accounts/password/reset/", {"email": guest.email})
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert "/accounts/password/reset/key/" not in by_address[world.bob.email]
    assert "Exempelstads kommun" in by_address[world.bob.email]
    assert "/accounts/password/reset/key/" in by_address[guest.email]
    assert AuditEvent.objects.filter(action="accounts.password_reset_refused").count() == 1

    # Turned on again: Bob's password works.
    signin.owner_password_sign_in_set(actor=admin, owner=world.owner, allowed=True)
    assert password_sign_in(Client(), world.bob.email).status_code == 302


@pytest.mark.django_db(transaction=False)
def test_passwords_cannot_be_turned_off_before_a_school_sign_in_exists(world, admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        signin.owner_password_sign_in_set(actor=admin, owner=world.owner, allowed=False)
    world.owner.refresh_from_db()
    assert world.owner.staff_password_sign_in is True


def connect_offline(admin, owner, kind: str = "entra") -> SignInConnection:
    return signin.signin_connection_create(
        actor=admin,
        owner=owner,
        kind=kind,
        client_id=f"client-{kind}",
        secret=SECRET,
        tenant_id=TENANT if kind == "entra" else "",
        domain="exempelstad.se",
    )


# --- CSP: the sign-in pages' forms may go to exactly the configured IdPs ----------------------


def form_action(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directive = next(d.strip() for d in policy.split(";") if d.strip().startswith("form-action"))
    return directive.split()[1:]


@pytest.mark.django_db(transaction=False)
def test_the_sign_in_pages_allow_exactly_the_configured_origins(world, admin):
    assert form_action(Client().get("/accounts/login/")) == ["'self'"]

    entra = connect_offline(admin, world.owner, "entra")
    connect_offline(admin, OwnerFactory(), "google")
    expected = ["'self'", "https://accounts.google.com", "https://login.microsoftonline.com"]
    login_page = Client().get("/accounts/login/")
    assert form_action(login_page) == expected
    assert "Microsoft Entra ID" in login_page.content.decode()
    start_page = Client().get(f"/accounts/oidc/{entra.app.provider_id}/login/")
    assert start_page.status_code == 200
    assert form_action(start_page) == expected
    # Elsewhere the policy stays 'self'.
    assert form_action(Client().get("/accounts/password/reset/")) == ["'self'"]


def test_testing_the_connection_reads_the_discovery_document(world, idp, admin):
    google = connect(admin, world.owner, "google", domain="a.example")
    result = signin.signin_connection_test(actor=admin, connection=google)
    assert (result["ok"], result["status"], result["issuer"]) == (True, 200, f"{idp}/o")
    # An Entra tenant whose discovery document names another issuer is not right.
    entra = connect(admin, world.owner, "entra", domain="a.example")
    result = signin.signin_connection_test(actor=admin, connection=entra)
    assert (result["ok"], result["status"]) == (False, 200)
    assert result["error"]


def test_a_school_account_cannot_be_added_to_a_signed_in_account(world, idp, admin, client_for):
    connection = connect(admin, world.owner, "entra", domain="exempelstad.se")
    PersonIdentity.objects.create(user=world.bob, eppn="bob.berg@exempelstad.se")
    at_idp = idp_person(**entra_claims("oid-bob", "bob.berg@exempelstad.se"))
    alice = client_for(world.alice)
    response = sign_in(alice, idp, connection, at_idp, process="connect")
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_an_idp_that_does_not_answer_gets_a_page_not_an_error(world, admin, settings):
    settings.SIGNIN_OIDC_SERVER_URLS = {"entra": "http://127.0.0.1:9/{tenant}"}
    connection = connect_offline(admin, world.owner, "entra")
    response = Client().post(f"/accounts/oidc/{connection.app.provider_id}/login/")
    assert response.status_code == 503
    assert "could not be reached" in response.content.decode() or "kunde inte nås" in (
        response.content.decode()
    )
    assert Client().post("/accounts/oidc/no-such-sign-in/login/").status_code == 404

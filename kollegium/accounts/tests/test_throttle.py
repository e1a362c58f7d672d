"""Sign-in throttling: no lock-out by a stranger, no limit on a school's morning rush, the
client's address through trusted proxies only, and a translated 429 with Retry-After
(issue 10)."""

import pytest
from django.test import Client, RequestFactory

from kollegium.accounts import throttle
from kollegium.core.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
STRANGER = "203.0.113.5"
OWNER_AT_HOME = "198.51.100.7"
PROXY = "10.0.0.1"


def sign_in(client: Client, email: str, password: str = TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def guess_five_times(client: Client, email: str, **extra) -> None:
    for _ in range(5):
        response = sign_in(client, email, "wrong-password", **extra)
        assert response.status_code == 200


def test_the_guesser_gets_429_with_retry_after_on_the_sixth_wrong_password(world):
    stranger = Client(REMOTE_ADDR=STRANGER)
    guess_five_times(stranger, world.bob.email)
    response = sign_in(stranger, world.bob.email)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 300
    assert "för många" in response.content.decode().lower()
    assert not signed_in(stranger)


def test_a_stranger_elsewhere_does_not_lock_the_owner_out(world):
    guess_five_times(Client(REMOTE_ADDR=STRANGER), world.bob.email)
    owner = Client(REMOTE_ADDR=OWNER_AT_HOME)
    assert sign_in(owner, world.bob.email).status_code == 302
    assert signed_in(owner)


def test_a_colleague_behind_the_same_school_address_does_not_lock_the_owner_out_of_her_browser(
    world,
):
    owner = Client(REMOTE_ADDR=STRANGER)  # the school's one public address
    sign_in(owner, world.bob.email)
    owner.post("/accounts/logout/")
    assert not signed_in(owner)
    colleague = Client(REMOTE_ADDR=STRANGER)
    guess_five_times(colleague, world.bob.email)
    assert sign_in(colleague, world.bob.email).status_code == 429
    # Bob's own browser signed in to his account before: it keeps its own count.
    assert sign_in(owner, world.bob.email).status_code == 302
    assert signed_in(owner)


def test_a_known_device_is_only_known_for_the_accounts_that_signed_in_on_it(world):
    browser = Client(REMOTE_ADDR=STRANGER)
    sign_in(browser, world.carol.email)
    browser.post("/accounts/logout/")
    guess_five_times(browser, world.bob.email)
    assert sign_in(browser, world.bob.email).status_code == 429


def test_300_sign_ins_of_300_accounts_in_a_minute_from_one_address_all_succeed(db):
    people = UserFactory.create_batch(300)
    client = Client(REMOTE_ADDR=STRANGER)  # one client, a fresh browser each time
    for person in people:
        client.cookies.clear()
        response = sign_in(client, person.email)
        assert response.status_code == 302, person.email
        assert client.session["_auth_user_id"] == str(person.pk)


def test_typos_of_a_morning_rush_behind_one_address_do_not_block_the_others(world):
    people = UserFactory.create_batch(40)
    client = Client(REMOTE_ADDR=STRANGER)
    for person in people:  # everyone mistypes once, then gets it right
        client.cookies.clear()
        assert sign_in(client, person.email, "typo").status_code == 200
        assert sign_in(client, person.email).status_code == 302


def test_password_spraying_from_one_address_is_stopped_but_known_devices_still_sign_in(world):
    owner = Client(REMOTE_ADDR=STRANGER)
    sign_in(owner, world.bob.email)
    owner.post("/accounts/logout/")
    sprayer = Client(REMOTE_ADDR=STRANGER)
    for n in range(throttle.ADDRESS_FAILURES.amount):
        sign_in(sprayer, f"person{n}@nowhere.example", "Sommar2026!")
    assert sign_in(Client(REMOTE_ADDR=STRANGER), world.carol.email).status_code == 429
    assert sign_in(owner, world.bob.email).status_code == 302
    assert sign_in(Client(REMOTE_ADDR=OWNER_AT_HOME), world.carol.email).status_code == 302


def test_a_clients_own_forwarded_for_is_ignored_without_trusted_proxies(world):
    for n in range(5):
        sign_in(
            Client(REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"),
            world.bob.email,
            "wrong",
        )
    response = sign_in(
        Client(REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR="192.0.2.99"), world.bob.email
    )
    assert response.status_code == 429


def test_behind_one_trusted_proxy_each_client_address_counts_on_its_own(world, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    for _ in range(5):  # the stranger also sends a made-up address of their own
        sign_in(
            Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {STRANGER}"),
            world.bob.email,
            "wrong",
        )
    stranger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.2, {STRANGER}")
    assert sign_in(stranger, world.bob.email).status_code == 429
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER_AT_HOME)
    assert sign_in(owner, world.bob.email).status_code == 302


def test_a_trusted_header_names_the_client_address(world, settings):
    settings.TRUSTED_PROXY_HEADER = "X-Real-IP"
    guess_five_times(Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=STRANGER), world.bob.email)
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=OWNER_AT_HOME)
    assert sign_in(owner, world.bob.email).status_code == 302


def test_client_address_reads_only_what_the_operator_trusts(settings):
    def address(**meta) -> str:
        return throttle.client_address(RequestFactory().get("/", **meta))

    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXY_HEADER = 0, ""
    assert address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=STRANGER) == PROXY
    settings.TRUSTED_PROXY_HOPS = 2
    forwarded = f"192.0.2.1, {STRANGER}, 10.0.0.2"
    assert address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded) == STRANGER
    assert address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.0.0.2") == PROXY  # too short
    assert address(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="junk, 10.0.0.2") == PROXY
    settings.TRUSTED_PROXY_HEADER = "X-Real-IP"
    assert address(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="[2001:db8::1]:443") == "2001:db8::1"
    assert address(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="not an address") == PROXY


def test_allauths_own_limits_answer_with_a_translated_429_page(world):
    client = Client(REMOTE_ADDR=STRANGER)
    for n in range(20):
        client.post("/accounts/password/reset/", {"email": f"p{n}@a.example"})
    response = client.post("/accounts/password/reset/", {"email": world.bob.email})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert "För många försök" in body
    assert '<a class="skip-link" href="#main">' in body
    client.cookies["kollegium_language"] = "en"
    body = client.post("/accounts/password/reset/", {"email": world.bob.email}).content.decode()
    assert "Too many attempts" in body
    assert "Too Many Requests" not in body

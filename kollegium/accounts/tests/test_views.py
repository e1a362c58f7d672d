import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_the_sign_in_page_is_swedish_even_for_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()
    assert "Logga in" in response.content.decode()


def test_a_wrong_password_gets_a_swedish_message_and_no_session(client, world):
    response = client.post("/accounts/login/", {"login": world.bob.email, "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "e-postadress" in response.content.decode().lower()


def test_repeated_failed_sign_ins_are_throttled(client, world):
    for _ in range(5):
        client.post("/accounts/login/", {"login": world.bob.email, "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"login": world.bob.email, "password": world.password}
    )
    assert "_auth_user_id" not in client.session
    assert "för många" in response.content.decode().lower()


def test_signing_in_with_the_right_password_lands_on_home(client, world):
    response = client.post(
        "/accounts/login/", {"login": world.bob.email, "password": world.password}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Hej, Bob" in response.content.decode()


def test_sign_out_needs_a_post_and_ends_the_session(client_for, world):
    c = client_for(world.bob)
    c.post("/accounts/logout/")
    assert "_auth_user_id" not in c.session


def test_password_reset_sends_an_email_with_a_link(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": world.bob.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_signup_is_closed_because_kollegium_is_by_invitation(client):
    response = client.get("/accounts/signup/")
    assert "inbjudan" in response.content.decode().lower()


def test_a_person_edits_their_profile(client_for, world):
    from kollegium.organisations.models import Subject

    math = Subject.objects.get(code="MA")
    c = client_for(world.bob)
    response = c.post(
        "/me/profile/",
        {
            "full_name": "Bob Berg",
            "subjects": [math.pk],
            "languages": "svenska, English",
            "ask_me_about": "Exit tickets",
            "preferred_language": "sv",
            "wants_email_notifications": "on",
        },
    )
    assert response.status_code == 302
    world.bob.refresh_from_db()
    assert world.bob.ask_me_about == "Exit tickets"
    assert list(world.bob.subjects.all()) == [math]


def test_an_empty_name_is_refused_with_a_message(client_for, world):
    c = client_for(world.bob)
    response = c.post("/me/profile/", {"full_name": "  ", "preferred_language": "sv"})
    assert response.status_code == 200
    assert "Detta fält måste fyllas i" in response.content.decode()
    world.bob.refresh_from_db()
    assert world.bob.full_name == "Bob Berg"


def test_the_language_choice_is_remembered_for_the_person(client_for, world):
    c = client_for(world.bob)
    response = c.post("/me/language/", {"language": "en", "next": "/"})
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    world.bob.refresh_from_db()
    assert world.bob.preferred_language == "en"
    fresh = client_for(world.bob)  # a new browser: the saved choice still applies
    assert '<html lang="en">' in fresh.get("/").content.decode()


def test_an_unknown_language_changes_nothing(client_for, world):
    c = client_for(world.bob)
    c.post("/me/language/", {"language": "xx", "next": "/"})
    world.bob.refresh_from_db()
    assert world.bob.preferred_language == "sv"


def test_the_language_switch_never_redirects_off_site(client):
    response = client.post("/me/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_profile_needs_sign_in(client):
    response = client.get("/me/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

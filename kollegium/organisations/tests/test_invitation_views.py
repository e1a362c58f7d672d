"""The invitation pages: accepting a link (a new account or a signed-in person) and refusals."""

import pytest
from django.core import mail

from kollegium.accounts.models import User
from kollegium.organisations import services

pytestmark = pytest.mark.django_db


def test_the_invitation_page_shows_the_school_and_accepting_signs_in(client, world):
    _inv, token = services.invitation_create(
        actor=world.alice, school=world.school_a, email="nina@a.example"
    )
    url = f"/school/invitation/{token}/"
    assert "Skola A" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "full_name": "Nina Ny",
            "password1": "a-good-long-password-7",
            "password2": "a-good-long-password-7",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nina@a.example")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.preferred_language == "en"


def test_mismatched_passwords_are_shown_and_nothing_is_saved(client, world):
    _inv, token = services.invitation_create(
        actor=world.alice, school=world.school_a, email="nina@a.example"
    )
    response = client.post(
        f"/school/invitation/{token}/",
        {
            "full_name": "Nina",
            "password1": "a-good-long-password-7",
            "password2": "other-long-pass-9",
            "preferred_language": "sv",
        },
    )
    assert response.status_code == 200
    assert "inte samma" in response.content.decode()
    assert not User.objects.filter(email="nina@a.example").exists()


def test_a_used_invitation_link_shows_a_clear_message(client, world):
    _inv, token = services.invitation_create(
        actor=world.alice, school=world.school_a, email="nina@a.example"
    )
    services.invitation_accept(token=token, full_name="Nina", password="a-good-long-password-7")
    response = client.get(f"/school/invitation/{token}/")
    assert response.status_code == 410
    assert "redan använts" in response.content.decode()


def test_a_made_up_invitation_link_is_refused(client):
    response = client.get("/school/invitation/not-a-real-token/")
    assert response.status_code == 410


def test_no_email_is_sent_for_a_failed_invitation(world):
    with pytest.raises(Exception):  # noqa: B017 — PermissionDenied
        services.invitation_create(actor=world.dave, school=world.school_a, email="x@a.example")
    assert mail.outbox == []


def test_a_link_sent_before_invitations_moved_still_opens_the_invitation(client, world):
    _inv, token = services.invitation_create(
        actor=world.alice, school=world.school_a, email="nina@a.example"
    )
    response = client.get(f"/me/invitation/{token}/")
    assert response.status_code == 200
    assert "Skola A" in response.content.decode()

"""The settings page and the signed unsubscribe links (issue 16)."""

import pytest
from django.test import Client
from django.utils.translation import gettext_lazy

from kollegium.core.services import notification_send
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.notifications.forms import field_name
from kollegium.notifications.models import EmailDelivery, Preference
from kollegium.notifications.tokens import make_token

pytestmark = pytest.mark.django_db

SETTINGS = "/notifications/settings/"


def _url(user, *kinds):
    return f"/notifications/unsubscribe/{make_token(user.pk, list(kinds))}/"


def _initial(client):
    fields = client.get(SETTINGS).context["form"].fields
    return {name: field.initial for name, field in fields.items()}


def test_the_settings_page_shows_each_kind_with_its_default(client_for, world):
    response = client_for(world.bob).get(SETTINGS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Aviseringsinställningar</h1>" in page
    assert "En kollega behöver din hjälp med en fråga" in page
    assert "Ett tillgänglighetsproblem rapporterades" not in page  # administrators only
    form = response.context["form"]
    assert form[field_name("questions.accepted")].value() == "daily"
    assert form[field_name("questions.routed")].value() == "immediately"


def test_saving_the_settings_keeps_only_what_differs_from_the_defaults(client_for, world):
    client = client_for(world.bob)
    data = {
        name: field.initial for name, field in client.get(SETTINGS).context["form"].fields.items()
    }
    data[field_name("questions.routed")] = "weekly"
    data[field_name("groups.meeting_reminder")] = "off"
    response = client.post(SETTINGS, data)
    assert response.status_code == 302 and response["Location"] == SETTINGS
    assert set(Preference.objects.filter(user=world.bob).values_list("kind", "delivery")) == {
        ("questions.routed", "weekly"),
        ("groups.meeting_reminder", "off"),
    }
    assert client.get(SETTINGS).context["form"][field_name("questions.routed")].value() == "weekly"


def test_a_bad_choice_is_refused_with_a_message_and_nothing_is_saved(client_for, world):
    client = client_for(world.bob)
    data = {
        name: field.initial for name, field in client.get(SETTINGS).context["form"].fields.items()
    }
    data[field_name("questions.routed")] = "hourly"
    data[field_name("questions.answered")] = "off"
    response = client.post(SETTINGS, data)
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Preference.objects.exists()


def test_dave_sees_and_changes_only_his_own_settings(client_for, world):
    Preference.objects.create(user=world.bob, kind="questions.routed", delivery="off")
    response = client_for(world.dave).get(SETTINGS)
    assert response.status_code == 200
    assert response.context["form"][field_name("questions.routed")].value() == "immediately"


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_settings_page_runs_a_constant_number_of_queries(client_for, world):
    client = client_for(world.bob)
    kinds = iter(["questions.routed", "questions.answered", "groups.talk_moved"])
    assert_constant_queries(
        lambda: client.get(SETTINGS),
        grow=lambda: [
            Preference.objects.create(user=world.bob, kind=next(kinds), delivery="off")
            for _ in range(2)
        ],
    )


def test_the_profile_and_the_notifications_page_link_to_the_settings(client_for, world):
    client = client_for(world.bob)
    assert SETTINGS in client.get("/me/profile/").content.decode()
    assert SETTINGS in client.get("/notifications/").content.decode()


# --- Unsubscribe ---------------------------------------------------------------------------


def test_an_unsubscribe_link_asks_first_and_works_without_signing_in(client, world):
    url = _url(world.bob, "questions.routed")
    page = client.get(url)
    assert page.status_code == 200
    assert "En kollega behöver din hjälp med en fråga" in page.content.decode()
    assert not Preference.objects.exists()  # a GET (a mail scanner's visit) changes nothing
    done = client.post(url)
    assert done.status_code == 200
    assert Preference.objects.get(user=world.bob).delivery == "off"


def test_the_one_click_post_of_a_mail_client_needs_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _url(world.bob, "questions.routed", "questions.answered"),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert set(Preference.objects.values_list("kind", "delivery")) == {
        ("questions.routed", "off"),
        ("questions.answered", "off"),
    }


def test_unsubscribing_drops_what_waited_for_a_digest_of_that_kind(client, world):
    EmailDelivery.objects.create(
        notification_id=1, recipient=world.bob, kind="questions.routed", delivery="daily"
    )
    EmailDelivery.objects.create(
        notification_id=2, recipient=world.bob, kind="questions.answered", delivery="daily"
    )
    client.post(_url(world.bob, "questions.routed"))
    assert list(EmailDelivery.objects.values_list("kind", flat=True)) == ["questions.answered"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_gets_a_clear_message_and_changes_nothing(client, world, method):
    token = make_token(world.bob.pk, ["questions.routed"])
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = getattr(client, method)(f"/notifications/unsubscribe/{tampered}/")
    assert response.status_code == 400
    assert (
        "Länken för att avsluta e-post är inte giltig. Inget ändrades." in response.content.decode()
    )
    assert not Preference.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_persons_token_is_refused_to_someone_signed_in(client_for, world, method):
    response = getattr(client_for(world.dave), method)(_url(world.bob, "questions.routed"))
    assert response.status_code == 403
    assert "någon annans" in response.content.decode()
    assert not Preference.objects.exists()


def test_a_token_for_an_unknown_kind_changes_nothing(client, world):
    response = client.post(_url(world.bob, "nothing.such"))
    assert response.status_code == 400
    assert not Preference.objects.exists()


def test_a_token_of_someone_no_longer_active_changes_nothing(client, world):
    world.bob.is_active = False
    world.bob.save()
    response = client.post(_url(world.bob, "questions.routed"))
    assert response.status_code == 400
    assert not Preference.objects.exists()


def test_the_owner_of_the_token_signed_in_may_use_it(client_for, world):
    response = client_for(world.bob).post(_url(world.bob, "observation_focus"))
    assert response.status_code == 200
    assert Preference.objects.get(user=world.bob, kind="observation_focus").delivery == "off"


# --- How a digest looks ----------------------------------------------------------------------

PREVIEW = "/notifications/digest/preview/"


def _note(user, kind, name):
    return notification_send(
        recipient=user,
        kind=kind,
        title=gettext_lazy("%(name)s answered your question"),
        params={"name": name},
        email=False,
    )


def test_the_digest_example_groups_the_persons_last_week_by_kind(client_for, world):
    _note(world.bob, "questions.answered", "Quintus")
    _note(world.bob, "groups.talk_moved", "Alice")
    _note(world.dave, "questions.answered", "Zebulon")
    client = client_for(world.bob)
    assert PREVIEW in client.get(SETTINGS).content.decode()
    page = client.get(PREVIEW).content.decode()
    assert "Någon svarade på din fråga (1)" in page and "Quintus svarade på din fråga" in page
    assert page.index("Någon svarade") < page.index("Ditt inslag på en träff flyttades")
    assert "Zebulon" not in page
    assert "unsubscribe" not in page  # an example: no links that change anything


def test_dave_sees_only_his_own_digest_example(client_for, world):
    _note(world.bob, "questions.answered", "Quintus")
    page = client_for(world.dave).get(PREVIEW).content.decode()
    assert "Quintus" not in page and "ingen sammanfattning skulle skickas" in page


def test_an_anonymous_visitor_gets_no_digest_example(client):
    response = client.get(PREVIEW)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_digest_example_runs_a_constant_number_of_queries(client_for, world):
    client = client_for(world.bob)
    _note(world.bob, "questions.answered", "Quintus")
    assert_constant_queries(
        lambda: client.get(PREVIEW),
        grow=lambda: [_note(world.bob, kind, "Ida") for kind in ("observation_focus", "x.y")],
    )

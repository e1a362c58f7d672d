"""Every view: the right person, Dave (another school: 404) and an anonymous visitor."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kollegium.core.testing.factories import SchoolFactory, teacher_at
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.recognition import services
from kollegium.recognition.models import ContributionSharing, ThanksNote
from kollegium.recognition.tests.helpers import group_with_meetings

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    return group_with_meetings(world)[0]


def own_pages():
    return [
        reverse("recognition:mine"),
        reverse("recognition:thanks"),
        reverse("recognition:portfolio"),
        reverse("recognition:portfolio_json"),
    ]


def test_a_teachers_own_pages_open_and_anonymous_visitors_are_sent_to_sign_in(
    world, group, client_for, client
):
    bob = client_for(world.bob)
    for url in own_pages():
        assert bob.get(url).status_code == 200, url
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_says_why_there_are_no_leaderboards(world, client_for):
    page = client_for(world.bob).get(reverse("recognition:mine")).content.decode()
    assert "Varför det inte finns poäng, rankningar eller märken" in page


def test_the_portfolio_pdf_is_a_pdf(world, group, client_for):
    response = client_for(world.bob).get(reverse("recognition:portfolio_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_portfolio_json_has_hours_and_the_programme_mapping(world, group, client_for):
    data = client_for(world.bob).get(reverse("recognition:portfolio_json")).json()
    assert data["hours_in_learning_groups"] == 3.2  # two meetings of 95 minutes
    assert data["groups"][0]["meetings_attended"] == 2
    fits = {row["key"]: row["fit"] for row in data["professional_programme"]["rows"]}
    assert fits["group_hours"] == "fits" and fits["merit"] == "none"


def test_contributions_are_private_until_shared(world, client_for):
    url = reverse("recognition:person", args=[world.bob.pk])
    carol = client_for(world.carol)
    assert carol.get(url).status_code == 404
    ContributionSharing.objects.create(user=world.bob, shared=True)
    assert carol.get(url).status_code == 200
    assert client_for(world.dave).get(url).status_code == 404


def test_thanking_from_the_form_and_empty_thanks(world, client_for):
    bob = client_for(world.bob)
    url = reverse("recognition:thank", args=[world.carol.pk])
    assert bob.get(url).status_code == 200
    response = bob.post(url, {"text": "   "})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not ThanksNote.objects.exists()
    response = bob.post(url, {"text": "Tack för exit tickets!"})
    assert response.status_code == 302
    assert ThanksNote.objects.get().receiver == world.carol
    # Dave's school shares a network with School A: colleagues there may thank each other;
    # a teacher at a school outside the network cannot even open the form.
    assert client_for(world.dave).get(url).status_code == 200
    outsider = teacher_at(SchoolFactory(parent=world.owner))
    assert client_for(outsider).get(url).status_code == 404


def test_a_note_shown_on_the_profile_is_on_the_profile(world, client_for):
    note = services.thanks_send(actor=world.bob, receiver=world.carol, text="Tack zqthanks!")
    carol = client_for(world.carol)
    profile = reverse("competence:person", args=[world.carol.pk])
    assert "zqthanks" not in client_for(world.bob).get(profile).content.decode()
    carol.post(reverse("recognition:thanks_profile", args=[note.pk]), {"shown": "on"})
    assert "zqthanks" in client_for(world.bob).get(profile).content.decode()
    assert (
        client_for(world.dave)
        .post(reverse("recognition:thanks_profile", args=[note.pk]), {"shown": ""})
        .status_code
        == 404
    )


def test_the_facilitators_group_page_is_theirs_alone(world, group, client_for, client):
    url = reverse("recognition:group", args=[group.pk])
    assert client_for(world.carol).get(url).status_code == 200
    assert client_for(world.bob).get(url).status_code == 404
    assert client_for(world.dave).get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_a_guest_is_listed_as_a_guest_and_opens_nothing_else(world, group, client_for, client):
    _invitation, token = services.guest_invite(
        actor=world.carol,
        group=group,
        email="rut@uni.example",
        full_name="Rut Forskare",
        access_until=timezone.localdate() + timedelta(days=10),
    )
    accept = reverse("recognition:guest_accept", args=[token])
    assert client.get(accept).status_code == 200
    response = client.post(
        accept,
        {
            "password1": "ett-långt-lösenord-42",
            "password2": "ett-långt-lösenord-42",
            "preferred_language": "sv",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home"))["Location"] == reverse("recognition:guest_home")
    page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert "Rut Forskare" in page and "gäst" in page
    for url in [
        reverse("groups:list"),
        reverse("competence:profile"),
        reverse("competence:help"),
        reverse("core:search"),
        reverse("recognition:mine"),
        reverse("groups:edit", args=[group.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    members_page = client_for(world.bob).get(reverse("groups:detail", args=[group.pk]))
    assert "Rut Forskare" in members_page.content.decode()


def test_an_used_or_unknown_guest_link_says_why(client):
    response = client.get(reverse("recognition:guest_accept", args=["nope"]))
    assert response.status_code == 410
    assert "inte giltig" in response.content.decode()


def test_the_verify_page_and_the_keys_are_public(world, group, client):
    confirmation = services.confirmation_issue(actor=world.carol, group=group, person=world.bob)
    keys = client.get(reverse("jwks")).json()["keys"]
    assert keys and keys[0]["crv"] == "Ed25519"
    did = client.get(reverse("did_document")).json()
    assert did["id"].startswith("did:web:")
    url = reverse("recognition:verify")
    assert client.get(url).status_code == 200
    ok = client.post(url, {"credential": confirmation.token})
    assert ok.status_code == 200 and "Äkta" in ok.content.decode()
    head, body, sig = confirmation.token.split(".")
    altered = f"{head}.{body[:-4]}AAAA.{sig}"
    bad = client.post(url, {"credential": altered})
    assert bad.status_code == 422
    assert "ändrats" in bad.content.decode() or "skadad" in bad.content.decode()


def test_the_credential_download_is_the_persons_own(world, group, client_for):
    confirmation = services.confirmation_issue(actor=world.carol, group=group, person=world.bob)
    url = reverse("recognition:credential", args=[confirmation.pk])
    assert client_for(world.bob).get(url).content.decode() == confirmation.token
    assert client_for(world.carol).get(url).status_code == 404
    assert client_for(world.dave).get(url).status_code == 404


def test_the_portfolio_runs_a_constant_number_of_queries(world, client_for):
    bob = client_for(world.bob)
    from kollegium.groups.tests.helpers import make_group

    def more():
        group_with_meetings(world, count=2)
        make_group(world, name="Läsgrupp")

    assert_constant_queries(lambda: bob.get(reverse("recognition:portfolio")), grow=more)


def test_a_guest_is_in_no_search_of_people_nor_among_colleagues(world, group, client_for):
    from kollegium.organisations.actor import as_actor
    from kollegium.organisations.selectors import colleague_ids

    _invitation, token = services.guest_invite(
        actor=world.carol,
        group=group,
        email="rut@uni.example",
        full_name="Rut Zqforskare",
        access_until=timezone.localdate() + timedelta(days=10),
    )
    guest = services.guest_accept(token=token, password="ett-långt-lösenord-42")
    assert (
        not colleague_ids(user=as_actor(world.bob), scope="network")
        .filter(user_id=guest.pk)
        .exists()
    )
    bob = client_for(world.bob)
    for url in (
        reverse("core:search") + "?q=Zqforskare",
        reverse("competence:help") + "?q=Zqforskare",
    ):
        response = bob.get(url)
        assert response.status_code == 200
        assert "Rut Zqforskare" not in response.content.decode()  # the query alone is echoed
    assert bob.get(reverse("recognition:thank", args=[guest.pk])).status_code == 404

"""Speaker sign-up pages: who may do what, the forms, the lists, the export, query counts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kollegium.core.models import Notification
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.groups import services
from kollegium.groups.models import Meeting, Talk
from kollegium.groups.tests.helpers import (
    add_member,
    colleagues,
    group_on_the_first_workshop_guide,
    make_group,
    teachmeet,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    return make_group(world, slug="workshop", name="TeachMeet Björkskolan")


@pytest.fixture
def meeting(group):
    return teachmeet(group)


def meeting_url(meeting):
    return reverse("groups:meeting", args=[meeting.pk])


def signup_url(meeting):
    return reverse("groups:talk_signup", args=[meeting.pk])


def sign_up(person, meeting, step="micro_talks", title="Exit tickets på två minuter", **kw):
    return services.talk_signup(actor=person, meeting=meeting, step_key=step, title=title, **kw)


def form(step="micro_talks", title="Exit tickets", description="Så ser jag vilka som förstått."):
    return {"talk-step_key": step, "talk-title": title, "talk-description": description}


def section(html, element_id):
    """The HTML of the <li> or <div> with this id, up to the next agenda step."""
    start = html.index(f'id="{element_id}"')
    end = html.find('class="agenda-step card"', start + 1)
    return html[start : end if end != -1 else len(html)]


def test_a_member_signs_up_and_the_meeting_page_shows_the_speaker_list(client_for, world, meeting):
    bob = client_for(world.bob)
    page = bob.get(meeting_url(meeting)).content.decode()
    assert "Håll en presentation" in page and 'action="' + signup_url(meeting) in page
    assert "Nanopresentationer (2 minuter) · 10 av 10 platser kvar" in page
    response = bob.post(signup_url(meeting), form())
    talk = Talk.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{meeting_url(meeting)}#talk-{talk.pk}"
    sign_up(world.carol, meeting, title="Glasspinnar", description="Alla kan bli tillfrågade.")
    page = bob.get(meeting_url(meeting)).content.decode()
    micro = section(page, "step-micro_talks")
    assert micro.index("Exit tickets") < micro.index("Glasspinnar")
    assert (
        "Bob Berg" in micro and "Carol Chen" in micro and "Så ser jag vilka som förstått." in micro
    )
    assert "2 av 10 platser tagna" in micro and "(2 min)" in micro
    assert 'data-step-speakers="Bob Berg, Carol Chen"' in page
    assert "Du håller presentationen ”Exit tickets” under Nanopresentationer (2 minuter)" in page
    assert "nummer 1 i talarordningen" in page
    # Bob changes his own talk, but arranges nothing.
    assert "Ändra<span" in micro and "Flytta upp" not in micro
    # The facilitator sees the arranging buttons.
    carols = client_for(world.carol).get(meeting_url(meeting)).content.decode()
    micro = section(carols, "step-micro_talks")
    assert "Flytta upp" in micro and "Flytta ner" in micro
    assert "Flytta till Mikropresentationer (7 minuter)" in micro and "Ta bort …" in micro


def test_a_full_step_says_so_and_refuses_another_talk(client_for, world, group, meeting):
    people = colleagues(world, 4)
    for person in people:
        add_member(group, person)
        sign_up(person, meeting, step="short_talks", title="Sju minuter")
    bob = client_for(world.bob)
    page = bob.get(meeting_url(meeting)).content.decode()
    assert "Mikropresentationer (7 minuter) · fullt" in page
    assert re.search(r'<input[^>]*value="short_talks"[^>]*disabled', page)
    assert "Fullt" in section(page, "step-short_talks")
    response = bob.post(signup_url(meeting), form(step="short_talks"))
    assert response.status_code == 422
    assert "”Mikropresentationer (7 minuter)” är fullt: 4 av 4 presentationer." in (
        response.content.decode()
    )
    assert not Talk.objects.filter(speaker=world.bob).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (form(title=""), "Ge din presentation en rubrik."),
        (form(title="x" * 130), "Håll rubriken kort: högst 120 tecken."),
        (form(description="y" * 250), "Håll beskrivningen till en rad: högst 200 tecken."),
        (form(step="coffee"), "Välj ett giltigt alternativ."),
    ],
)
def test_bad_input_on_the_sign_up_form_gets_a_clear_message(
    client_for, world, meeting, data, message
):
    response = client_for(world.bob).post(signup_url(meeting), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Talk.objects.exists()


def test_the_speaker_changes_and_withdraws_their_talk(client_for, world, meeting):
    talk = sign_up(world.bob, meeting)
    bob = client_for(world.bob)
    assert bob.get(signup_url(meeting))["Location"] == reverse("groups:talk_edit", args=[talk.pk])
    edit_url = reverse("groups:talk_edit", args=[talk.pk])
    page = bob.get(edit_url).content.decode()
    assert "Ändra min presentation" in page and 'value="Exit tickets på två minuter"' in page
    assert "din presentation är här" in page
    assert bob.post(edit_url, form(title=" ")).status_code == 422
    bob.post(edit_url, form(step="short_talks", title="Exit tickets, längre"))
    talk.refresh_from_db()
    assert (talk.step_key, talk.title) == ("short_talks", "Exit tickets, längre")
    assert client_for(world.carol).get(edit_url).status_code == 403
    withdraw = reverse("groups:talk_withdraw", args=[talk.pk])
    assert client_for(world.carol).post(withdraw).status_code == 403
    response = bob.post(withdraw, {"next": meeting_url(meeting)})
    assert response["Location"] == f"{meeting_url(meeting)}#speak"
    assert not Talk.objects.exists()


def test_the_facilitator_orders_moves_and_removes_talks(client_for, world, group, meeting):
    erik = colleagues(world, 1)[0]
    add_member(group, erik)
    first = sign_up(world.bob, meeting, title="Ett")
    second = sign_up(erik, meeting, title="Två")
    carol = client_for(world.carol)
    move = reverse("groups:talk_reorder", args=[second.pk])
    response = carol.post(move, {"direction": "up", "next": meeting_url(meeting)})
    assert response["Location"] == f"{meeting_url(meeting)}#talk-{second.pk}"
    page = carol.get(meeting_url(meeting)).content.decode()
    micro = section(page, "step-micro_talks")
    assert micro.index("Två") < micro.index("Ett")
    assert "Talarordningen har ändrats." in page
    # A return address on another site is ignored.
    response = carol.post(move, {"direction": "down", "next": "https://evil.example/"})
    assert response["Location"] == f"{meeting_url(meeting)}#talk-{second.pk}"
    carol.post(reverse("groups:talk_move", args=[first.pk]), {"step": "short_talks"}, follow=True)
    first.refresh_from_db()
    assert first.step_key == "short_talks"
    assert Notification.objects.filter(recipient=world.bob, kind="groups.talk_moved").exists()
    # Already first: a clear message, nothing changes.
    response = carol.post(move, {"direction": "up"}, follow=True)
    assert "Presentationen är redan först i talarordningen." in response.content.decode()
    carol.post(
        reverse("groups:talk_remove", args=[second.pk]),
        {"message": "Vi tar den nästa gång.", "next": meeting_url(meeting)},
    )
    assert not Talk.objects.filter(pk=second.pk).exists()
    note = Notification.objects.get(recipient=erik, kind="groups.talk_removed")
    assert "Vi tar den nästa gång." in note.body
    # Bob, a member, cannot arrange anything.
    assert (
        client_for(world.bob)
        .post(reverse("groups:talk_reorder", args=[first.pk]), {"direction": "up"})
        .status_code
        == 403
    )
    assert (
        client_for(world.bob).post(reverse("groups:talk_remove", args=[first.pk])).status_code
        == 403
    )
    assert Talk.objects.filter(pk=first.pk).exists()


def talk_urls(meeting, talk):
    return {
        "signup": signup_url(meeting),
        "edit": reverse("groups:talk_edit", args=[talk.pk]),
        "withdraw": reverse("groups:talk_withdraw", args=[talk.pk]),
        "move": reverse("groups:talk_move", args=[talk.pk]),
        "reorder": reverse("groups:talk_reorder", args=[talk.pk]),
        "remove": reverse("groups:talk_remove", args=[talk.pk]),
    }


def test_dave_at_another_school_gets_404_on_every_talk_url(client_for, world, meeting):
    talk = sign_up(world.bob, meeting)
    dave = client_for(world.dave)
    urls = talk_urls(meeting, talk)
    assert dave.get(urls["signup"]).status_code == 404
    assert dave.get(urls["edit"]).status_code == 404
    posts = {
        "signup": form(),
        "edit": form(title="Daves"),
        "withdraw": {},
        "move": {"step": "short_talks"},
        "remove": {"message": "Bort"},
    }
    for name, data in posts.items():
        assert dave.post(urls[name], data).status_code == 404, name
    assert dave.post(urls["move"], {"direction": "down"}).status_code == 404
    talk.refresh_from_db()
    assert (talk.title, talk.step_key) == ("Exit tickets på två minuter", "micro_talks")
    assert Talk.objects.count() == 1 and not Notification.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, world, meeting):
    talk = sign_up(world.bob, meeting)
    for name, url in talk_urls(meeting, talk).items():
        for response in (client.get(url), client.post(url, {"step": "short_talks"})):
            assert response.status_code == 302, name
            assert "/accounts/login/" in response["Location"], name
    assert Talk.objects.get().step_key == "micro_talks"


def test_a_leader_outside_the_group_sees_the_speakers_but_neither_signs_up_nor_arranges(
    client_for, world, meeting
):
    talk = sign_up(world.bob, meeting)
    alice = client_for(world.alice)
    page = alice.get(meeting_url(meeting)).content.decode()
    assert "Exit tickets på två minuter" in page
    assert "Håll en presentation" not in page and "Flytta upp" not in page
    assert alice.post(signup_url(meeting), form()).status_code == 403
    assert (
        alice.post(reverse("groups:talk_move", args=[talk.pk]), {"step": "short_talks"}).status_code
        == 403
    )
    assert Talk.objects.count() == 1


def test_a_network_groups_member_from_another_school_signs_up(client_for, world):
    group = make_group(
        world, slug="workshop", members=[world.bob, world.dave], network=world.network
    )
    meeting = teachmeet(group)
    response = client_for(world.dave).post(signup_url(meeting), form(title="Språk i NO"))
    assert response.status_code == 302
    assert Talk.objects.get().speaker == world.dave


def test_a_held_meeting_shows_its_talks_without_sign_up_or_buttons(client_for, world, meeting):
    sign_up(world.bob, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    page = client_for(world.carol).get(meeting_url(meeting)).content.decode()
    assert "Exit tickets på två minuter" in page
    assert "Anmälan är stängd" in page
    assert "Flytta upp" not in page and "Ta bort …" not in page and "Dra tillbaka" not in page
    response = client_for(world.carol).post(signup_url(meeting), form())
    assert response.status_code == 422 and "Mötet har hållits" in response.content.decode()


def test_the_export_lists_each_meetings_talks_in_running_order(client_for, world, meeting):
    sign_up(world.bob, meeting, title="Exit tickets", description="Fem minuter före rast.")
    sign_up(world.carol, meeting, title="Glasspinnar")
    bob = client_for(world.bob)
    html = bob.get(reverse("groups:export", args=[meeting.group.pk])).content.decode()
    assert "<h4>Presentationer</h4>" in html and "<h5>Nanopresentationer (2 minuter)</h5>" in html
    assert html.index("Exit tickets") < html.index("Glasspinnar")
    assert "Fem minuter före rast." in html
    md = bob.get(reverse("groups:export_md", args=[meeting.group.pk])).content.decode()
    assert "#### Presentationer" in md and "**Nanopresentationer (2 minuter)**" in md
    assert "1. **Exit tickets** – Bob Berg (2 min): Fem minuter före rast." in md
    assert "2. **Glasspinnar** – Carol Chen (2 min)" in md


def test_the_planning_meetings_speaker_list_shows_the_next_teachmeets_sign_ups(
    client_for, world, group
):
    planning = services.meeting_schedule(
        actor=world.carol,
        group=group,
        starts_at=timezone.now() + timedelta(days=2),
        place="Rum 12",
        phase_key="sign_up",
    )
    carol = client_for(world.carol)
    page = carol.get(meeting_url(planning)).content.decode()
    assert "Nästa möte med presentationer är inte planerat ännu." in page
    meeting = teachmeet(group, days=20)
    talk = sign_up(world.bob, meeting, title="Exit tickets")
    page = carol.get(meeting_url(planning)).content.decode()
    listing = section(page, "step-sign_up")
    assert "Anmälda till mötet" in listing and "Exit tickets" in listing and "Bob Berg" in listing
    assert "<h5" in listing and "Mikropresentationer (7 minuter)" in listing
    assert reverse("groups:talk_move", args=[talk.pk]) in listing
    assert f'name="next" value="{meeting_url(planning)}"' in listing
    # Arranging from the planning meeting comes back to it.
    response = carol.post(
        reverse("groups:talk_move", args=[talk.pk]),
        {"step": "short_talks", "next": meeting_url(planning)},
    )
    assert response["Location"] == f"{meeting_url(planning)}#talk-{talk.pk}"


def test_a_group_on_the_first_version_of_the_workshop_guide_still_shows_its_meetings(
    client_for, world
):
    group = group_on_the_first_workshop_guide(world)
    meeting = teachmeet(group)
    bob = client_for(world.bob)
    response = bob.get(meeting_url(meeting))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nanopresentationer (2 minuter)" in page
    assert "säger inte hur lång varje presentation är" in page
    assert "Håll en presentation" not in page
    assert bob.get(signup_url(meeting)).status_code == 404
    assert bob.get(reverse("groups:detail", args=[group.pk])).status_code == 200


# --------------------------------------------------------------------------- query counts


def fill(group, meeting, world, count):
    """``count`` more speakers, spread over both talk steps while they have room."""
    people = colleagues(world, count)
    for i, person in enumerate(people):
        add_member(group, person)
        short_taken = meeting.talks.filter(step_key="short_talks").count()
        step = "short_talks" if i % 3 == 0 and short_taken < 4 else "micro_talks"
        sign_up(person, meeting, step=step, title=f"Presentation {i}", description="En rad.")


def test_the_meeting_page_runs_a_constant_number_of_queries_whatever_the_talks(
    client_for, world, group, meeting
):
    sign_up(world.bob, meeting)
    carol = client_for(world.carol)
    assert_constant_queries(
        lambda: carol.get(meeting_url(meeting)), grow=lambda: fill(group, meeting, world, 9)
    )
    assert meeting.talks.count() == 10


def test_the_planning_page_runs_a_constant_number_of_queries_whatever_the_talks(
    client_for, world, group
):
    planning = services.meeting_schedule(
        actor=world.carol,
        group=group,
        starts_at=timezone.now() + timedelta(days=2),
        place="Rum 12",
        phase_key="sign_up",
    )
    meeting = teachmeet(group, days=20)
    sign_up(world.bob, meeting)
    carol = client_for(world.carol)
    assert_constant_queries(
        lambda: carol.get(meeting_url(planning)), grow=lambda: fill(group, meeting, world, 8)
    )


def test_the_export_runs_a_constant_number_of_queries_whatever_the_talks(
    client_for, world, group, meeting
):
    sign_up(world.bob, meeting)
    bob = client_for(world.bob)
    url = reverse("groups:export", args=[group.pk])

    def grow():
        fill(group, meeting, world, 6)
        later = teachmeet(group, days=40)
        fill(group, later, world, 5)

    assert_constant_queries(lambda: bob.get(url), grow=grow)
    md = reverse("groups:export_md", args=[group.pk])
    assert_constant_queries(lambda: bob.get(md), grow=lambda: fill(group, meeting, world, 2))


def test_the_guide_page_says_how_many_talks_fit(client_for, world):
    page = client_for(world.bob).get(reverse("groups:guide", args=["workshop"])).content.decode()
    assert "presentationer på 2 minuter, 10 får plats i det här steget" in page
    assert "presentationer på 7 minuter, 4 får plats i det här steget" in page
    assert "Visar vilka som har anmält sig att tala" in page


def test_the_meeting_page_speaks_english_to_an_english_speaker(client_for, world, meeting):
    world.bob.preferred_language = "en"
    world.bob.save()
    sign_up(world.carol, meeting, title="Glasspinnar")
    page = client_for(world.bob).get(meeting_url(meeting)).content.decode()
    assert "Give a talk" in page and "Nano talks (2 minutes) · 9 of 10 places left" in page
    assert "1 of 10 places taken" in page and "Sign up to speak" in page
    assert "Håll en presentation" not in page

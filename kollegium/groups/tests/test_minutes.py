"""Minutes two members edit at once: a version token, a merge, a conflict page, a history."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kollegium.core.testing.queries import assert_constant_queries
from kollegium.core.textmerge import EditConflict
from kollegium.groups import services
from kollegium.groups.models import Attendance, Meeting, MinutesRevision
from kollegium.groups.tests.helpers import add_member, commitment, make_group, past_meeting

pytestmark = pytest.mark.django_db

START = "Vi läste kapitel 3.\nExit tickets i 5B.\nNästa gång: kapitel 4.\nTa med elevexempel."
TOKEN = re.compile(r'name="notes-version" value="([^"]*)"')


@pytest.fixture
def meeting(world):
    group = make_group(world)
    meeting = past_meeting(group, 1)
    services.meeting_notes_save(
        actor=world.carol, meeting=meeting, minutes=START, decisions="", base_revision=0
    )
    meeting.refresh_from_db()
    return meeting


def minutes_url(meeting):
    return reverse("groups:meeting_minutes", args=[meeting.pk])


def token_on_page(client, meeting) -> str:
    page = client.get(reverse("groups:meeting", args=[meeting.pk])).content.decode()
    (token,) = TOKEN.findall(page)
    return token


def post_minutes(client, meeting, token, minutes, decisions=""):
    data = {"notes-minutes": minutes, "notes-decisions": decisions, "notes-version": token}
    return client.post(minutes_url(meeting), data)


# --- the service -----------------------------------------------------------------------------


def test_every_save_is_kept_as_a_version_with_who_and_when(world, meeting):
    saved = services.meeting_notes_save(
        actor=world.bob, meeting=meeting, minutes=START + "\nBob.", base_revision=1
    )
    assert saved.revision == 2 and not saved.merged
    rows = list(MinutesRevision.objects.filter(meeting=meeting).order_by("number"))
    assert [(r.number, r.author, r.minutes) for r in rows] == [
        (1, world.carol, START),
        (2, world.bob, START + "\nBob."),
    ]
    # Saving the same text again adds no version.
    again = services.meeting_notes_save(
        actor=world.bob, meeting=meeting, minutes=START + "\nBob.", base_revision=2
    )
    assert again.revision == 2 and MinutesRevision.objects.filter(meeting=meeting).count() == 2


def test_edits_to_different_lines_from_the_same_version_are_merged(world, meeting):
    services.meeting_notes_save(
        actor=world.carol,
        meeting=meeting,
        minutes=START.replace("kapitel 3.", "kapitel 3 och 4."),
        base_revision=1,
    )
    saved = services.meeting_notes_save(
        actor=world.bob,
        meeting=meeting,
        minutes=START.replace("Ta med elevexempel.", "Ta med tre elevexempel."),
        base_revision=1,
    )
    assert saved.merged and saved.merged_with == ("Carol Chen",)
    meeting.refresh_from_db()
    assert "kapitel 3 och 4." in meeting.minutes and "tre elevexempel" in meeting.minutes
    assert meeting.minutes_revision == 3


def test_edits_to_the_same_line_save_nothing_and_carry_both_texts(world, meeting):
    theirs = START.replace("Exit tickets i 5B.", "Exit tickets i 5B och 6A.")
    services.meeting_notes_save(actor=world.carol, meeting=meeting, minutes=theirs, base_revision=1)
    mine = START.replace("Exit tickets i 5B.", "Mini-whiteboards i 5B.")
    with pytest.raises(EditConflict) as raised:
        services.meeting_notes_save(actor=world.bob, meeting=meeting, minutes=mine, base_revision=1)
    conflict = raised.value
    minutes = conflict.field_map["minutes"]
    assert conflict.version == 2 and conflict.editors == ("Carol Chen",)
    assert minutes.theirs == theirs and minutes.mine == mine and not minutes.merge.clean
    meeting.refresh_from_db()
    assert meeting.minutes == theirs and meeting.minutes_revision == 2


def test_a_token_naming_no_saved_version_never_overwrites(world, meeting):
    for token in (None, 7, -1):
        with pytest.raises(EditConflict) as raised:
            services.meeting_notes_save(
                actor=world.bob, meeting=meeting, minutes="Något helt annat.", base_revision=token
            )
        assert raised.value.unknown_base
    meeting.refresh_from_db()
    assert meeting.minutes == START


def test_text_still_holding_conflict_markers_is_refused(world, meeting):
    marked = "<<<<<<< Carol\nA\n=======\nB\n>>>>>>> din text"
    with pytest.raises(ValidationError):
        services.meeting_notes_save(
            actor=world.bob, meeting=meeting, minutes=marked, base_revision=1
        )
    meeting.refresh_from_db()
    assert meeting.minutes == START


# --- two sessions in the browser's place -------------------------------------------------------


def test_two_members_editing_different_lines_both_keep_their_edits(client_for, world, meeting):
    bob, carol = client_for(world.bob), client_for(world.carol)
    bob_token, carol_token = token_on_page(bob, meeting), token_on_page(carol, meeting)
    assert bob_token == carol_token == "1"
    first = post_minutes(carol, meeting, carol_token, START.replace("kapitel 3.", "kapitel 3–4."))
    assert first.status_code == 302
    second = post_minutes(
        bob, meeting, bob_token, START.replace("elevexempel.", "elevexempel från 5B.")
    )
    assert second.status_code == 302
    page = bob.get(second["Location"]).content.decode()
    assert "sammanslagna med ändringarna som Carol Chen gjorde under tiden" in page
    meeting.refresh_from_db()
    assert "kapitel 3–4." in meeting.minutes and "elevexempel från 5B." in meeting.minutes
    assert token_on_page(bob, meeting) == "3"


def test_overlapping_edits_show_both_texts_and_overwrite_nothing(client_for, world, meeting):
    bob, carol = client_for(world.bob), client_for(world.carol)
    token = token_on_page(bob, meeting)
    theirs = START.replace("Exit tickets i 5B.", "Exit tickets i 5B och 6A.")
    assert post_minutes(carol, meeting, token, theirs).status_code == 302
    mine = START.replace("Exit tickets i 5B.", "Mini-whiteboards i 5B.")
    response = post_minutes(bob, meeting, token, mine, decisions="Läs kapitel 4")
    page = response.content.decode()
    assert response.status_code == 409
    assert "Anteckningarna ändrades medan du skrev" in page
    assert "Carol Chen sparade anteckningarna efter att du öppnade dem" in page
    assert "Exit tickets i 5B och 6A." in page and "Mini-whiteboards i 5B." in page
    assert "Ingenting har sparats ännu." in page
    assert page.count('name="notes-version" value="2"') == 2  # combined, keep mine
    meeting.refresh_from_db()
    assert meeting.minutes == theirs and meeting.decisions == ""

    # Keeping my text goes through the same check, from the version the page showed.
    kept = post_minutes(bob, meeting, "2", mine, decisions="Läs kapitel 4")
    assert kept.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == mine and meeting.decisions == "Läs kapitel 4"
    assert MinutesRevision.objects.get(meeting=meeting, number=2).minutes == theirs


def test_a_choice_made_on_an_old_conflict_page_is_checked_again(client_for, world, meeting):
    bob, carol = client_for(world.bob), client_for(world.carol)
    one = START.replace("Exit tickets i 5B.", "Exit tickets i 5B och 6A.")
    services.meeting_notes_save(actor=world.carol, meeting=meeting, minutes=one, base_revision=1)
    # Bob's conflict page offered version 2; meanwhile Carol changes that line again.
    two = one.replace("och 6A", "och 6B")
    assert post_minutes(carol, meeting, "2", two).status_code == 302
    mine = START.replace("Exit tickets i 5B.", "Mini-whiteboards i 5B.")
    again = post_minutes(bob, meeting, "2", mine)
    assert again.status_code == 409 and "och 6B" in again.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == two


def test_the_combined_text_with_markers_left_in_is_refused_with_a_message(
    client_for, world, meeting
):
    bob = client_for(world.bob)
    marked = "<<<<<<< Carol Chen\nA\n=======\nB\n>>>>>>> din text"
    response = post_minutes(bob, meeting, "1", marked)
    assert response.status_code == 422
    assert "Texten innehåller fortfarande raderna" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == START


@pytest.mark.parametrize(
    "token", ["", "abc", "-1", "99999999999999999999", "١", "1.0", "9" * 5000, "7"]
)
def test_a_missing_forged_or_garbage_token_gets_a_clear_page_and_saves_nothing(
    client_for, world, meeting, token
):
    response = post_minutes(client_for(world.bob), meeting, token, "Något helt annat.")
    assert response.status_code == 409
    assert "Formuläret sa inte vilken version av anteckningarna du utgick från" in (
        response.content.decode()
    )
    meeting.refresh_from_db()
    assert meeting.minutes == START and meeting.minutes_revision == 1


def test_a_garbage_token_on_empty_minutes_saves_since_nothing_can_be_lost(client_for, world):
    meeting = past_meeting(make_group(world), 1)
    Meeting.objects.filter(pk=meeting.pk).update(minutes="")
    response = post_minutes(client_for(world.bob), meeting, "abc", "Första anteckningen.")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Första anteckningen." and meeting.minutes_revision == 1


# --- the history ------------------------------------------------------------------------------


def test_members_see_every_version_of_the_minutes(client_for, world, meeting):
    services.meeting_notes_save(
        actor=world.bob, meeting=meeting, minutes="Bobs version.", base_revision=1
    )
    bob = client_for(world.bob)
    page = bob.get(reverse("groups:meeting", args=[meeting.pk])).content.decode()
    history = reverse("groups:meeting_minutes_history", args=[meeting.pk])
    assert history in page and "Tidigare versioner av anteckningarna (2 sparade versioner)" in page
    response = bob.get(history)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Anteckningarnas historik" in body and "Bobs version." in body
    assert "Sparad av Carol Chen" in body and "Sparad av Bob Berg" in body
    assert body.index("Bobs version.") < body.index("Exit tickets i 5B.")


def test_the_history_is_hidden_like_the_minutes(client, client_for, world, meeting):
    history = reverse("groups:meeting_minutes_history", args=[meeting.pk])
    # Alice leads School A but is not in the group, whose minutes are for members only.
    assert client_for(world.alice).get(history).status_code == 404
    assert client_for(world.dave).get(history).status_code == 404
    response = client.get(history)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_history_runs_a_constant_number_of_queries(client_for, world, meeting):
    bob = client_for(world.bob)
    url = reverse("groups:meeting_minutes_history", args=[meeting.pk])
    people = [world.bob, world.carol]

    def grow():
        for i in range(4):
            current = Meeting.objects.get(pk=meeting.pk)
            services.meeting_notes_save(
                actor=people[i % 2],
                meeting=current,
                minutes=f"Version {i}",
                base_revision=current.minutes_revision,
            )

    assert_constant_queries(lambda: bob.get(url), grow=grow)


# --- one URL per action -----------------------------------------------------------------------


def test_each_meeting_action_has_its_own_url_closed_to_outsiders(client, client_for, world):
    group = make_group(world)
    meeting = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=3), place="Rum 4"
    )
    posts = {
        "groups:meeting_apologies": {},
        "groups:meeting_cancel": {},
        "groups:meeting_minutes": {"notes-minutes": "x", "notes-version": "0"},
        "groups:meeting_attendance": {"attendance-present": [world.bob.pk]},
        "groups:meeting_commitment_create": {"commitment-text": "x"},
    }
    bobs = commitment(meeting, world.bob)
    urls = [(reverse(name, args=[meeting.pk]), data) for name, data in posts.items()]
    reflect = reverse("groups:commitment_reflect", args=[meeting.pk, bobs.pk])
    urls.append((reflect, {f"reflect-{bobs.pk}-outcome": "worked"}))
    for url, data in urls:
        assert client_for(world.dave).post(url, data).status_code == 404, url
        anonymous = client.post(url, data)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    meeting.refresh_from_db()
    bobs.refresh_from_db()
    assert meeting.minutes == "" and meeting.status == "planned" and bobs.reflected_at is None
    assert not Attendance.objects.filter(meeting=meeting).exists()

    bob = client_for(world.bob)
    attendance = bob.post(
        reverse("groups:meeting_attendance", args=[meeting.pk]),
        {"attendance-present": [world.bob.pk]},
    )
    assert attendance.status_code == 302 and attendance["Location"].endswith("#attendance-heading")
    sorry = bob.post(reverse("groups:meeting_apologies", args=[meeting.pk]))
    assert sorry.status_code == 302
    assert Attendance.objects.get(meeting=meeting, user=world.bob).present is False
    cancelled = client_for(world.carol).post(reverse("groups:meeting_cancel", args=[meeting.pk]))
    assert cancelled.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    # Minutes of a cancelled meeting: a clear message on the form, nothing saved.
    refused = post_minutes(bob, meeting, "0", "x")
    assert refused.status_code == 422 and "Mötet har ställts in." in refused.content.decode()


def test_the_conflict_page_runs_a_constant_number_of_queries(client_for, world, meeting):
    bob = client_for(world.bob)
    people = [world.carol, world.alice]
    add_member(meeting.group, world.alice)
    n = iter(range(100))

    def grow():
        for _i in range(3):
            current = Meeting.objects.get(pk=meeting.pk)
            services.meeting_notes_save(
                actor=people[next(n) % 2],
                meeting=current,
                minutes=START.replace("Exit tickets i 5B.", f"Exit tickets {next(n)}."),
                base_revision=current.minutes_revision,
            )

    grow()
    mine = START.replace("Exit tickets i 5B.", "Mini-whiteboards i 5B.")
    assert_constant_queries(
        lambda: post_minutes(bob, meeting, "1", mine), grow=grow, expect_status=409
    )

"""Pages of the observations app: access for every persona, the journeys, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kollegium.observations.models import (
    Observation,
    ObservationFeedback,
    ObservationNote,
    ObservationRound,
    RoundPair,
    RoundStatus,
    SharedLearning,
)
from kollegium.observations.tests.helpers import make_observation, soon

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def held(world):
    """Carol observed Bob's lesson yesterday; it was agreed and has started."""
    return make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, start=soon(days=-1)
    )


@pytest.fixture
def a_round(world):
    round_ = ObservationRound.objects.create(
        school=world.school_a,
        title="Vårens runda",
        first_day=timezone.localdate(),
        last_day=timezone.localdate() + timedelta(days=11),
        created_by=world.carol,
    )
    round_.participants.set([world.alice, world.bob, world.carol])
    return round_


# --- access: every page, every persona --------------------------------------------------------


def pages(held, a_round):
    return [
        reverse("observations:home"),
        reverse("observations:guide"),
        reverse("observations:request"),
        reverse("observations:detail", args=[held.pk]),
        reverse("observations:rounds"),
        reverse("observations:round_new"),
        reverse("observations:round_detail", args=[a_round.pk]),
        reverse("observations:statistics"),
        reverse("observations:statistics_csv"),
    ]


def test_an_anonymous_visitor_is_sent_to_sign_in_on_every_page(client, held, a_round):
    for url in pages(held, a_round):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url


def test_dave_from_another_school_sees_none_of_school_a(client_for, world, held, a_round):
    dave = client_for(world.dave)
    for url in pages(held, a_round)[3:]:
        assert dave.get(url).status_code == 404, url
    home = dave.get(reverse("observations:home"))
    assert home.status_code == 200
    assert "Bob Berg" not in home.content.decode()


def test_the_pair_sees_the_observation_and_nobody_else_does(client_for, world, held):
    url = reverse("observations:detail", args=[held.pk])
    assert client_for(world.bob).get(url).status_code == 200
    assert client_for(world.carol).get(url).status_code == 200
    assert client_for(world.alice).get(url).status_code == 404  # the leader: never the content
    assert client_for(world.dave).get(url).status_code == 404


def test_rounds_and_statistics_are_for_facilitators_and_leaders(client_for, world, a_round):
    for url in (
        reverse("observations:rounds"),
        reverse("observations:round_new"),
        reverse("observations:round_detail", args=[a_round.pk]),
        reverse("observations:statistics"),
        reverse("observations:statistics_csv"),
    ):
        assert client_for(world.alice).get(url).status_code == 200, url
        assert client_for(world.carol).get(url).status_code == 200, url
        assert client_for(world.bob).get(url).status_code == 404, url
        assert client_for(world.dave).get(url).status_code == 404, url


def test_every_post_endpoint_refuses_dave_and_anonymous(client, client_for, world, held, a_round):
    pair = RoundPair.objects.create(
        round=a_round,
        observer=world.bob,
        observed=world.carol,
        lesson_ref="x",
        start=soon(days=3),
        end=soon(days=3) + timedelta(hours=1),
    )
    learning = SharedLearning.objects.create(
        school=world.school_a, author=world.bob, body="Mitt lärande", observation=held
    )
    posts = [
        reverse("observations:agree", args=[held.pk]),
        reverse("observations:decline", args=[held.pk]),
        reverse("observations:cancel", args=[held.pk]),
        reverse("observations:mark_done", args=[held.pk]),
        reverse("observations:mark_debriefed", args=[held.pk]),
        reverse("observations:reschedule", args=[held.pk]),
        reverse("observations:focus", args=[held.pk]),
        reverse("observations:note_add", args=[held.pk]),
        reverse("observations:feedback", args=[held.pk]),
        reverse("observations:debrief", args=[held.pk]),
        reverse("observations:share", args=[held.pk]),
        reverse("observations:round_solve", args=[a_round.pk]),
        reverse("observations:round_publish", args=[a_round.pk]),
        reverse("observations:round_close", args=[a_round.pk]),
        reverse("observations:pair_move", args=[pair.pk]),
        reverse("observations:pair_answer", args=[pair.pk]),
        reverse("observations:learning_withdraw", args=[learning.pk]),
        reverse("observations:round_prefer", args=[a_round.pk]),
        reverse("observations:round_unprefer", args=[a_round.pk, world.bob.pk, world.alice.pk]),
    ]
    dave = client_for(world.dave)
    for url in posts:
        assert dave.post(url, {"body": "x", "answer": "accept"}).status_code == 404, url
        response = client.post(url, {"body": "x"})
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), url
    held.refresh_from_db()
    assert held.status == "agreed" and not ObservationNote.objects.exists()
    assert SharedLearning.objects.filter(pk=learning.pk).exists()


# --- the teacher's journey --------------------------------------------------------------------


def test_bob_asks_carol_to_observe_at_a_given_time(client_for, world):
    bob = client_for(world.bob)
    day = soon(days=3)
    response = bob.post(
        reverse("observations:request"),
        {
            "observer": world.carol.pk,
            "day": day.date().isoformat(),
            "start_time": "09:00",
            "end_time": "10:00",
            "lesson_label": "Matematik 8B",
            "focus_key": "questioning",
            "focus_detail": "Väntetiden",
            "form_key": "stars_and_wish",
        },
    )
    observation = Observation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("observations:detail", args=[observation.pk])
    assert observation.start == day.replace(hour=9)
    assert (observation.observer, observation.focus_key) == (world.carol, "questioning")


def test_a_request_without_a_time_or_with_dave_shows_errors_and_saves_nothing(client_for, world):
    bob = client_for(world.bob)
    response = bob.post(
        reverse("observations:request"),
        {"observer": world.carol.pk, "focus_key": "questioning", "form_key": "stars_and_wish"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    response = bob.post(
        reverse("observations:request"),
        {
            "observer": world.dave.pk,
            "day": soon(days=3).date().isoformat(),
            "start_time": "09:00",
            "end_time": "10:00",
            "focus_key": "questioning",
            "form_key": "stars_and_wish",
        },
    )
    assert response.status_code == 200 and "observer" in response.context["form"].errors
    assert not Observation.objects.exists()


def test_carol_agrees_then_declining_is_no_longer_possible(client_for, world):
    observation = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, status="requested"
    )
    carol = client_for(world.carol)
    response = carol.post(reverse("observations:agree", args=[observation.pk]))
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.status == "agreed"
    response = carol.post(reverse("observations:decline", args=[observation.pk]), {"reason": "Nej"})
    assert response.status_code == 400
    observation.refresh_from_db()
    assert observation.status == "agreed"


def test_declining_without_a_reason_shows_the_form_again(client_for, world):
    observation = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, status="requested"
    )
    response = client_for(world.carol).post(
        reverse("observations:decline", args=[observation.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert response.context["decline_form"].errors
    observation.refresh_from_db()
    assert observation.status == "requested"


def test_cancelling_with_an_overlong_reason_shows_the_error_and_changes_nothing(client_for, world):
    observation = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, status="agreed"
    )
    response = client_for(world.bob).post(
        reverse("observations:cancel", args=[observation.pk]), {"reason": "x" * 501}
    )
    assert response.status_code == 400 and response.context["cancel_form"].errors
    observation.refresh_from_db()
    assert observation.status == "agreed"


def test_an_unknown_action_is_a_404(client_for, world, held):
    response = client_for(world.bob).post(f"/observations/{held.pk}/grade/")
    assert response.status_code == 404


def test_carol_adds_a_note_from_her_phone_with_htmx(client_for, world, held):
    carol = client_for(world.carol)
    response = carol.post(
        reverse("observations:note_add", args=[held.pk]),
        {"body": "Väntetid 5 s"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Väntetid 5 s" in body and "<html" not in body
    assert ObservationNote.objects.filter(observation=held, author=world.carol).count() == 1


def test_carol_writes_feedback_in_the_agreed_form_and_bob_reads_it(client_for, world, held):
    carol = client_for(world.carol)
    response = carol.post(
        reverse("observations:feedback", args=[held.pk]),
        {"star_1": "Glasspinnarna", "star_2": "Minitavlorna", "wish": "Parsamtal först?"},
    )
    assert response.status_code == 302
    assert ObservationFeedback.objects.get(observation=held).answers["wish"] == "Parsamtal först?"
    page = client_for(world.bob).get(reverse("observations:detail", args=[held.pk]))
    assert "Parsamtal först?" in page.content.decode()


def test_bob_cannot_write_feedback_on_his_own_lesson(client_for, world, held):
    response = client_for(world.bob).post(
        reverse("observations:feedback", args=[held.pk]), {"star_1": "Jag var bra"}
    )
    assert response.status_code == 403
    assert not ObservationFeedback.objects.exists()


def test_a_descriptive_feedback_with_judging_words_gets_a_gentle_hint(client_for, world):
    observation = make_observation(
        school=world.school_a,
        observer=world.carol,
        observed=world.bob,
        start=soon(days=-1),
        form_key="descriptive_evidence",
    )
    carol = client_for(world.carol)
    carol.post(
        reverse("observations:feedback", args=[observation.pk]),
        {"evidence": "09:12 Bra fråga. Fyra elever svarade.", "patterns": "", "questions": ""},
    )
    page = carol.get(reverse("observations:detail", args=[observation.pk])).content.decode()
    hint = page.split('id="judgement-hint"', 1)[1].split("</p>", 1)[0]
    assert "Bra" in hint
    bobs_page = client_for(world.bob).get(reverse("observations:detail", args=[observation.pk]))
    assert 'id="judgement-hint"' not in bobs_page.content.decode()  # a hint for the writer only


def test_bob_shares_a_learning_and_his_team_sees_it_but_dave_does_not(client_for, world, held):
    held.status = "done"
    held.save()
    response = client_for(world.bob).post(
        reverse("observations:share", args=[held.pk]),
        {"body": "Parsamtal gav fler svar", "team": ""},
    )
    assert response.status_code == 302
    assert (
        "Parsamtal gav fler svar"
        in client_for(world.alice).get(reverse("observations:home")).content.decode()
    )
    assert (
        "Parsamtal gav fler svar"
        not in client_for(world.dave).get(reverse("observations:home")).content.decode()
    )


# --- the facilitator's journey ----------------------------------------------------------------


def test_carol_creates_a_round_for_her_team(client_for, world):
    carol = client_for(world.carol)
    today = timezone.localdate()
    response = carol.post(
        reverse("observations:round_new"),
        {
            "title": "Runda för arbetslaget",
            "team": world.team_a.pk,
            "participants": [world.alice.pk],
            "first_day": (today + timedelta(days=7)).isoformat(),
            "last_day": (today + timedelta(days=18)).isoformat(),
            "k": 1,
            "subject_mode": "mixed",
            "max_per_day": 1,
            "require_observer_free": "on",
        },
    )
    round_ = ObservationRound.objects.get()
    assert response.status_code == 302
    assert set(round_.participants.all()) == {world.alice, world.bob, world.carol}
    assert round_.team == world.team_a


def test_a_round_with_dates_backwards_shows_an_error(client_for, world):
    today = timezone.localdate()
    response = client_for(world.carol).post(
        reverse("observations:round_new"),
        {
            "title": "Baklänges",
            "participants": [world.alice.pk, world.bob.pk],
            "first_day": (today + timedelta(days=18)).isoformat(),
            "last_day": (today + timedelta(days=7)).isoformat(),
            "k": 1,
            "subject_mode": "mixed",
            "max_per_day": 1,
        },
    )
    assert response.status_code == 200
    assert "last_day" in response.context["form"].errors
    assert not ObservationRound.objects.exists()


def test_a_participant_accepts_a_pair_from_the_home_page(client_for, world, a_round):
    start = soon(days=3)
    pair = RoundPair.objects.create(
        round=a_round,
        observer=world.bob,
        observed=world.carol,
        lesson_ref="x",
        lesson_label="Svenska 7A",
        start=start,
        end=start + timedelta(hours=1),
    )
    a_round.status = RoundStatus.PUBLISHED
    a_round.save()
    bob = client_for(world.bob)
    assert "Svenska 7A" in bob.get(reverse("observations:home")).content.decode()
    bob.post(reverse("observations:pair_answer", args=[pair.pk]), {"answer": "accept"})
    pair.refresh_from_db()
    assert pair.observer_response == "accepted" and pair.status == "proposed"
    response = client_for(world.carol).post(
        reverse("observations:pair_answer", args=[pair.pk]),
        {"answer": "decline", "reason": ""},
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.observed_response == "pending"  # a decline without a reason changes nothing


def test_the_progress_poll_reloads_the_page_when_planning_is_over(client_for, world, a_round):
    url = reverse("observations:round_detail", args=[a_round.pk]) + "?part=progress"
    carol = client_for(world.carol)
    a_round.status = RoundStatus.SOLVING
    a_round.progress = 0.4
    a_round.save()
    response = carol.get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'value="40"' in body and "<html" not in body
    a_round.status = RoundStatus.PROPOSED
    a_round.save()
    response = carol.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Refresh"] == "true"

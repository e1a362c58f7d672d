"""Writes on single observations: who may do what, what is saved, who is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollegium.core.models import AuditEvent, Notification
from kollegium.observations import services
from kollegium.observations.models import (
    Observation,
    ObservationFeedback,
    ObservationNote,
    SharedLearning,
)
from kollegium.observations.tests.helpers import make_observation, soon

pytestmark = pytest.mark.django_db


def request_from_bob(world, **overrides):
    start = overrides.pop("start", soon())
    params = {
        "actor": world.bob,
        "school": world.school_a,
        "observer": world.carol,
        "start": start,
        "end": start + timedelta(minutes=60),
        "focus_key": "questioning",
        "form_key": "stars_and_wish",
        "focus_detail": "Hur länge väntar jag efter en fråga?",
        "lesson_label": "Matematik 8B",
    }
    params.update(overrides)
    return services.observation_request(**params)


def test_a_teacher_asks_a_colleague_and_the_colleague_is_notified(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        observation = request_from_bob(world)
    assert observation.status == "requested"
    assert observation.observed == world.bob and observation.observer == world.carol
    assert observation.awaiting == "observer"
    note = Notification.objects.get(recipient=world.carol)
    assert "Bob Berg" in note.title
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [world.carol.email]
    assert "Hur länge" not in mailoutbox[0].body  # the focus detail is not in the email


def test_a_teacher_cannot_ask_someone_from_another_school(world):
    with pytest.raises(ValidationError):
        request_from_bob(world, observer=world.dave)
    assert not Observation.objects.exists()


def test_a_teacher_cannot_ask_themselves_or_skip_the_focus(world):
    with pytest.raises(ValidationError):
        request_from_bob(world, observer=world.bob)
    with pytest.raises(ValidationError):
        request_from_bob(world, focus_key="")
    with pytest.raises(ValidationError):
        request_from_bob(world, focus_key="astrology")
    with pytest.raises(ValidationError):
        request_from_bob(world, form_key="grades")
    assert not Observation.objects.exists()


def test_a_request_in_the_past_is_refused_with_a_clear_message(world):
    with pytest.raises(ValidationError) as err:
        request_from_bob(world, start=soon(days=-3))
    assert err.value.code == "time_in_past"


def test_the_colleague_agrees_and_the_asker_cannot_agree_for_them(world):
    observation = request_from_bob(world)
    with pytest.raises(ValidationError) as err:
        services.observation_agree(actor=world.bob, observation=observation)
    assert err.value.code == "not_your_turn"
    services.observation_agree(actor=world.carol, observation=observation)
    observation.refresh_from_db()
    assert observation.status == "agreed"


def test_someone_outside_the_pair_can_do_nothing(world):
    observation = request_from_bob(world)
    for person in (world.alice, world.dave):
        with pytest.raises(PermissionDenied):
            services.observation_agree(actor=person, observation=observation)
        with pytest.raises(PermissionDenied):
            services.observation_cancel(actor=person, observation=observation)


def test_declining_needs_a_reason_and_saves_nothing_without_one(world):
    observation = request_from_bob(world)
    with pytest.raises(ValidationError):
        services.observation_decline(actor=world.carol, observation=observation, reason=" ")
    observation.refresh_from_db()
    assert observation.status == "requested"
    services.observation_decline(actor=world.carol, observation=observation, reason="Rastvakt")
    observation.refresh_from_db()
    assert (observation.status, observation.reason) == ("declined", "Rastvakt")


def test_rescheduling_asks_the_other_person_again_and_bumps_the_sequence(world):
    observation = request_from_bob(world)
    services.observation_agree(actor=world.carol, observation=observation)
    before = observation.sequence
    new = soon(days=4, hour=13)
    services.observation_reschedule(
        actor=world.carol, observation=observation, start=new, end=new + timedelta(minutes=45)
    )
    observation.refresh_from_db()
    assert observation.status == "requested" and observation.awaiting == "observed"
    assert observation.start == new and observation.sequence > before


def test_only_the_observer_writes_notes_and_feedback(world):
    observation = make_observation(
        school=world.school_a,
        observer=world.carol,
        observed=world.bob,
        start=soon(days=-1),
        status="agreed",
    )
    services.observation_note_add(actor=world.carol, observation=observation, body="09:05 Start")
    with pytest.raises(PermissionDenied):
        services.observation_note_add(actor=world.bob, observation=observation, body="x")
    with pytest.raises(PermissionDenied):
        services.observation_feedback_save(
            actor=world.bob, observation=observation, answers={"star_1": "x"}
        )
    services.observation_feedback_save(
        actor=world.carol,
        observation=observation,
        answers={"star_1": "Väntetid", "star_2": "", "wish": "Par först?", "extra": "ignored"},
    )
    feedback = ObservationFeedback.objects.get(observation=observation)
    assert feedback.answers == {"star_1": "Väntetid", "star_2": "", "wish": "Par först?"}
    assert ObservationNote.objects.filter(observation=observation).count() == 1


def test_empty_or_overlong_notes_and_feedback_are_refused(world):
    observation = make_observation(
        school=world.school_a,
        observer=world.carol,
        observed=world.bob,
        start=soon(days=-1),
        status="agreed",
    )
    with pytest.raises(ValidationError):
        services.observation_note_add(actor=world.carol, observation=observation, body="  ")
    with pytest.raises(ValidationError):
        services.observation_note_add(actor=world.carol, observation=observation, body="x" * 2001)
    with pytest.raises(ValidationError):
        services.observation_feedback_save(
            actor=world.carol, observation=observation, answers={"star_1": " "}
        )
    assert not ObservationNote.objects.exists() and not ObservationFeedback.objects.exists()


def test_feedback_before_the_lesson_starts_is_refused(world):
    observation = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, status="agreed"
    )
    with pytest.raises(PermissionDenied):
        services.observation_feedback_save(
            actor=world.carol, observation=observation, answers={"star_1": "x"}
        )


def test_only_the_observed_teacher_chooses_the_focus_before_the_lesson(world):
    observation = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, status="agreed"
    )
    with pytest.raises(PermissionDenied):
        services.observation_set_focus(
            actor=world.carol,
            observation=observation,
            focus_key="pupil_talk",
            form_key="stars_and_wish",
        )
    services.observation_set_focus(
        actor=world.bob,
        observation=observation,
        focus_key="pupil_talk",
        form_key="descriptive_evidence",
        focus_detail="Par-samtalen",
    )
    observation.refresh_from_db()
    assert (observation.focus_key, observation.form_key) == ("pupil_talk", "descriptive_evidence")


def test_the_lesson_is_held_then_debriefed_and_the_debrief_is_booked(world):
    observation = make_observation(
        school=world.school_a,
        observer=world.carol,
        observed=world.bob,
        start=soon(days=-1),
        status="agreed",
    )
    services.observation_mark_done(actor=world.bob, observation=observation)
    later = observation.end + timedelta(hours=2)
    services.observation_debrief_set(
        actor=world.carol, observation=observation, start=later, end=later + timedelta(minutes=30)
    )
    with pytest.raises(ValidationError):
        services.observation_debrief_set(
            actor=world.carol,
            observation=observation,
            start=observation.start - timedelta(hours=1),
            end=observation.start,
        )
    services.observation_mark_debriefed(actor=world.carol, observation=observation)
    observation.refresh_from_db()
    assert observation.status == "debriefed" and observation.debrief_start == later


def test_only_the_observed_teacher_shares_a_learning_after_the_lesson(world):
    observation = make_observation(
        school=world.school_a,
        observer=world.carol,
        observed=world.bob,
        start=soon(days=-1),
        status="done",
    )
    with pytest.raises(PermissionDenied):
        services.learning_share(actor=world.carol, observation=observation, body="Mitt lärande")
    with pytest.raises(ValidationError):
        services.learning_share(actor=world.bob, observation=observation, body="   ")
    learning = services.learning_share(
        actor=world.bob, observation=observation, body="Parsamtal först", team=world.team_a
    )
    assert learning.team == world.team_a and learning.school == world.school_a
    assert AuditEvent.objects.filter(action="observations.learning_shared").count() == 1
    services.learning_withdraw(actor=world.bob, learning=learning)
    assert not SharedLearning.objects.exists()


def test_a_learning_cannot_go_to_a_team_the_teacher_is_not_in(world):
    from kollegium.core.testing.factories import TeamFactory

    other_team = TeamFactory(school=world.school_a, name="Ämneslag NO")
    observation = make_observation(
        school=world.school_a,
        observer=world.carol,
        observed=world.bob,
        start=soon(days=-1),
        status="done",
    )
    with pytest.raises(ValidationError):
        services.learning_share(
            actor=world.bob, observation=observation, body="Lärande", team=other_team
        )
    assert not SharedLearning.objects.exists()


def test_someone_else_cannot_withdraw_a_shared_learning(world):
    observation = make_observation(
        school=world.school_a,
        observer=world.carol,
        observed=world.bob,
        start=soon(days=-1),
        status="done",
    )
    learning = services.learning_share(actor=world.bob, observation=observation, body="Lärande")
    with pytest.raises(PermissionDenied):
        services.learning_withdraw(actor=world.alice, learning=learning)
    assert SharedLearning.objects.filter(pk=learning.pk).exists()

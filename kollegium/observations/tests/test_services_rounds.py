"""Rounds: creating one, sending it out, answering a pair, and what a leader sees afterwards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollegium.core.models import Notification
from kollegium.observations import selectors, services
from kollegium.observations.models import (
    Observation,
    ObservationRound,
    RoundPair,
    RoundStatus,
)
from kollegium.observations.tests.helpers import make_observation, soon
from kollegium.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def new_round(world, **overrides):
    params = {
        "actor": world.carol,
        "school": world.school_a,
        "title": "Höstens runda",
        "participants": [world.alice, world.bob, world.carol],
        "first_day": date(2026, 3, 2),
        "last_day": date(2026, 3, 13),
        "k": 1,
        "subject_mode": "mixed",
    }
    params.update(overrides)
    return services.round_create(**params)


def proposed_round(world):
    round_ = new_round(world)
    people = [world.alice, world.bob, world.carol]
    for i, (observer, observed) in enumerate(zip(people, people[1:] + people[:1], strict=True)):
        start = soon(days=3 + i)
        RoundPair.objects.create(
            round=round_,
            observer=observer,
            observed=observed,
            lesson_ref=f"L{i}",
            lesson_label=f"Lektion {i}",
            start=start,
            end=start + timedelta(minutes=60),
        )
    round_.status = RoundStatus.PROPOSED
    round_.save()
    return round_


def test_a_facilitator_creates_a_round_with_its_rules(world):
    round_ = new_round(world, k=2, subject_mode="cross", max_per_day=2)
    assert round_.status == RoundStatus.DRAFT
    assert set(round_.participants.all()) == {world.alice, world.bob, world.carol}
    assert (round_.k, round_.subject_mode, round_.max_per_day) == (2, "cross", 2)


def test_a_teacher_cannot_create_a_round(world):
    with pytest.raises(PermissionDenied):
        new_round(world, actor=world.bob)
    with pytest.raises(PermissionDenied):
        new_round(world, actor=world.dave)
    assert not ObservationRound.objects.exists()


def test_a_round_refuses_people_from_another_school_and_bad_rules(world):
    with pytest.raises(ValidationError) as err:
        new_round(world, participants=[world.bob, world.dave])
    assert "participants" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        new_round(world, participants=[world.bob])
    assert "participants" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        new_round(
            world,
            first_day=date(2026, 3, 13),
            last_day=date(2026, 3, 2),
            k=9,
            subject_mode="astral",
            title=" ",
        )
    assert {"k", "subject_mode", "title", "last_day"} <= set(err.value.error_dict)
    assert not ObservationRound.objects.exists()


def test_publishing_tells_every_participant(world):
    round_ = proposed_round(world)
    services.round_publish(actor=world.carol, round_=round_)
    assert round_.status == RoundStatus.PUBLISHED
    assert Notification.objects.filter(kind="observation_round").count() == 3


def test_a_draft_cannot_be_published(world):
    round_ = new_round(world)
    with pytest.raises(ValidationError):
        services.round_publish(actor=world.carol, round_=round_)


def test_both_accepting_creates_an_agreed_observation(world):
    round_ = proposed_round(world)
    services.round_publish(actor=world.carol, round_=round_)
    pair = RoundPair.objects.get(observer=world.alice)
    services.pair_respond(actor=world.alice, pair=pair, accept=True)
    assert not Observation.objects.exists()
    services.pair_respond(actor=world.bob, pair=pair, accept=True)
    pair.refresh_from_db()
    assert pair.status == "confirmed"
    observation = Observation.objects.get(round_pair=pair)
    assert observation.status == "agreed"
    assert (observation.observer, observation.observed) == (world.alice, world.bob)
    assert observation.focus_key == ""  # Bob chooses the focus himself


def test_a_decline_needs_a_reason_and_tells_the_facilitator(world):
    round_ = proposed_round(world)
    services.round_publish(actor=world.carol, round_=round_)
    pair = RoundPair.objects.get(observer=world.alice)
    with pytest.raises(ValidationError):
        services.pair_respond(actor=world.bob, pair=pair, accept=False, reason="")
    services.pair_respond(actor=world.bob, pair=pair, accept=False, reason="Nationella prov")
    pair.refresh_from_db()
    assert (pair.status, pair.decline_reason) == ("declined", "Nationella prov")
    assert Notification.objects.filter(
        recipient=world.carol, kind="observation_pair_declined"
    ).exists()


def test_only_the_two_people_of_a_pair_may_answer_it(world):
    round_ = proposed_round(world)
    services.round_publish(actor=world.carol, round_=round_)
    pair = RoundPair.objects.get(observer=world.alice)
    for outsider in (world.carol, world.dave):
        with pytest.raises(PermissionDenied):
            services.pair_respond(actor=outsider, pair=pair, accept=True)


def test_nobody_answers_before_the_round_is_sent_out(world):
    round_ = proposed_round(world)
    pair = round_.pairs.first()
    with pytest.raises(PermissionDenied):
        services.pair_respond(actor=pair.observer, pair=pair, accept=True)


def test_the_statistics_count_per_team_and_round_and_name_who_is_not_observed(world):
    round_ = proposed_round(world)
    pair = RoundPair.objects.get(observer=world.alice)  # alice observes bob
    make_observation(
        school=world.school_a,
        observer=world.alice,
        observed=world.bob,
        status="done",
        start=soon(days=-1),
        round_pair=pair,
    )
    make_observation(
        school=world.school_a, observer=world.bob, observed=world.carol, status="declined"
    )
    # The school has three people: the owner's lowest minimum group size (3) lets the whole
    # school's row be shown, while the two-person team's rows carry no count and no name.
    world.owner.min_group_size = 3
    world.owner.save()
    school = Organisation.objects.get(pk=world.school_a.pk)
    rows = selectors.statistics_for_school(actor=world.alice, school=school)
    everyone = next(r for r in rows if r.round == round_.title and r.people == 3)
    assert (everyone.took_place, everyone.planned) == (1, 0)
    assert everyone.not_observed == sorted(["Alice Andersson", "Carol Chen"])
    team_row = next(r for r in rows if r.round == round_.title and r.team == world.team_a.name)
    assert not team_row.shown
    assert (team_row.people, team_row.took_place, team_row.not_observed) == (None, None, [])
    outside = next(r for r in rows if r.team == world.team_a.name and r.round != round_.title)
    assert not outside.shown and outside.declined is None


def test_the_round_page_explains_what_blocks_with_names(world):
    round_ = new_round(world)
    round_.status = RoundStatus.INFEASIBLE
    round_.blocking = [
        {"rule": "observer_free", "people": [str(world.bob.pk)], "detail": "x"},
        {"rule": "unknown_rule", "people": [], "detail": "ignored"},
    ]
    round_.save()
    view = selectors.round_view(actor=world.carol, round_=round_)
    assert len(view.blocking) == 1
    assert "Bob Berg" in view.blocking[0].text


def test_declining_after_both_accepted_cancels_the_observation_for_the_calendar(world):
    round_ = proposed_round(world)
    services.round_publish(actor=world.carol, round_=round_)
    pair = RoundPair.objects.get(observer=world.alice)
    services.pair_respond(actor=world.alice, pair=pair, accept=True)
    services.pair_respond(actor=world.bob, pair=pair, accept=True)
    observation = Observation.objects.get(round_pair=pair)
    services.pair_respond(actor=world.alice, pair=pair, accept=False, reason="Sjuk")
    cancelled = Observation.objects.get(pk=observation.pk)
    assert (cancelled.status, cancelled.reason) == ("cancelled", "Sjuk")
    assert cancelled.sequence == observation.sequence + 1


def test_a_preferred_pair_must_be_two_different_people_in_the_round(world):
    round_ = new_round(world, participants=[world.alice, world.bob])
    with pytest.raises(ValidationError):
        services.round_prefer_pair(
            actor=world.carol, round_=round_, observer=world.bob, observed=world.bob
        )
    with pytest.raises(ValidationError):
        services.round_prefer_pair(
            actor=world.carol, round_=round_, observer=world.bob, observed=world.carol
        )
    with pytest.raises(PermissionDenied):
        services.round_prefer_pair(
            actor=world.bob, round_=round_, observer=world.bob, observed=world.alice
        )
    services.round_prefer_pair(
        actor=world.carol, round_=round_, observer=world.bob, observed=world.alice
    )
    services.round_prefer_pair(
        actor=world.carol, round_=round_, observer=world.bob, observed=world.alice
    )
    assert round_.preferred_pairs == [[world.bob.pk, world.alice.pk]]
    services.round_unprefer_pair(
        actor=world.carol, round_=round_, observer_id=world.bob.pk, observed_id=world.alice.pk
    )
    round_.refresh_from_db()
    assert round_.preferred_pairs == []

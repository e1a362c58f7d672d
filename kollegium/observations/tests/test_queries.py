"""Every page runs the same number of SQL queries with a little data and with more."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kollegium.core.testing.factories import TeamMembershipFactory, teacher_at
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.observations import services
from kollegium.observations.models import ObservationRound, RoundPair, RoundStatus
from kollegium.observations.tests.helpers import make_observation, soon
from kollegium.organisations.models import Role

pytestmark = pytest.mark.django_db


def a_round(world, title="Runda", status=RoundStatus.PUBLISHED):
    round_ = ObservationRound.objects.create(
        school=world.school_a,
        title=title,
        status=status,
        created_by=world.carol,
        first_day=timezone.localdate(),
        last_day=timezone.localdate() + timedelta(days=11),
    )
    round_.participants.set([world.alice, world.bob, world.carol])
    return round_


def grow(world, n=4):
    """More colleagues, observations, notes, pairs, rounds and shared learnings."""

    def more():
        round_ = a_round(world, title=f"Runda {ObservationRound.objects.count()}")
        for i in range(n):
            colleague = teacher_at(world.school_a, Role.TEACHER)
            TeamMembershipFactory(team=world.team_a, user=colleague)
            round_.participants.add(colleague)
            for observer, observed, status in (
                (colleague, world.bob, "requested"),
                (world.bob, colleague, "agreed"),
                (world.carol, colleague, "done"),
            ):
                obs = make_observation(
                    school=world.school_a,
                    observer=observer,
                    observed=observed,
                    status=status,
                    start=soon(days=-1 - i if status == "done" else 3 + i),
                )
                if status == "done":
                    services.observation_note_add(actor=world.carol, observation=obs, body="n")
            start = soon(days=4 + i)
            RoundPair.objects.create(
                round=round_,
                observer=world.bob,
                observed=colleague,
                lesson_ref=f"g{i}",
                start=start,
                end=start + timedelta(hours=1),
            )

    return more


def test_the_home_page_is_constant(client_for, world):
    bob = client_for(world.bob)
    assert_constant_queries(lambda: bob.get(reverse("observations:home")), grow(world))


def test_the_observation_page_is_constant(client_for, world):
    held = make_observation(
        school=world.school_a,
        observer=world.carol,
        observed=world.bob,
        start=soon(days=-1),
        status="done",
    )

    def more():
        grow(world)()
        for i in range(5):
            services.observation_note_add(actor=world.carol, observation=held, body=f"not {i}")

    carol = client_for(world.carol)
    assert_constant_queries(lambda: carol.get(reverse("observations:detail", args=[held.pk])), more)


def test_the_round_pages_are_constant(client_for, world):
    round_ = a_round(world)
    carol = client_for(world.carol)
    assert_constant_queries(lambda: carol.get(reverse("observations:rounds")), grow(world))

    def more_pairs():
        for i in range(6):
            colleague = teacher_at(world.school_a, Role.TEACHER)
            round_.participants.add(colleague)
            start = soon(days=3 + i)
            RoundPair.objects.create(
                round=round_,
                observer=colleague,
                observed=world.bob,
                lesson_ref=f"p{i}",
                start=start,
                end=start + timedelta(hours=1),
            )

    assert_constant_queries(
        lambda: carol.get(reverse("observations:round_detail", args=[round_.pk])), more_pairs
    )


def test_the_statistics_and_their_export_are_constant(client_for, world):
    a_round(world)
    alice = client_for(world.alice)
    assert_constant_queries(lambda: alice.get(reverse("observations:statistics")), grow(world))
    assert_constant_queries(lambda: alice.get(reverse("observations:statistics_csv")), grow(world))


def test_the_guide_page_is_constant(client_for, world):
    bob = client_for(world.bob)
    assert_constant_queries(lambda: bob.get(reverse("observations:guide")), grow(world))


def test_the_request_and_new_round_forms_are_constant(client_for, world):
    bob = client_for(world.bob)
    assert_constant_queries(lambda: bob.get(reverse("observations:request")), grow(world))
    carol = client_for(world.carol)
    assert_constant_queries(lambda: carol.get(reverse("observations:round_new")), grow(world))

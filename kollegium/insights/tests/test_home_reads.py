"""A leader's home page reads their school's minutes once (issue 10): their own line takes its
minutes and promise from what the leader's panel read, with the same figures as a read of its
own, and never another person's or school's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.core.testing.factories import TeamMembershipFactory
from kollegium.insights.models import TimePromise
from kollegium.insights.periods import term_of
from kollegium.insights.selectors import headline
from kollegium.insights.selectors.personal import own_current
from kollegium.insights.tests.helpers import hold_meeting, make_group, observe
from kollegium.organisations.actor import as_actor

pytestmark = pytest.mark.django_db


def _school_with_time(world):
    term = term_of(timezone.localdate())
    day = max(term.start, timezone.localdate() - timedelta(days=3))
    TimePromise.objects.create(school=world.school_a, minutes=30, unit="week")
    TimePromise.objects.create(school=world.school_a, team=world.team_a, minutes=90, unit="week")
    TeamMembershipFactory(team=world.team_a, user=world.alice)
    group = make_group(world.school_a, [world.alice, world.bob])
    hold_meeting(group, day, [world.alice, world.bob])
    observe(world.school_a, world.alice, world.bob, day, debrief_minutes=20)
    return term


def test_the_leaders_own_line_after_the_panel_costs_no_query_and_reads_the_same(
    world, django_assert_num_queries
):
    term = _school_with_time(world)
    alone = own_current(as_actor(world.alice), world.school_a, term)
    assert alone["held"] > 0 and alone["promised"] > 0

    actor = as_actor(world.alice)
    headline(world.school_a, term, actor=actor)
    with django_assert_num_queries(0):
        shared = own_current(actor, world.school_a, term)
    assert shared == alone


def test_what_one_request_read_serves_no_other_person_or_school(world, django_assert_num_queries):
    term = _school_with_time(world)
    leader = as_actor(world.alice)
    headline(world.school_a, term, actor=leader)
    # Another request's acting person (Bob, at the same school) reads his own.
    bob = as_actor(world.bob)
    expected = own_current(as_actor(world.bob), world.school_a, term)
    with django_assert_num_queries(6):
        assert own_current(bob, world.school_a, term) == expected
    # The same person at another school reads that school's promise (none there).
    at_b = own_current(as_actor(world.alice), world.school_b, term)
    assert at_b["promised"] == 0
    with django_assert_num_queries(6):
        assert own_current(leader, world.school_b, term) == at_b

"""The calendar registry answers for many people in a constant number of queries, with the
same events as asking person by person."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.core.registry import calendar_events_for, calendar_events_for_many
from kollegium.core.testing.factories import teacher_at
from kollegium.core.testing.queries import count_queries
from kollegium.groups.tests.helpers import make_group, past_meeting
from kollegium.observations.tests.helpers import make_observation, soon

pytestmark = pytest.mark.django_db


def _window():
    now = timezone.now()
    return now - timedelta(days=60), now + timedelta(days=30)


def _uids(events):
    return sorted(e.uid for e in events)


def test_many_people_at_once_get_the_same_events_as_one_by_one(world):
    group = make_group(world, members=[world.bob])
    past_meeting(group, days_ago=3)
    make_observation(school=world.school_a, observer=world.carol, observed=world.bob, start=soon(3))
    start, end = _window()
    people = [world.alice, world.bob, world.carol, world.dave]
    together = calendar_events_for_many(people, start, end)
    for person in people:
        assert _uids(together[person.pk]) == _uids(calendar_events_for(person, start, end))
    assert together[world.bob.pk], "Bob has a meeting and an observation"
    assert not together[world.dave.pk]


def test_many_people_cost_the_same_number_of_queries_as_a_few(world):
    start, end = _window()
    few = [world.bob, world.carol]
    small, _, _ = count_queries(lambda: calendar_events_for_many(few, start, end))
    many = few + [teacher_at(world.school_a) for _ in range(25)]
    large, _, _ = count_queries(lambda: calendar_events_for_many(many, start, end))
    assert small == large

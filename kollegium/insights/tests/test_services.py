"""Setting the promise: the right person, sensible numbers, nothing saved on bad input."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollegium.core.models import AuditEvent
from kollegium.core.testing.factories import TeamFactory
from kollegium.insights import services
from kollegium.insights.models import TimePromise

pytestmark = pytest.mark.django_db


def test_a_leader_sets_and_changes_the_schools_promise(world):
    services.promise_set(
        actor=world.alice, school=world.school_a, team=None, minutes=60, unit="week"
    )
    services.promise_set(
        actor=world.alice, school=world.school_a, team=None, minutes=90, unit="week"
    )
    promise = TimePromise.objects.get()
    assert (promise.minutes, promise.unit, promise.updated_by) == (90, "week", world.alice)
    assert AuditEvent.objects.filter(action="insights.promise_set").count() == 2


@pytest.mark.parametrize(
    ("minutes", "unit"), [(0, "week"), (10000, "week"), (5, "week"), (10000, "term"), (30, "term")]
)
def test_a_promise_out_of_range_is_refused_and_nothing_saved(world, minutes, unit):
    with pytest.raises(ValidationError) as error:
        services.promise_set(
            actor=world.alice, school=world.school_a, team=None, minutes=minutes, unit=unit
        )
    assert "minutes" in error.value.message_dict
    assert not TimePromise.objects.exists()


def test_teachers_and_other_schools_leaders_may_not_set_it(world):
    for person in (world.bob, world.dave):
        with pytest.raises(PermissionDenied):
            services.promise_set(
                actor=person, school=world.school_a, team=None, minutes=60, unit="week"
            )
    assert not TimePromise.objects.exists()


def test_another_schools_team_is_refused(world):
    other = TeamFactory(school=world.school_b)
    with pytest.raises(ValidationError):
        services.promise_set(
            actor=world.alice, school=world.school_a, team=other, minutes=60, unit="week"
        )
    assert not TimePromise.objects.exists()


def test_a_team_promise_sits_beside_the_schools_and_can_be_removed(world):
    services.promise_set(
        actor=world.alice, school=world.school_a, team=None, minutes=60, unit="week"
    )
    team_promise = services.promise_set(
        actor=world.alice, school=world.school_a, team=world.team_a, minutes=2000, unit="term"
    )
    assert TimePromise.objects.count() == 2
    with pytest.raises(PermissionDenied):
        services.promise_remove(actor=world.bob, promise=team_promise)
    services.promise_remove(actor=world.alice, promise=team_promise)
    assert list(TimePromise.objects.values_list("team", flat=True)) == [None]

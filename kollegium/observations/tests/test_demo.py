"""The demo data loads and looks like a few weeks of real use."""

from __future__ import annotations

import pytest

from kollegium.core.demo import DemoData
from kollegium.core.testing.factories import TeamMembershipFactory, teacher_at
from kollegium.observations.demo import load_demo
from kollegium.observations.models import (
    Observation,
    ObservationFeedback,
    ObservationRound,
    SharedLearning,
)
from kollegium.observations.selectors import statistics_for_school
from kollegium.organisations.models import Organisation, Role

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_round_every_status_and_one_shared_learning(world):
    people = {"alice": world.alice, "bob": world.bob, "carol": world.carol, "dave": world.dave}
    for name in ("erik", "fatima", "gustav", "hanna", "ida"):
        people[name] = teacher_at(world.school_a, Role.TEACHER, full_name=name.title())
    work46 = world.team_a  # "Arbetslag 4–6", Bob and Carol already in it
    for name in ("fatima", "ida"):
        TeamMembershipFactory(team=work46, user=people[name])
    demo = DemoData(
        owner=world.owner,
        school_a=world.school_a,
        school_b=world.school_b,
        network=world.network,
        people=people,
        teams={"work46": work46},
    )
    load_demo(demo)
    assert ObservationRound.objects.count() == 1
    statuses = set(Observation.objects.values_list("status", flat=True))
    assert statuses == {"requested", "agreed", "done", "debriefed", "declined", "cancelled"}
    assert ObservationFeedback.objects.count() == 1 and SharedLearning.objects.count() == 1
    rows = statistics_for_school(actor=world.alice, school=world.school_a)
    # The round's four people are fewer than the default minimum group size of five.
    assert rows and not any(row.shown for row in rows)
    world.owner.min_group_size = 4
    world.owner.save(update_fields=["min_group_size"])
    school = Organisation.objects.get(pk=world.school_a.pk)
    rows = statistics_for_school(actor=world.alice, school=school)
    assert any(row.took_place == 3 for row in rows)

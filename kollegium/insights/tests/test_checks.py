"""Warnings for a group being planned: the research's rhythm, and the members' load."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kollegium.core.testing.factories import teacher_at
from kollegium.insights.checks import group_plan_check, load_warning, plan_warnings
from kollegium.insights.tests.helpers import make_group

pytestmark = pytest.mark.django_db


def test_a_plan_like_research_gets_no_warning():
    assert (
        plan_warnings(
            members=10,
            interval_days=28,
            meeting_minutes=90,
            starts_on=date(2026, 8, 15),
            ends_on=date(2027, 6, 10),
        )
        == []
    )


def test_a_large_rare_plan_is_warned_about_with_the_reason_and_the_source():
    warnings = plan_warnings(
        members=20,
        interval_days=60,
        meeting_minutes=90,
        starts_on=date(2026, 8, 15),
        ends_on=date(2026, 11, 1),
    )
    text = " ".join(warnings)
    assert "20 deltagare: forskningen föreslår högst 14." in text
    assert "Träffas var 60:e dag" in text
    assert "Wiliam" in text and "Timperley" in text


def test_a_new_group_that_would_push_members_over_is_counted_never_named(world):
    people = [teacher_at(world.school_a) for _ in range(3)]
    assert load_warning([p.pk for p in people]) is None
    make_group(world.school_a, people[:2], name="Ett")
    make_group(world.school_a, people[:2], name="Två")
    ended = timezone.localdate() - timedelta(days=1)
    make_group(
        world.school_a,
        people[2:],
        name="Slut",
        starts_on=ended - timedelta(days=300),
        ends_on=ended,
    )
    warning = load_warning([p.pk for p in people])
    assert warning is not None and warning.startswith("2 av deltagarna")
    assert all(p.full_name not in warning for p in people)


def test_only_the_schools_leaders_hear_about_the_members_load(world):
    people = [world.bob, world.carol, teacher_at(world.school_a)]
    make_group(world.school_a, people, name="Ett")
    make_group(world.school_a, people, name="Två")
    plan = {
        "school": world.school_a,
        "members": [p.pk for p in people],
        "interval_days": 28,
        "meeting_minutes": 90,
        "starts_on": date(2026, 8, 15),
        "ends_on": date(2027, 6, 10),
    }
    assert group_plan_check(actor=world.carol, **plan) == []
    assert group_plan_check(actor=world.alice, **plan)[0].startswith("3 av deltagarna")

"""The demo reads like a real school's term (issue 16): nothing planned on Christmas Day, an
observation round's suggested dates outside the breaks, pairs within the round's own team."""

from datetime import date

import pytest
from django.core.management import call_command

from kollegium.core.schoolyear import is_school_day, next_school_day, next_school_period


def test_the_usual_breaks_are_not_school_days():
    assert not is_school_day(date(2026, 12, 25))
    assert not is_school_day(date(2027, 1, 5))
    assert not is_school_day(date(2026, 7, 1))
    assert not is_school_day(date(2026, 10, 28))  # höstlov, week 44
    assert not is_school_day(date(2026, 12, 12))  # a Saturday
    assert is_school_day(date(2026, 12, 7))
    assert is_school_day(date(2027, 1, 11))


def test_a_round_suggested_in_december_waits_for_january():
    assert next_school_period(date(2026, 12, 7), days=12) == (date(2027, 1, 11), date(2027, 1, 22))
    assert next_school_period(date(2026, 11, 2), days=12) == (date(2026, 11, 9), date(2026, 11, 20))


def test_a_teachmeet_18_days_before_christmas_moves_to_a_midweek_school_day():
    assert next_school_day(date(2026, 12, 25), weekdays=(1, 2, 3)) == date(2027, 1, 12)


@pytest.mark.django_db
def test_the_round_form_suggests_school_weeks(world):
    from kollegium.accounts.models import User
    from kollegium.observations.forms import RoundForm
    from kollegium.organisations.models import Team

    form = RoundForm(school=world.school_a, teams=Team.objects.none(), people=User.objects.none())
    first, last = form.fields["first_day"].initial, form.fields["last_day"].initial
    assert first.weekday() == 0 and (last - first).days == 11
    weekdays = [first.fromordinal(first.toordinal() + i) for i in range(12)]
    assert all(is_school_day(d) for d in weekdays if d.weekday() < 5)


@pytest.mark.django_db
def test_the_demo_plans_nothing_outside_school_days_and_pairs_within_the_team():
    from django.utils import timezone

    from kollegium.groups.models import Meeting
    from kollegium.observations.models import ObservationRound, RoundPair

    call_command("seed_demo")
    now = timezone.now()
    for meeting in Meeting.objects.filter(starts_at__gt=now):
        day = timezone.localtime(meeting.starts_at).date()
        assert is_school_day(day), f"{meeting.group.name} meets on {day}"
    for round_ in ObservationRound.objects.filter(team__isnull=False):
        team_members = set(round_.team.members.values_list("pk", flat=True))
        assert set(round_.participants.values_list("pk", flat=True)) <= team_members
        for pair in RoundPair.objects.filter(round=round_):
            assert {pair.observer_id, pair.observed_id} <= team_members, pair.lesson_label

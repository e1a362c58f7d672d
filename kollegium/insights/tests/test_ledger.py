"""Time held is computed from real records, and aggregates respect the minimum group size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.core.testing.factories import TeamFactory, TeamMembershipFactory, teacher_at
from kollegium.groups.models import Commitment, Meeting
from kollegium.insights.models import TimePromise
from kollegium.insights.periods import term_of
from kollegium.insights.selectors import held_minutes, school_insights
from kollegium.insights.selectors.ledger import promised_minutes, weeks_in
from kollegium.insights.tests.helpers import agenda_minutes, hold_meeting, make_group, observe
from kollegium.organisations.models import DevelopmentFocus

pytestmark = pytest.mark.django_db


def this_term():
    return term_of(timezone.localdate())


def a_day_this_term():
    today = timezone.localdate()
    return max(this_term().start, today - timedelta(days=3))


def test_a_meeting_attended_counts_its_agenda_minutes_and_an_absence_nothing(world):
    group = make_group(world.school_a, [world.bob, world.carol])
    meeting = hold_meeting(group, a_day_this_term(), [world.bob])
    from kollegium.groups.models import Attendance

    Attendance.objects.create(meeting=meeting, user=world.carol, present=False)
    hold_meeting(group, a_day_this_term(), [world.bob], status=Meeting.Status.CANCELLED)
    held = held_minutes([world.bob.pk, world.carol.pk], this_term())
    assert held[world.bob.pk].meetings == agenda_minutes(group)
    assert agenda_minutes(group) != 120  # the agenda, not the two hours booked
    assert world.carol.pk not in held


def test_workshops_are_counted_apart_from_group_meetings(world):
    group = make_group(world.school_a, [world.bob], slug="workshop")
    hold_meeting(group, a_day_this_term(), [world.bob])
    held = held_minutes([world.bob.pk], this_term())[world.bob.pk]
    assert held.workshops == agenda_minutes(group) and held.meetings == 0


def test_observations_count_for_both_and_the_debrief_too(world):
    observe(world.school_a, world.bob, world.carol, a_day_this_term(), debrief_minutes=30)
    observe(world.school_a, world.carol, world.bob, a_day_this_term(), status="agreed")
    held = held_minutes([world.bob.pk, world.carol.pk], this_term())
    assert (held[world.bob.pk].observing, held[world.bob.pk].debriefs) == (60, 30)
    assert (held[world.carol.pk].observed, held[world.carol.pk].debriefs) == (60, 30)
    assert held[world.carol.pk].observing == 0  # the agreed one has not taken place


def test_time_outside_the_period_is_not_counted(world):
    group = make_group(world.school_a, [world.bob])
    hold_meeting(group, this_term().start - timedelta(days=40), [world.bob])
    assert held_minutes([world.bob.pk], this_term()) == {}


def test_a_weekly_promise_adds_up_over_the_teaching_weeks(world):
    promise = TimePromise(school=world.school_a, minutes=60, unit="week")
    term = this_term()
    assert promised_minutes(promise, term, term.end) == round(60 * weeks_in(term))
    assert promised_minutes(promise, term, term.start - timedelta(days=1)) == 0


def _staff(school, n):
    return [teacher_at(school) for _ in range(n)]


def test_the_leader_sees_nothing_about_fewer_than_five_people(world):
    # School B: Dave alone (and three more) -> four people: too few to show.
    others = _staff(world.school_b, 3)
    group = make_group(world.school_b, [world.dave, *others])
    hold_meeting(group, a_day_this_term(), [world.dave, *others])
    data = school_insights(world.school_b, this_term())
    assert data.time.school.dist is None
    assert data.load.counts is None
    assert all(row.took_part is None for t in data.equity for row in t.rows)


def test_with_five_people_the_distribution_and_below_half_are_shown(world):
    staff = _staff(world.school_b, 4)
    TimePromise.objects.create(school=world.school_b, minutes=10, unit="week")
    group = make_group(world.school_b, [world.dave, *staff])
    hold_meeting(group, a_day_this_term(), [world.dave, staff[0]])
    data = school_insights(world.school_b, this_term())
    dist = data.time.school.dist
    assert dist is not None and dist.people == 5
    promised = promised_minutes(
        TimePromise(minutes=10, unit="week"), this_term(), timezone.localdate()
    )
    expected_below = 3 + sum(1 for _ in range(2) if agenda_minutes(group) < promised / 2)
    assert dist.below_half == expected_below


def test_a_team_promise_replaces_the_schools_for_its_members(world):
    staff = _staff(world.school_b, 4)
    team = TeamFactory(school=world.school_b, name="Lag B")
    for person in staff:
        TeamMembershipFactory(team=team, user=person)
    TimePromise.objects.create(school=world.school_b, minutes=30, unit="week")
    TimePromise.objects.create(school=world.school_b, team=team, minutes=90, unit="week")
    data = school_insights(world.school_b, this_term())
    team_row = next(r for r in data.time.teams if r.label == "Lag B")
    assert team_row.dist is None  # four people in the team: too few
    school_dist = data.time.school.dist
    today = timezone.localdate()
    assert school_dist.promised == promised_minutes(
        TimePromise(minutes=90, unit="week"), this_term(), today
    )


def test_the_focus_chain_counts_commitments_and_hides_outcomes_below_the_minimum(world):
    focus = DevelopmentFocus.objects.create(school=world.school_b, title="Formativ bedömning")
    staff = _staff(world.school_b, 4)
    group = make_group(world.school_b, [world.dave, *staff], focus=focus)
    meeting = hold_meeting(group, a_day_this_term(), [world.dave, *staff])
    for person in [world.dave, *staff[:3]]:
        Commitment.objects.create(
            group=group,
            meeting=meeting,
            user=person,
            text="Exit tickets",
            due_on=timezone.localdate(),
            outcome="worked",
            reflected_at=timezone.now(),
        )
    row = school_insights(world.school_b, this_term()).focus[0]
    assert row.people == 4 and row.outcomes is None and row.commitments is None
    Commitment.objects.create(
        group=group,
        meeting=meeting,
        user=staff[3],
        text="Mini whiteboards",
        due_on=timezone.localdate(),
        outcome="partly",
        reflected_at=timezone.now(),
    )
    data = school_insights(world.school_b, this_term())
    row = data.focus[0]
    assert row.commitments == 5 and row.outcomes["worked"] == 4 and row.outcomes["partly"] == 1
    assert [g.pk for g in row.groups] == [group.pk]
    tried = data.equity[0]  # teams: none at school B
    assert tried.rows == []


def test_rhythm_findings_name_a_group_that_is_too_large_and_too_rare(world):
    staff = _staff(world.school_b, 15)
    group = make_group(world.school_b, staff, interval_days=60)
    data = school_insights(world.school_b, this_term())
    codes = {f.code for row, f in data.rhythm_findings if row.group.pk == group.pk}
    assert {"too_large", "too_rare"} <= codes


def test_members_of_an_ended_group_still_meeting_later_are_counted(world):
    today = timezone.localdate()
    staff = _staff(world.school_b, 5)
    ended = make_group(
        world.school_b,
        staff,
        name="Läslyftet",
        starts_on=today - timedelta(days=900),
        ends_on=today - timedelta(days=400),
    )
    later = make_group(
        world.school_b, staff[:3], name="Fortsättning", starts_on=today - timedelta(days=400)
    )
    hold_meeting(later, ended.ends_on + timedelta(days=170), staff[:3])
    data = school_insights(world.school_b, this_term())
    row = next(r for r in data.groups if r.group.pk == ended.pk)
    assert row.status == "ended"
    six, twelve, eighteen = row.lasting
    assert six[1].count == 3 and six[1].people == 5
    assert twelve[1].count == 0
    assert eighteen[2] is False  # 18 months after has not come yet

"""The observation status machine and round progress, without Django."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kollegium.observations.lifecycle import (
    FINAL,
    Action,
    ObservationRecord,
    ObservationState,
    PairStatus,
    Response,
    Role,
    Status,
    TransitionError,
    allowed_actions,
    may_choose_focus,
    may_share_summary,
    may_write_feedback,
    may_write_notes,
    pair_outcome,
    request,
    respond_to_pair,
    round_progress,
    transition,
)

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
START = NOW + timedelta(days=1, hours=1)
END = START + timedelta(minutes=60)


def requested(by: Role = Role.OBSERVED) -> ObservationState:
    return request(by=by, start=START, end=END, now=NOW)


def agreed() -> ObservationState:
    return transition(requested(), Action.AGREE, role=Role.OBSERVER, now=NOW)


def during_lesson() -> datetime:
    return START + timedelta(minutes=10)


def test_a_request_waits_for_the_other_person():
    assert requested(Role.OBSERVED).awaiting is Role.OBSERVER
    assert requested(Role.OBSERVER).awaiting is Role.OBSERVED
    assert requested().status is Status.REQUESTED


def test_a_request_must_be_in_the_future_and_end_after_it_starts():
    with pytest.raises(TransitionError) as past:
        request(by=Role.OBSERVED, start=NOW - timedelta(hours=1), end=NOW, now=NOW)
    assert past.value.code == "time_in_past"
    with pytest.raises(TransitionError) as backwards:
        request(by=Role.OBSERVED, start=END, end=START, now=NOW)
    assert backwards.value.code == "end_before_start"
    with pytest.raises(TransitionError) as naive:
        request(by=Role.OBSERVED, start=START.replace(tzinfo=None), end=END, now=NOW)
    assert naive.value.code == "naive_time"


def test_the_full_happy_path_reaches_debriefed():
    state = agreed()
    assert state.status is Status.AGREED and state.awaiting is None
    state = transition(state, Action.MARK_DONE, role=Role.OBSERVED, now=during_lesson())
    assert state.status is Status.DONE
    state = transition(state, Action.MARK_DEBRIEFED, role=Role.OBSERVER, now=END)
    assert state.status is Status.DEBRIEFED


def test_the_person_who_asked_cannot_agree_to_their_own_request():
    with pytest.raises(TransitionError) as err:
        transition(requested(Role.OBSERVED), Action.AGREE, role=Role.OBSERVED, now=NOW)
    assert err.value.code == "not_your_turn"


def test_declining_needs_a_reason_and_keeps_it():
    with pytest.raises(TransitionError) as err:
        transition(requested(), Action.DECLINE, role=Role.OBSERVER, now=NOW, reason="   ")
    assert err.value.code == "reason_required"
    state = transition(
        requested(), Action.DECLINE, role=Role.OBSERVER, now=NOW, reason="  Jag har\nvakt då "
    )
    assert state.status is Status.DECLINED
    assert state.reason == "Jag har vakt då"
    assert state.closed_by is Role.OBSERVER


def test_a_reason_that_is_too_long_is_refused():
    with pytest.raises(TransitionError) as err:
        transition(requested(), Action.DECLINE, role=Role.OBSERVER, now=NOW, reason="x" * 501)
    assert err.value.code == "reason_too_long"


def test_rescheduling_goes_back_to_requested_and_waits_for_the_other_person():
    state = agreed()
    new_start = START + timedelta(days=2)
    moved = transition(
        state,
        Action.RESCHEDULE,
        role=Role.OBSERVER,
        now=NOW,
        start=new_start,
        end=new_start + timedelta(minutes=45),
    )
    assert moved.status is Status.REQUESTED
    assert moved.awaiting is Role.OBSERVED
    assert moved.start == new_start
    assert moved.sequence > state.sequence
    back = transition(moved, Action.AGREE, role=Role.OBSERVED, now=NOW)
    assert back.status is Status.AGREED


def test_rescheduling_to_the_same_time_or_without_a_time_is_refused():
    with pytest.raises(TransitionError) as same:
        transition(agreed(), Action.RESCHEDULE, role=Role.OBSERVER, now=NOW, start=START, end=END)
    assert same.value.code == "same_time"
    with pytest.raises(TransitionError) as missing:
        transition(agreed(), Action.RESCHEDULE, role=Role.OBSERVER, now=NOW)
    assert missing.value.code == "time_required"


def test_a_lesson_cannot_be_marked_done_before_it_starts():
    with pytest.raises(TransitionError) as err:
        transition(agreed(), Action.MARK_DONE, role=Role.OBSERVER, now=NOW)
    assert err.value.code == "not_started"


def test_a_requested_observation_cannot_be_marked_done():
    with pytest.raises(TransitionError) as err:
        transition(requested(), Action.MARK_DONE, role=Role.OBSERVER, now=during_lesson())
    assert err.value.code == "wrong_status"


def test_either_person_may_cancel_a_planned_observation_but_not_a_held_one():
    for role in Role:
        cancelled = transition(agreed(), Action.CANCEL, role=role, now=NOW, reason="Sjuk")
        assert cancelled.status is Status.CANCELLED and cancelled.closed_by is role
    done = transition(agreed(), Action.MARK_DONE, role=Role.OBSERVER, now=during_lesson())
    with pytest.raises(TransitionError) as err:
        transition(done, Action.CANCEL, role=Role.OBSERVED, now=during_lesson())
    assert err.value.code == "wrong_status"


def test_nothing_happens_after_a_final_status():
    declined = transition(requested(), Action.DECLINE, role=Role.OBSERVER, now=NOW, reason="Nej")
    for action in Action:
        with pytest.raises(TransitionError) as err:
            transition(declined, action, role=Role.OBSERVED, now=NOW, start=START, end=END)
        assert err.value.code == "final_status"


def test_content_rights_follow_the_roles():
    state = agreed()
    assert may_choose_focus(state, Role.OBSERVED, NOW)
    assert not may_choose_focus(state, Role.OBSERVER, NOW)
    assert not may_choose_focus(state, Role.OBSERVED, during_lesson())
    assert may_write_notes(state, Role.OBSERVER)
    assert not may_write_notes(state, Role.OBSERVED)
    assert not may_write_notes(requested(), Role.OBSERVER)
    assert not may_write_feedback(state, Role.OBSERVER, NOW)
    assert may_write_feedback(state, Role.OBSERVER, during_lesson())
    assert not may_write_feedback(state, Role.OBSERVED, during_lesson())
    assert not may_share_summary(state, Role.OBSERVED)
    done = transition(state, Action.MARK_DONE, role=Role.OBSERVER, now=during_lesson())
    assert may_share_summary(done, Role.OBSERVED)
    assert not may_share_summary(done, Role.OBSERVER)
    debriefed = transition(done, Action.MARK_DEBRIEFED, role=Role.OBSERVED, now=END)
    assert not may_write_feedback(debriefed, Role.OBSERVER, END)
    assert may_share_summary(debriefed, Role.OBSERVED)


# --- property: the offered actions are exactly the ones that succeed -------------------------

times = st.sampled_from(
    [NOW, START - timedelta(minutes=1), START, during_lesson(), END + timedelta(hours=3)]
)


@st.composite
def reachable_states(draw):
    state = request(by=draw(st.sampled_from(Role)), start=START, end=END, now=NOW)
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(Action))
        role = draw(st.sampled_from(Role))
        now = draw(times)
        shift = timedelta(days=draw(st.integers(1, 5)))
        with contextlib.suppress(TransitionError):
            state = transition(
                state,
                action,
                role=role,
                now=now,
                reason="skäl",
                start=START + shift,
                end=END + shift,
            )
    return state


@settings(max_examples=300, deadline=None)
@given(state=reachable_states(), role=st.sampled_from(Role), now=times)
def test_the_offered_actions_are_exactly_those_that_succeed(state, role, now):
    offered = allowed_actions(state, role, now)
    shift = timedelta(days=10)
    for action in Action:
        try:
            new = transition(
                state,
                action,
                role=role,
                now=now,
                reason="skäl",
                start=state.start + shift,
                end=state.end + shift,
            )
        except TransitionError as err:
            assert action not in offered, (action, err.code)
        else:
            assert action in offered, action
            assert new.status in Status
    if state.status in FINAL:
        assert offered == frozenset()


@settings(max_examples=200, deadline=None)
@given(state=reachable_states())
def test_awaiting_is_set_exactly_when_the_observation_is_requested(state):
    assert (state.awaiting is not None) == (state.status is Status.REQUESTED)


# --- round pairs ------------------------------------------------------------------------------


def test_a_pair_is_confirmed_only_when_both_accept():
    assert pair_outcome(Response.ACCEPTED, Response.ACCEPTED) is PairStatus.CONFIRMED
    assert pair_outcome(Response.ACCEPTED, Response.PENDING) is PairStatus.PROPOSED
    assert pair_outcome(Response.PENDING, Response.PENDING) is PairStatus.PROPOSED
    assert pair_outcome(Response.ACCEPTED, Response.DECLINED) is PairStatus.DECLINED
    assert pair_outcome(Response.DECLINED, Response.PENDING) is PairStatus.DECLINED


def test_a_pair_decline_needs_a_reason_and_is_final():
    with pytest.raises(TransitionError) as err:
        respond_to_pair(Response.PENDING, Response.DECLINED, reason="")
    assert err.value.code == "reason_required"
    answer, reason = respond_to_pair(Response.ACCEPTED, Response.DECLINED, reason="Föräldramöte")
    assert (answer, reason) == (Response.DECLINED, "Föräldramöte")
    with pytest.raises(TransitionError) as final:
        respond_to_pair(Response.DECLINED, Response.ACCEPTED)
    assert final.value.code == "final_status"
    with pytest.raises(TransitionError):
        respond_to_pair(Response.PENDING, Response.PENDING)


# --- round progress -----------------------------------------------------------------------------


def rec(observer, observed, status, round_id=1):
    return ObservationRecord(observer, observed, Status(status), round_id)


def test_progress_counts_per_team_and_round_and_lists_who_is_not_observed():
    teams = {"ma": ["anna", "bo", "cia"], "sv": ["cia", "dan"]}
    rounds = {1: ["anna", "bo", "cia", "dan"]}
    records = [
        rec("anna", "bo", "done"),
        rec("bo", "cia", "debriefed"),
        rec("cia", "dan", "agreed"),
        rec("dan", "anna", "declined"),
        rec("anna", "cia", "cancelled"),
    ]
    rows = {
        (r.team_id, r.round_id): r
        for r in round_progress(teams=teams, rounds=rounds, records=records)
    }
    everyone = rows[(None, 1)]
    assert (everyone.people, everyone.took_place, everyone.planned) == (4, 2, 1)
    assert (everyone.debriefed, everyone.declined, everyone.cancelled) == (1, 1, 1)
    assert everyone.not_observed == ("anna", "dan")
    assert everyone.not_observing == ("cia", "dan")
    assert everyone.observed_share == 0.5

    ma = rows[("ma", 1)]
    assert (ma.people, ma.took_place, ma.planned, ma.declined) == (3, 2, 0, 1)
    assert ma.not_observed == ("anna",)
    # cia is in both teams: her observation counts in both
    sv = rows[("sv", 1)]
    assert (sv.people, sv.took_place, sv.planned) == (2, 1, 1)
    assert sv.not_observed == ("dan",)


def test_progress_ignores_people_outside_the_round_and_reports_ad_hoc_observations_apart():
    teams = {"ma": ["anna", "bo"], "no": ["eva"]}
    rounds = {7: ["anna", "bo"]}
    records = [
        rec("anna", "bo", "done", 7),
        rec("eva", "anna", "done", 7),  # eva is no participant, but observed anna
        rec("anna", "eva", "done", None),
    ]
    rows = round_progress(teams=teams, rounds=rounds, records=records)
    keys = [(r.team_id, r.round_id) for r in rows]
    assert keys == [(None, 7), ("ma", 7), ("no", None)]
    assert rows[0].took_place == 2 and rows[0].not_observed == ()
    assert rows[2].took_place == 1 and rows[2].not_observed == ()
    without = round_progress(
        teams=teams, rounds=rounds, records=records, include_outside_rounds=False
    )
    assert [(r.team_id, r.round_id) for r in without] == [(None, 7), ("ma", 7)]


def test_an_empty_round_has_no_share_observed():
    rows = round_progress(teams={}, rounds={3: []}, records=[])
    assert len(rows) == 1 and rows[0].people == 0 and rows[0].observed_share == 0.0


@settings(max_examples=200, deadline=None)
@given(
    people=st.lists(st.integers(0, 9), min_size=1, max_size=8, unique=True),
    data=st.data(),
)
def test_progress_counts_add_up(people, data):
    records = data.draw(
        st.lists(
            st.builds(
                ObservationRecord,
                st.sampled_from(people),
                st.sampled_from(people),
                st.sampled_from(Status),
                st.just(1),
            ),
            max_size=20,
        )
    )
    (row,) = round_progress(teams={}, rounds={1: people}, records=records)
    assert row.planned + row.took_place + row.declined + row.cancelled == len(records)
    assert row.debriefed <= row.took_place
    observed = {r.observed_id for r in records if r.status in (Status.DONE, Status.DEBRIEFED)}
    assert set(row.not_observed) == set(people) - observed

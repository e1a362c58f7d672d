"""The fair rotation of discussion leader, note-taker and timekeeper (pure, no database)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kollegium.groups.rotation import (
    DISCUSSION_LEADER,
    NOTE_TAKER,
    ROTATING_ROLES,
    TIMEKEEPER,
    role_counts,
    rotate_roles,
)

group_sizes = st.integers(min_value=1, max_value=14)
meeting_counts = st.integers(min_value=1, max_value=40)


@given(size=group_sizes, meetings=meeting_counts)
def test_everyone_leads_at_most_once_more_than_anyone_else(size, meetings):
    members = list(range(100, 100 + size))
    assignments = rotate_roles(members, [None] * meetings)
    counts = role_counts(assignments, DISCUSSION_LEADER)
    leads = [counts.get(member, 0) for member in members]
    assert max(leads) - min(leads) <= 1
    assert sum(leads) == meetings


@given(size=st.integers(min_value=3, max_value=14), meetings=meeting_counts)
def test_nobody_holds_two_roles_in_a_meeting_of_three_or_more(size, meetings):
    members = list(range(size))
    for assignment in rotate_roles(members, [None] * meetings):
        holders = [member for _, member in assignment.roles]
        assert len(holders) == len(ROTATING_ROLES)
        assert len(set(holders)) == len(holders)


@given(size=st.integers(min_value=3, max_value=14), meetings=meeting_counts)
def test_every_role_is_shared_evenly_when_everyone_comes(size, meetings):
    members = list(range(size))
    assignments = rotate_roles(members, [None] * meetings)
    for role in (NOTE_TAKER, TIMEKEEPER):
        counts = role_counts(assignments, role)
        turns = [counts.get(member, 0) for member in members]
        assert max(turns) - min(turns) <= 1, role


@st.composite
def groups_with_absences(draw):
    size = draw(st.integers(min_value=1, max_value=10))
    members = list(range(1, size + 1))
    attendance = draw(
        st.lists(
            st.sets(st.sampled_from(members)),
            min_size=1,
            max_size=30,
        )
    )
    return members, attendance


@settings(max_examples=200)
@given(groups_with_absences())
def test_roles_go_only_to_those_present_and_the_leader_has_led_least_among_them(case):
    members, attendance = case
    assignments = rotate_roles(members, attendance)
    led: dict[int, int] = dict.fromkeys(members, 0)
    for present, assignment in zip(attendance, assignments, strict=True):
        if not present:
            assert assignment.roles == ()
            continue
        holders = {member for _, member in assignment.roles}
        assert holders <= present
        leader = assignment.holder(DISCUSSION_LEADER)
        assert leader is not None
        assert led[leader] == min(led[member] for member in present)
        led[leader] += 1
        if len(present) >= len(ROTATING_ROLES):
            assert len(holders) == len(ROTATING_ROLES)


def test_a_pair_shares_the_three_roles_as_evenly_as_it_can():
    assignments = rotate_roles([1, 2], [None] * 4)
    for assignment in assignments:
        holders = [member for _, member in assignment.roles]
        assert sorted(holders.count(m) for m in (1, 2)) == [1, 2]
    assert role_counts(assignments, NOTE_TAKER) == {1: 2, 2: 2}
    assert role_counts(assignments, DISCUSSION_LEADER) == {1: 2, 2: 2}


def test_the_rotation_continues_from_earlier_meetings():
    history = [
        {DISCUSSION_LEADER: 1, NOTE_TAKER: 2, TIMEKEEPER: 3},
        {DISCUSSION_LEADER: 2, NOTE_TAKER: 3, TIMEKEEPER: 4},
    ]
    following = rotate_roles([1, 2, 3, 4], [None, None], history=history)
    assert [a.holder(DISCUSSION_LEADER) for a in following] == [3, 4]
    assert following[0].as_dict() == {DISCUSSION_LEADER: 3, NOTE_TAKER: 4, TIMEKEEPER: 1}


def test_someone_who_was_away_leads_when_they_are_back():
    members = [1, 2, 3]
    assignments = rotate_roles(members, [{1, 2}, {1, 2}, {1, 2, 3}])
    assert assignments[2].holder(DISCUSSION_LEADER) == 3


def test_people_outside_the_group_are_never_given_a_role():
    (assignment,) = rotate_roles([1, 2, 3], [{2, 3, 99}])
    assert 99 not in {member for _, member in assignment.roles}


def test_a_meeting_nobody_attends_has_no_roles():
    assert rotate_roles([1, 2, 3], [set()])[0].roles == ()

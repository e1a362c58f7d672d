"""Fair rotation of the meeting roles (pure, no Django imports).

Every meeting needs a discussion leader (samtalsledare), a note-taker and a timekeeper.
The roles rotate so that, over time, everyone holds each of them about equally often:

* the discussion leader is always one of the members present who has led least so far
  (ties: whoever led longest ago, then whoever comes next after the previous leader in the
  member list), so that when everyone is present everyone leads at most one more time than
  anyone else;
* the note-taker and the timekeeper are the next members present after the leader, so
  that with everyone present each role goes round the whole group in turn;
* nobody holds two roles in the same meeting when at least as many members are present
  as there are roles; with fewer present (a pair, or only two turned up) the roles wrap
  round the people who are there.

Earlier assignments (``history``) count, so a rotation continues across terms.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

DISCUSSION_LEADER = "discussion_leader"
NOTE_TAKER = "note_taker"
TIMEKEEPER = "timekeeper"
ROTATING_ROLES: tuple[str, ...] = (DISCUSSION_LEADER, NOTE_TAKER, TIMEKEEPER)


@dataclass(frozen=True)
class Assignment:
    """Who holds which role in one meeting (role -> member id)."""

    roles: tuple[tuple[str, int], ...]

    def holder(self, role: str) -> int | None:
        for name, member in self.roles:
            if name == role:
                return member
        return None

    def as_dict(self) -> dict[str, int]:
        return dict(self.roles)


def rotate_roles(
    members: Sequence[int],
    attendance: Sequence[Collection[int] | None],
    *,
    roles: Sequence[str] = ROTATING_ROLES,
    history: Sequence[Mapping[str, int]] = (),
) -> tuple[Assignment, ...]:
    """Assign ``roles`` for each upcoming meeting.

    ``members`` is the group in a stable order (for example by join date). ``attendance``
    has one entry per meeting: the members expected to be present, or ``None`` for
    everyone. Absent members and people not in ``members`` are never given a role; a
    meeting nobody attends gets an empty assignment. ``history`` holds earlier meetings'
    assignments (role -> member id), oldest first. The first role is the one rotated most
    strictly (the discussion leader); the following roles go to the next members present
    after the leader, in the member order, so that when everyone comes each role goes
    round the whole group in turn.
    """
    if not roles:
        raise ValueError("at least one role is needed")
    if len(set(roles)) != len(roles):
        raise ValueError("roles must be distinct")
    lead_role = roles[0]
    order = {member: index for index, member in enumerate(members)}
    size = len(members)
    led: dict[int, int] = {}
    last_led: dict[int, int] = {}
    clock = 0
    previous_leader: int | None = None

    def record_leader(member: int) -> None:
        nonlocal clock, previous_leader
        clock += 1
        led[member] = led.get(member, 0) + 1
        last_led[member] = clock
        previous_leader = member

    for past in history:
        leader = past.get(lead_role)
        if leader is not None and leader in order:
            record_leader(leader)

    def after_previous(member: int) -> int:
        if previous_leader is None:
            return order[member]
        return (order[member] - order[previous_leader] - 1) % size

    result: list[Assignment] = []
    for expected in attendance:
        if expected is None:
            present = list(members)
        else:
            wanted = set(expected)
            present = [member for member in members if member in wanted]
        if not present:
            result.append(Assignment(roles=()))
            continue
        leader = min(present, key=lambda m: (led.get(m, 0), last_led.get(m, 0), after_previous(m)))
        record_leader(leader)
        start = present.index(leader)
        ring = present[start:] + present[:start]
        chosen = [(role, ring[index % len(ring)]) for index, role in enumerate(roles)]
        result.append(Assignment(roles=tuple(chosen)))
    return tuple(result)


def role_counts(assignments: Sequence[Assignment | Mapping[str, int]], role: str) -> dict[int, int]:
    """How many times each member held ``role`` in ``assignments``."""
    counts: dict[int, int] = {}
    for assignment in assignments:
        mapping = assignment.as_dict() if isinstance(assignment, Assignment) else assignment
        member = mapping.get(role)
        if member is not None:
            counts[member] = counts.get(member, 0) + 1
    return counts

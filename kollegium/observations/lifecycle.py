"""The life of a peer observation, as pure functions (no Django).

An observation is between two people: the OBSERVED teacher (whose lesson it is, who chooses the
focus and owns what is shared) and the OBSERVER. Statuses::

    requested ──agree──▶ agreed ──mark_done──▶ done ──mark_debriefed──▶ debriefed
        │  ▲                │
        │  └──reschedule────┤          (a new time goes back to "requested" and waits for
        │                   │           the other person to agree)
        ├──decline (reason)─┼──▶ declined
        └──cancel───────────┴──▶ cancelled

Who may do what:

* the person who did NOT propose the current time answers it (agree / decline with a reason);
* either person may propose a new time (reschedule) or cancel until the lesson is done;
* either person may mark the lesson done once it has started, and the debrief held once done;
* only the observer writes notes and feedback; only the observed teacher chooses the focus
  (before the lesson starts) and decides whether to share a summary (after the lesson).

A round pair (proposed by the round solver) is answered by both people separately; see
:func:`pair_outcome`. :func:`round_progress` aggregates plain records into the counts a leader
may see: how many observations took place per team and round, and who has not been observed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    REQUESTED = "requested"
    AGREED = "agreed"
    DONE = "done"
    DEBRIEFED = "debriefed"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class Role(StrEnum):
    OBSERVER = "observer"
    OBSERVED = "observed"

    @property
    def other(self) -> Role:
        return Role.OBSERVED if self is Role.OBSERVER else Role.OBSERVER


class Action(StrEnum):
    AGREE = "agree"
    DECLINE = "decline"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    MARK_DONE = "mark_done"
    MARK_DEBRIEFED = "mark_debriefed"


#: Statuses from which nothing more happens.
FINAL = frozenset({Status.DEBRIEFED, Status.DECLINED, Status.CANCELLED})
#: Statuses that count as "the observation took place".
TOOK_PLACE = frozenset({Status.DONE, Status.DEBRIEFED})
#: Statuses that are still planned (not yet held, not called off).
PLANNED = frozenset({Status.REQUESTED, Status.AGREED})

MAX_REASON_LENGTH = 500


class TransitionError(ValueError):
    """A transition that is not allowed. ``code`` is stable; the UI translates it."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ObservationState:
    status: Status
    start: datetime
    end: datetime
    #: who must answer the current proposal (None unless status is REQUESTED)
    awaiting: Role | None
    #: bumps on every change a calendar should see (RFC 5545 SEQUENCE)
    sequence: int = 0
    reason: str = ""
    #: who declined or cancelled
    closed_by: Role | None = None


def _check_time(start: datetime, end: datetime, now: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise TransitionError("naive_time")
    if end <= start:
        raise TransitionError("end_before_start")
    if start <= now:
        raise TransitionError("time_in_past")


def request(*, by: Role, start: datetime, end: datetime, now: datetime) -> ObservationState:
    """A new request proposed by ``by``; the other person answers it."""
    _check_time(start, end, now)
    return ObservationState(status=Status.REQUESTED, start=start, end=end, awaiting=by.other)


def _clean_reason(reason: str | None, *, required: bool) -> str:
    text = " ".join((reason or "").split())
    if required and not text:
        raise TransitionError("reason_required")
    if len(text) > MAX_REASON_LENGTH:
        raise TransitionError("reason_too_long")
    return text


def allowed_actions(state: ObservationState, role: Role, now: datetime) -> frozenset[Action]:
    """Every action ``role`` may take on ``state`` at ``now`` (what the page offers)."""
    actions: set[Action] = set()
    if state.status is Status.REQUESTED and state.awaiting is role:
        actions |= {Action.AGREE, Action.DECLINE}
    if state.status in PLANNED:
        actions |= {Action.RESCHEDULE, Action.CANCEL}
    if state.status is Status.AGREED and now >= state.start:
        actions.add(Action.MARK_DONE)
    if state.status is Status.DONE:
        actions.add(Action.MARK_DEBRIEFED)
    return frozenset(actions)


def transition(
    state: ObservationState,
    action: Action,
    *,
    role: Role,
    now: datetime,
    reason: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> ObservationState:
    """Apply ``action`` by ``role``; return the new state or raise :class:`TransitionError`.

    Error codes: ``final_status``, ``wrong_status``, ``not_your_turn``, ``reason_required``,
    ``reason_too_long``, ``time_required``, ``naive_time``, ``end_before_start``,
    ``time_in_past``, ``same_time``, ``not_started``.
    """
    if state.status in FINAL:
        raise TransitionError("final_status")
    if action in (Action.AGREE, Action.DECLINE):
        if state.status is not Status.REQUESTED:
            raise TransitionError("wrong_status")
        if state.awaiting is not role:
            raise TransitionError("not_your_turn")
        if action is Action.AGREE:
            return replace(state, status=Status.AGREED, awaiting=None, sequence=state.sequence + 1)
        return replace(
            state,
            status=Status.DECLINED,
            awaiting=None,
            reason=_clean_reason(reason, required=True),
            closed_by=role,
            sequence=state.sequence + 1,
        )
    if action is Action.RESCHEDULE:
        if state.status not in PLANNED:
            raise TransitionError("wrong_status")
        if start is None or end is None:
            raise TransitionError("time_required")
        _check_time(start, end, now)
        if (start, end) == (state.start, state.end):
            raise TransitionError("same_time")
        return replace(
            state,
            status=Status.REQUESTED,
            start=start,
            end=end,
            awaiting=role.other,
            sequence=state.sequence + 1,
        )
    if action is Action.CANCEL:
        if state.status not in PLANNED:
            raise TransitionError("wrong_status")
        return replace(
            state,
            status=Status.CANCELLED,
            awaiting=None,
            reason=_clean_reason(reason, required=False),
            closed_by=role,
            sequence=state.sequence + 1,
        )
    if action is Action.MARK_DONE:
        if state.status is not Status.AGREED:
            raise TransitionError("wrong_status")
        if now < state.start:
            raise TransitionError("not_started")
        return replace(state, status=Status.DONE)
    if action is Action.MARK_DEBRIEFED:
        if state.status is not Status.DONE:
            raise TransitionError("wrong_status")
        return replace(state, status=Status.DEBRIEFED)
    raise TransitionError("unknown_action")  # pragma: no cover - exhaustive over Action


# --- who may touch the content ---------------------------------------------------------------


def may_choose_focus(state: ObservationState, role: Role, now: datetime) -> bool:
    """The observed teacher chooses (and may change) the focus until the lesson starts."""
    return role is Role.OBSERVED and state.status in PLANNED and now < state.start


def may_write_notes(state: ObservationState, role: Role) -> bool:
    """The observer keeps notes from agreement until the debrief is held."""
    return role is Role.OBSERVER and state.status in (Status.AGREED, Status.DONE)


def may_write_feedback(state: ObservationState, role: Role, now: datetime) -> bool:
    """The observer writes feedback once the lesson has started, until the debrief is held."""
    if role is not Role.OBSERVER:
        return False
    if state.status is Status.DONE:
        return True
    return state.status is Status.AGREED and now >= state.start


def may_share_summary(state: ObservationState, role: Role) -> bool:
    """Only the observed teacher shares anything, and only after the lesson took place."""
    return role is Role.OBSERVED and state.status in TOOK_PLACE


# --- round pairs ------------------------------------------------------------------------------


class Response(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class PairStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


def pair_outcome(observer: Response, observed: Response) -> PairStatus:
    """A round pair is confirmed when both accept and declined as soon as either declines."""
    if Response.DECLINED in (observer, observed):
        return PairStatus.DECLINED
    if observer is Response.ACCEPTED and observed is Response.ACCEPTED:
        return PairStatus.CONFIRMED
    return PairStatus.PROPOSED


def respond_to_pair(
    current: Response, answer: Response, *, reason: str | None = None
) -> tuple[Response, str]:
    """One person's answer to a proposed pair; a decline needs a reason.

    A person may accept or decline while pending and may still decline after accepting (plans
    change); a decline is final, and accepting twice changes nothing."""
    if answer is Response.PENDING:
        raise TransitionError("wrong_status")
    if current is Response.DECLINED:
        raise TransitionError("final_status")
    if current is Response.ACCEPTED and answer is Response.ACCEPTED:
        return current, ""
    if answer is Response.DECLINED:
        return answer, _clean_reason(reason, required=True)
    return answer, ""


# --- progress a leader may see -----------------------------------------------------------------


@dataclass(frozen=True)
class ObservationRecord:
    """What aggregation needs of an observation: who, which round, which status. No content."""

    observer_id: Hashable
    observed_id: Hashable
    status: Status
    round_id: Hashable | None = None


@dataclass(frozen=True)
class ProgressRow:
    """Counts for one (team, round). ``team_id`` None is everyone in the round; ``round_id``
    None is observations arranged outside any round."""

    team_id: Hashable | None
    round_id: Hashable | None
    people: int
    planned: int
    took_place: int
    debriefed: int
    declined: int
    cancelled: int
    not_observed: tuple[Hashable, ...]
    not_observing: tuple[Hashable, ...]

    @property
    def observed_share(self) -> float:
        """The share of people observed at least once (0.0-1.0)."""
        if not self.people:
            return 0.0
        return (self.people - len(self.not_observed)) / self.people


def _sort_key(value: Hashable | None) -> tuple[int, int, str]:
    """None first, then numbers in numeric order, then anything else by its text."""
    if value is None:
        return (0, 0, "")
    if isinstance(value, int):
        return (1, value, "")
    return (2, 0, str(value))


def _row(
    team_id: Hashable | None,
    round_id: Hashable | None,
    people: set[Hashable],
    records: list[ObservationRecord],
) -> ProgressRow:
    mine = [r for r in records if r.observed_id in people]
    observed = {r.observed_id for r in mine if r.status in TOOK_PLACE}
    observing = {r.observer_id for r in records if r.status in TOOK_PLACE}
    return ProgressRow(
        team_id=team_id,
        round_id=round_id,
        people=len(people),
        planned=sum(r.status in PLANNED for r in mine),
        took_place=sum(r.status in TOOK_PLACE for r in mine),
        debriefed=sum(r.status is Status.DEBRIEFED for r in mine),
        declined=sum(r.status is Status.DECLINED for r in mine),
        cancelled=sum(r.status is Status.CANCELLED for r in mine),
        not_observed=tuple(sorted(people - observed, key=_sort_key)),
        not_observing=tuple(sorted(people - observing, key=_sort_key)),
    )


def round_progress(
    *,
    teams: Mapping[Any, Iterable[Any]],
    rounds: Mapping[Any, Iterable[Any]],
    records: Iterable[ObservationRecord],
    include_outside_rounds: bool = True,
) -> tuple[ProgressRow, ...]:
    """How many observations took place per team and round, and who has not been observed.

    ``teams`` maps a team to its members, ``rounds`` a round to its participants, and
    ``records`` are observations (with their round, or None). An observation counts for the
    observed teacher's team(s); a person in two teams counts in both. For each round there is
    a row for everyone in the round (``team_id`` None) and one per team with members in it.
    Observations outside rounds get rows with ``round_id`` None, for the teams they touch.
    """
    team_members = {team: set(members) for team, members in teams.items()}
    by_round: dict[Hashable | None, list[ObservationRecord]] = defaultdict(list)
    for record in records:
        by_round[record.round_id].append(record)

    rows: list[ProgressRow] = []
    for round_id in sorted(rounds, key=_sort_key):
        participants = set(rounds[round_id])
        recs = [r for r in by_round.get(round_id, []) if r.observed_id in participants]
        rows.append(_row(None, round_id, participants, recs))
        for team_id in sorted(team_members, key=_sort_key):
            people = team_members[team_id] & participants
            if people:
                rows.append(_row(team_id, round_id, people, recs))

    outside = by_round.get(None, [])
    if include_outside_rounds and outside:
        touched = {r.observed_id for r in outside}
        for team_id in sorted(team_members, key=_sort_key):
            people = team_members[team_id]
            if people & touched:
                rows.append(_row(team_id, None, people, outside))
    return tuple(rows)

"""Agenda generation and phase progression (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kollegium.groups.guides.model import (
    COMMITMENT_STEP_TYPES,
    FOLLOW_UP_STEP_TYPES,
    Guide,
    Phase,
    Step,
    Text,
    TextList,
)

# --------------------------------------------------------------------------- agenda


@dataclass(frozen=True)
class PreviousCommitment:
    """A commitment made at an earlier meeting, to be followed up."""

    commitment_id: int
    member_id: int
    member_name: str
    text: str
    due: date | None = None


@dataclass(frozen=True)
class AgendaStep:
    position: int
    key: str
    type: str
    minutes: int
    start_minute: int
    title: str
    purpose: str
    prompts: tuple[str, ...]
    roles: tuple[str, ...]
    commitments: tuple[PreviousCommitment, ...] = ()
    collects_commitments: bool = False
    talk_minutes: int | None = None
    speaker_list_for: str | None = None

    @property
    def takes_sign_ups(self) -> bool:
        return self.talk_minutes is not None

    @property
    def talk_capacity(self) -> int:
        return self.minutes // self.talk_minutes if self.talk_minutes else 0

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.minutes

    @property
    def seconds(self) -> int:
        return self.minutes * 60


_FOLLOW_UP_STEP = Step(
    key="commitment_follow_up",
    type="feedback",
    minutes=10,
    title=Text(sv="Uppföljning av åtaganden", en="Follow-up of commitments"),
    purpose=Text(
        sv="Var och en berättar kort vad som hände när de prövade sitt åtagande i klassrummet.",
        en="Each member briefly tells what happened when they tried their commitment in class.",
    ),
    prompts=TextList(
        sv=(
            "Vad gjorde du, och vad hände med eleverna?",
            "Om det inte fungerade: vad lärde du dig av det?",
        ),
        en=(
            "What did you do, and what happened with the pupils?",
            "If it did not work: what did you learn from it?",
        ),
    ),
    roles=("discussion_leader", "everyone"),
)


def _follow_up_minutes(count: int) -> int:
    return max(5, min(60, 2 * count + 2))


def generate_agenda(
    guide: Guide,
    *,
    meeting_type: str | None = None,
    phase: str | None = None,
    commitments: Sequence[PreviousCommitment] = (),
    language: str = "sv",
) -> tuple[AgendaStep, ...]:
    """The agenda of one meeting.

    The meeting type is given directly, or taken from ``phase``; with neither, the first
    phase's meeting type is used. ``commitments`` are the open commitments from earlier
    meetings: the feedback step lists them. If the meeting type has no feedback step but
    there are commitments to follow up, a follow-up step is added after the first step, so
    that no commitment is forgotten.
    """
    if meeting_type is None:
        chosen_phase = guide.phase(phase) if phase is not None else guide.first_phase
        meeting_type = chosen_phase.meeting_type
    steps = list(guide.meeting_type(meeting_type).steps)
    follow_up = tuple(sorted(commitments, key=lambda c: (c.member_name.lower(), c.commitment_id)))
    if follow_up and not any(step.type in FOLLOW_UP_STEP_TYPES for step in steps):
        extra = Step(
            key=_FOLLOW_UP_STEP.key,
            type=_FOLLOW_UP_STEP.type,
            minutes=_follow_up_minutes(len(follow_up)),
            title=_FOLLOW_UP_STEP.title,
            purpose=_FOLLOW_UP_STEP.purpose,
            prompts=_FOLLOW_UP_STEP.prompts,
            roles=_FOLLOW_UP_STEP.roles,
        )
        steps.insert(1 if steps else 0, extra)

    agenda: list[AgendaStep] = []
    start = 0
    listed = False
    for position, step in enumerate(steps, start=1):
        step_commitments: tuple[PreviousCommitment, ...] = ()
        if step.type in FOLLOW_UP_STEP_TYPES and not listed:
            step_commitments = follow_up
            listed = True
        agenda.append(
            AgendaStep(
                position=position,
                key=step.key,
                type=step.type,
                minutes=step.minutes,
                start_minute=start,
                title=step.title.get(language),
                purpose=step.purpose.get(language),
                prompts=step.prompts.get(language),
                roles=step.roles,
                commitments=step_commitments,
                collects_commitments=step.type in COMMITMENT_STEP_TYPES,
                talk_minutes=step.talk_minutes if step.takes_sign_ups else None,
                speaker_list_for=step.speaker_list_for,
            )
        )
        start += step.minutes
    return tuple(agenda)


def next_phase(guide: Guide, phase_key: str, meetings_held_in_phase: int) -> Phase:
    """The phase the next meeting belongs to.

    Stays in ``phase_key`` until its suggested number of meetings has been held, then moves
    on to the phase named by ``then`` (a spiral or a cycle goes round again) or else to the
    next phase in order; the last phase without ``then`` repeats (a TLC meets monthly).
    """
    phases = guide.phases
    index = next(i for i, phase in enumerate(phases) if phase.key == phase_key)
    current = phases[index]
    if meetings_held_in_phase < current.meetings:
        return current
    if current.then is not None:
        return guide.phase(current.then)
    if index == len(phases) - 1:
        return current
    return phases[index + 1]

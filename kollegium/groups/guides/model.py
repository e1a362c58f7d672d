"""The guide format's closed sets and frozen dataclasses (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES: tuple[str, ...] = ("sv", "en")

#: The closed set of agenda step types. A guide using anything else fails to load.
STEP_TYPES: frozenset[str] = frozenset(
    {
        "introduction",  # learning intentions, why we meet today
        "starter",  # a short warm-up activity
        "check_in",  # a quick round: how are things, what's on your mind
        "feedback",  # each member reports on what they tried since last time
        "new_learning",  # input: a text, a film, a demonstration
        "discussion",  # a structured conversation around a question
        "action_planning",  # each member writes a commitment for the classroom
        "summary",  # what did we learn, what did we decide
        "contract",  # agree on how we work together
        "opening_round",  # everyone speaks once, uninterrupted
        "case",  # one member's case, worked with a method
        "closing_round",  # everyone speaks once to close
        "preparation",  # individual reading or watching before or during the meeting
        "planning",  # planning teaching together
        "lesson",  # a lesson taught (research lesson, classroom activity)
        "observation",  # observing pupils' learning during a lesson
        "test",  # designing, running or marking a pre-/post-test
        "analysis",  # analysing data, tests or observations
        "reflection",  # looking back on what happened and why
        "documentation",  # writing down the conclusion for others
        "goal_setting",  # setting or revisiting goals
        "talk",  # short presentations (workshop, TeachMeet)
        "break",
    }
)

#: Roles a step may name. The first three rotate between meetings.
ROLES: frozenset[str] = frozenset(
    {
        "discussion_leader",
        "note_taker",
        "timekeeper",
        "everyone",
        "case_presenter",
        "reflecting_team",
        "teacher",
        "observer",
        "mentor",
        "mentee",
        "presenter",
        "facilitator",
    }
)

#: The methods a guide can belong to (adapted guides keep the method of their origin).
METHODS: frozenset[str] = frozenset(
    {
        "tlc",
        "plc",
        "learning_study",
        "lesson_study",
        "action_research",
        "group_supervision",
        "mentoring",
        "module",
        "reading_circle",
        "instructional_rounds",
        "workshop",
    }
)

#: Step types in which each member writes a commitment for the classroom.
COMMITMENT_STEP_TYPES: frozenset[str] = frozenset({"action_planning"})
#: Step types in which each member reports on their previous commitment.
FOLLOW_UP_STEP_TYPES: frozenset[str] = frozenset({"feedback"})
#: Step types in which members give talks they sign up for (``talk_minutes`` says how long).
TALK_STEP_TYPES: frozenset[str] = frozenset({"talk"})

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"

MAX_STEP_MINUTES = 240
MAX_STEPS = 30


class GuideError(ValueError):
    """A guide does not follow the format. The message names the source and line."""

    def __init__(
        self,
        source: str,
        line: int | None,
        message: str,
        code: str = "",
        params: dict[str, object] | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.message = message
        # A machine-readable reason, so that a user interface can say it in its own language.
        self.code = code
        self.params = params or {}
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class Text:
    """A text in every supported language."""

    sv: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.lower().startswith("en") else self.sv


@dataclass(frozen=True)
class TextList:
    """A list of texts (for example prompts) in every supported language."""

    sv: tuple[str, ...]
    en: tuple[str, ...]

    def get(self, language: str) -> tuple[str, ...]:
        return self.en if language.lower().startswith("en") else self.sv


@dataclass(frozen=True)
class Step:
    key: str
    type: str
    minutes: int
    title: Text
    purpose: Text
    prompts: TextList
    roles: tuple[str, ...]
    #: A talk step: how long each talk is. The step's time box limits how many talks fit.
    #: ``None`` only in guide versions stored before the field existed: no sign-up there.
    talk_minutes: int | None = None
    #: A step that shows the speaker list of the group's next meeting of this meeting type
    #: (a TeachMeet's planning meeting going through the sign-ups).
    speaker_list_for: str | None = None

    @property
    def takes_sign_ups(self) -> bool:
        return self.type in TALK_STEP_TYPES and self.talk_minutes is not None

    @property
    def talk_capacity(self) -> int:
        """How many talks fit in the step's time box (20 minutes of 2-minute talks: 10)."""
        return self.minutes // self.talk_minutes if self.talk_minutes else 0


@dataclass(frozen=True)
class MeetingType:
    key: str
    title: Text
    steps: tuple[Step, ...]

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)

    @property
    def talk_steps(self) -> tuple[Step, ...]:
        """The steps members can sign up to give a talk in, in agenda order."""
        return tuple(step for step in self.steps if step.takes_sign_ups)


@dataclass(frozen=True)
class Phase:
    key: str
    title: Text
    description: Text
    meeting_type: str
    meetings: int
    then: str | None = None


@dataclass(frozen=True)
class Guide:
    slug: str
    version: int
    method: str
    title: Text
    summary: Text
    cadence: Text
    interval_days: int
    group_size_min: int
    group_size_max: int
    phases: tuple[Phase, ...]
    meeting_types: tuple[MeetingType, ...]
    sources: tuple[str, ...]
    source_name: str = ""

    def meeting_type(self, key: str) -> MeetingType:
        for meeting_type in self.meeting_types:
            if meeting_type.key == key:
                return meeting_type
        raise KeyError(key)

    def phase(self, key: str) -> Phase:
        for phase in self.phases:
            if phase.key == key:
                return phase
        raise KeyError(key)

    @property
    def first_phase(self) -> Phase:
        return self.phases[0]

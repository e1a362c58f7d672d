"""Method guides: a pure loader, validator and agenda generator (no Django imports).

A guide is a YAML document (see ``data/guides/*.yaml``) describing a collegial-learning
method: its phases and, per meeting type, the agenda steps with a time box, a purpose,
prompts for the discussion leader and the roles involved. Every visible text is given in
Swedish and English.

The loader walks the YAML *node* tree rather than the constructed Python objects, so that
every error can point at the file and line where the problem is. A broken guide therefore
fails when it is loaded (at start-up, in tests, when an adapted guide is saved), never in
the middle of a meeting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

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

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"

MAX_STEP_MINUTES = 240
MAX_STEPS = 30


class GuideError(ValueError):
    """A guide does not follow the format. The message names the source and line."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
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


@dataclass(frozen=True)
class MeetingType:
    key: str
    title: Text
    steps: tuple[Step, ...]

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


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


# --------------------------------------------------------------------------- node reading


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: yaml.Node | None, message: str) -> GuideError:
        line = node.start_mark.line + 1 if node is not None else None
        return GuideError(self.source, line, message)

    def mapping(self, node: yaml.Node, what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping (key: value)")
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                raise self.fail(key_node, f"{what}: keys must be plain words")
            if key_node.value in out:
                raise self.fail(key_node, f"{what}: duplicate key '{key_node.value}'")
            out[key_node.value] = value_node
        return out

    def fields(
        self,
        node: yaml.Node,
        what: str,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> dict[str, yaml.Node]:
        values = self.mapping(node, what)
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in values:
            if key not in allowed:
                raise self.fail(node, f"{what}: unknown field '{key}'")
        for key in required:
            if key not in values:
                raise self.fail(node, f"{what}: missing field '{key}'")
        return values

    def string(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
            raise self.fail(node, f"{what} must be text")
        value = node.value.strip()
        if not value and not allow_empty:
            raise self.fail(node, f"{what} must not be empty")
        return value

    def integer(self, node: yaml.Node, what: str, *, low: int, high: int) -> int:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            raise self.fail(node, f"{what} must be a whole number")
        try:
            value = int(node.value.replace("_", ""), 0)
        except ValueError:
            raise self.fail(node, f"{what} must be a whole number") from None
        if not low <= value <= high:
            raise self.fail(node, f"{what} must be between {low} and {high}, not {value}")
        return value

    def key(self, node: yaml.Node, what: str) -> str:
        value = self.string(node, what)
        if not _KEY_RE.match(value):
            raise self.fail(node, f"{what} '{value}' must be lower-case letters, digits, _")
        return value

    def sequence(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> list:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        if not node.value and not allow_empty:
            raise self.fail(node, f"{what} must not be empty")
        return list(node.value)

    def text(self, node: yaml.Node, what: str) -> Text:
        values = self.fields(node, what, LANGUAGES)
        return Text(**{lang: self.string(values[lang], f"{what}.{lang}") for lang in LANGUAGES})

    def text_list(self, node: yaml.Node, what: str) -> TextList:
        values = self.fields(node, what, LANGUAGES)
        lists = {
            lang: tuple(
                self.string(item, f"{what}.{lang}")
                for item in self.sequence(values[lang], f"{what}.{lang}")
            )
            for lang in LANGUAGES
        }
        return TextList(**lists)

    def choice(self, node: yaml.Node, what: str, allowed: frozenset[str]) -> str:
        value = self.string(node, what)
        if value not in allowed:
            known = ", ".join(sorted(allowed))
            raise self.fail(node, f"{what}: unknown value '{value}' (known: {known})")
        return value


# --------------------------------------------------------------------------- parsing


def _parse_step(reader: _Reader, node: yaml.Node, where: str) -> Step:
    values = reader.fields(
        node, where, ("key", "type", "minutes", "title", "purpose", "prompts", "roles")
    )
    key = reader.key(values["key"], f"{where}.key")
    what = f"step '{key}'"
    roles = tuple(
        reader.choice(item, f"{what}: role", ROLES)
        for item in reader.sequence(values["roles"], f"{what}.roles")
    )
    if len(set(roles)) != len(roles):
        raise reader.fail(values["roles"], f"{what}: a role is listed twice")
    return Step(
        key=key,
        type=reader.choice(values["type"], f"{what}: step type", STEP_TYPES),
        minutes=reader.integer(values["minutes"], f"{what}.minutes", low=1, high=MAX_STEP_MINUTES),
        title=reader.text(values["title"], f"{what}.title"),
        purpose=reader.text(values["purpose"], f"{what}.purpose"),
        prompts=reader.text_list(values["prompts"], f"{what}.prompts"),
        roles=roles,
    )


def _parse_meeting_type(reader: _Reader, node: yaml.Node) -> MeetingType:
    values = reader.fields(node, "meeting type", ("key", "title", "steps"))
    key = reader.key(values["key"], "meeting type key")
    step_nodes = reader.sequence(values["steps"], f"meeting type '{key}'.steps")
    if len(step_nodes) > MAX_STEPS:
        raise reader.fail(values["steps"], f"meeting type '{key}': at most {MAX_STEPS} steps")
    steps = tuple(
        _parse_step(reader, step, f"meeting type '{key}' step {i}")
        for i, step in enumerate(step_nodes, start=1)
    )
    seen: set[str] = set()
    for step_node, step in zip(step_nodes, steps, strict=True):
        if step.key in seen:
            raise reader.fail(step_node, f"meeting type '{key}': duplicate step key '{step.key}'")
        seen.add(step.key)
    return MeetingType(
        key=key, title=reader.text(values["title"], f"meeting type '{key}'.title"), steps=steps
    )


def _parse_phase(reader: _Reader, node: yaml.Node, meeting_types: set[str]) -> Phase:
    values = reader.fields(
        node, "phase", ("key", "title", "description", "meeting_type"), ("meetings", "then")
    )
    key = reader.key(values["key"], "phase key")
    meeting_type = reader.key(values["meeting_type"], f"phase '{key}'.meeting_type")
    if meeting_type not in meeting_types:
        raise reader.fail(
            values["meeting_type"],
            f"phase '{key}': meeting type '{meeting_type}' is not defined in meeting_types",
        )
    meetings = 1
    if "meetings" in values:
        meetings = reader.integer(values["meetings"], f"phase '{key}'.meetings", low=1, high=60)
    return Phase(
        key=key,
        title=reader.text(values["title"], f"phase '{key}'.title"),
        description=reader.text(values["description"], f"phase '{key}'.description"),
        meeting_type=meeting_type,
        meetings=meetings,
        then=reader.key(values["then"], f"phase '{key}'.then") if "then" in values else None,
    )


_GUIDE_FIELDS = (
    "slug",
    "version",
    "method",
    "title",
    "summary",
    "cadence",
    "interval_days",
    "group_size",
    "meeting_types",
    "phases",
)


def parse_guide(text: str, source: str = "<guide>") -> Guide:
    """Parse and validate a guide from YAML (JSON is valid YAML too).

    Raises ``GuideError`` naming ``source`` and the line of the first problem.
    """
    reader = _Reader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise GuideError(source, line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive, compose raises marked errors
        raise GuideError(source, None, f"not valid YAML: {exc}") from None
    if root is None:
        raise GuideError(source, None, "the guide is empty")
    values = reader.fields(root, "guide", _GUIDE_FIELDS, ("sources",))
    slug = reader.string(values["slug"], "slug")
    if not _SLUG_RE.match(slug):
        raise reader.fail(values["slug"], f"slug '{slug}' must be lower-case letters, digits, -_")
    size = reader.fields(values["group_size"], "group_size", ("min", "max"))
    size_min = reader.integer(size["min"], "group_size.min", low=1, high=500)
    size_max = reader.integer(size["max"], "group_size.max", low=1, high=500)
    if size_max < size_min:
        raise reader.fail(values["group_size"], "group_size: max is smaller than min")

    mt_nodes = reader.sequence(values["meeting_types"], "meeting_types")
    meeting_types = tuple(_parse_meeting_type(reader, node) for node in mt_nodes)
    keys: set[str] = set()
    for node, meeting_type in zip(mt_nodes, meeting_types, strict=True):
        if meeting_type.key in keys:
            raise reader.fail(node, f"duplicate meeting type '{meeting_type.key}'")
        keys.add(meeting_type.key)

    phase_nodes = reader.sequence(values["phases"], "phases")
    phases = tuple(_parse_phase(reader, node, keys) for node in phase_nodes)
    phase_keys: set[str] = set()
    for node, phase in zip(phase_nodes, phases, strict=True):
        if phase.key in phase_keys:
            raise reader.fail(node, f"duplicate phase '{phase.key}'")
        phase_keys.add(phase.key)
    for node, phase in zip(phase_nodes, phases, strict=True):
        if phase.then is not None and phase.then not in phase_keys:
            raise reader.fail(
                node, f"phase '{phase.key}': 'then' names unknown phase '{phase.then}'"
            )

    sources: tuple[str, ...] = ()
    if "sources" in values:
        sources = tuple(
            reader.string(item, "sources")
            for item in reader.sequence(values["sources"], "sources", allow_empty=True)
        )
    return Guide(
        slug=slug,
        version=reader.integer(values["version"], "version", low=1, high=1_000_000),
        method=reader.choice(values["method"], "method", METHODS),
        title=reader.text(values["title"], "title"),
        summary=reader.text(values["summary"], "summary"),
        cadence=reader.text(values["cadence"], "cadence"),
        interval_days=reader.integer(values["interval_days"], "interval_days", low=1, high=366),
        group_size_min=size_min,
        group_size_max=size_max,
        phases=phases,
        meeting_types=meeting_types,
        sources=sources,
        source_name=source,
    )


GUIDES_DIR = Path(__file__).resolve().parent / "data" / "guides"


def load_guide_file(path: Path) -> Guide:
    return parse_guide(path.read_text(encoding="utf-8"), source=path.name)


def load_guides(directory: Path = GUIDES_DIR) -> dict[str, Guide]:
    """Load every ``*.yaml`` guide in ``directory``, keyed by slug (sorted by file name)."""
    guides: dict[str, Guide] = {}
    for path in sorted(directory.glob("*.yaml")):
        guide = load_guide_file(path)
        if guide.slug in guides:
            raise GuideError(path.name, None, f"slug '{guide.slug}' is used by another guide")
        guides[guide.slug] = guide
    return guides


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

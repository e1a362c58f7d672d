"""Parse and validate a guide from YAML, reporting file and line (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from kollegium.groups.guides.model import (
    _INT,
    _KEY_RE,
    _SLUG_RE,
    _STR,
    LANGUAGES,
    MAX_STEP_MINUTES,
    MAX_STEPS,
    METHODS,
    ROLES,
    STEP_TYPES,
    TALK_STEP_TYPES,
    Guide,
    GuideError,
    MeetingType,
    Phase,
    Step,
    Text,
    TextList,
)

# --------------------------------------------------------------------------- node reading


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(
        self, node: yaml.Node | None, message: str, code: str = "", **params: object
    ) -> GuideError:
        line = node.start_mark.line + 1 if node is not None else None
        return GuideError(self.source, line, message, code, params)

    def mapping(self, node: yaml.Node, what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping (key: value)")
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                raise self.fail(key_node, f"{what}: keys must be plain words")
            if key_node.value in out:
                raise self.fail(
                    key_node,
                    f"{what}: duplicate key '{key_node.value}'",
                    "duplicate_key",
                    what=what,
                    key=key_node.value,
                )
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
                raise self.fail(
                    node, f"{what}: unknown field '{key}'", "unknown_field", what=what, field=key
                )
        for key in required:
            if key not in values:
                raise self.fail(
                    node, f"{what}: missing field '{key}'", "missing_field", what=what, field=key
                )
        return values

    def string(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
            raise self.fail(node, f"{what} must be text", "not_text", what=what)
        value = node.value.strip()
        if not value and not allow_empty:
            raise self.fail(node, f"{what} must not be empty", "empty", what=what)
        return value

    def integer(self, node: yaml.Node, what: str, *, low: int, high: int) -> int:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            raise self.fail(node, f"{what} must be a whole number", "not_integer", what=what)
        try:
            value = int(node.value.replace("_", ""), 0)
        except ValueError:
            raise self.fail(
                node, f"{what} must be a whole number", "not_integer", what=what
            ) from None
        if not low <= value <= high:
            raise self.fail(
                node,
                f"{what} must be between {low} and {high}, not {value}",
                "out_of_range",
                what=what,
                low=low,
                high=high,
                value=value,
            )
        return value

    def key(self, node: yaml.Node, what: str) -> str:
        value = self.string(node, what)
        if not _KEY_RE.match(value):
            raise self.fail(node, f"{what} '{value}' must be lower-case letters, digits, _")
        return value

    def sequence(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> list:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list", "not_list", what=what)
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
            raise self.fail(
                node,
                f"{what}: unknown value '{value}' (known: {known})",
                "unknown_value",
                what=what,
                value=value,
                known=known,
            )
        return value


# --------------------------------------------------------------------------- parsing


def _parse_step(
    reader: _Reader, node: yaml.Node, where: str, *, require_talk_minutes: bool
) -> Step:
    values = reader.fields(
        node,
        where,
        ("key", "type", "minutes", "title", "purpose", "prompts", "roles"),
        ("talk_minutes", "speaker_list_for"),
    )
    key = reader.key(values["key"], f"{where}.key")
    what = f"step '{key}'"
    roles = tuple(
        reader.choice(item, f"{what}: role", ROLES)
        for item in reader.sequence(values["roles"], f"{what}.roles")
    )
    if len(set(roles)) != len(roles):
        raise reader.fail(values["roles"], f"{what}: a role is listed twice")
    step_type = reader.choice(values["type"], f"{what}: step type", STEP_TYPES)
    minutes = reader.integer(values["minutes"], f"{what}.minutes", low=1, high=MAX_STEP_MINUTES)
    talk_minutes = _talk_minutes(
        reader, node, values, what, step_type, minutes, required=require_talk_minutes
    )
    speaker_list_for = None
    if "speaker_list_for" in values:
        speaker_list_for = reader.key(values["speaker_list_for"], f"{what}.speaker_list_for")
        if step_type in TALK_STEP_TYPES:
            raise reader.fail(
                values["speaker_list_for"],
                f"{what}: a talk step lists its own speakers; speaker_list_for is for "
                "other steps (for example the planning meeting's speaker list)",
                "speaker_list_on_talk",
                what=what,
            )
    return Step(
        key=key,
        type=step_type,
        minutes=minutes,
        title=reader.text(values["title"], f"{what}.title"),
        purpose=reader.text(values["purpose"], f"{what}.purpose"),
        prompts=reader.text_list(values["prompts"], f"{what}.prompts"),
        roles=roles,
        talk_minutes=talk_minutes,
        speaker_list_for=speaker_list_for,
    )


def _talk_minutes(
    reader: _Reader,
    node: yaml.Node,
    values: dict[str, yaml.Node],
    what: str,
    step_type: str,
    minutes: int,
    *,
    required: bool,
) -> int | None:
    """How long each talk in a talk step is. Only on talk steps; required there, except in
    guide versions stored before the field existed (``required=False``)."""
    if "talk_minutes" not in values:
        if step_type in TALK_STEP_TYPES and required:
            raise reader.fail(
                node,
                f"{what}: missing field 'talk_minutes' (how long each talk is)",
                "missing_field",
                what=what,
                field="talk_minutes",
            )
        return None
    value_node = values["talk_minutes"]
    if step_type not in TALK_STEP_TYPES:
        raise reader.fail(
            value_node,
            f"{what}: talk_minutes is only for steps of type 'talk', not '{step_type}'",
            "talk_minutes_not_talk",
            what=what,
            type=step_type,
        )
    talk_minutes = reader.integer(value_node, f"{what}.talk_minutes", low=1, high=MAX_STEP_MINUTES)
    if talk_minutes > minutes:
        raise reader.fail(
            value_node,
            f"{what}: a talk of {talk_minutes} minutes does not fit in the step's "
            f"{minutes} minutes",
            "talk_longer_than_step",
            what=what,
            talk=talk_minutes,
            minutes=minutes,
        )
    return talk_minutes


def _parse_meeting_type(
    reader: _Reader, node: yaml.Node, *, require_talk_minutes: bool
) -> tuple[MeetingType, dict[str, yaml.Node]]:
    """The meeting type, and the nodes of its steps by key (to point at them later)."""
    values = reader.fields(node, "meeting type", ("key", "title", "steps"))
    key = reader.key(values["key"], "meeting type key")
    step_nodes = reader.sequence(values["steps"], f"meeting type '{key}'.steps")
    if len(step_nodes) > MAX_STEPS:
        raise reader.fail(values["steps"], f"meeting type '{key}': at most {MAX_STEPS} steps")
    steps = tuple(
        _parse_step(
            reader,
            step,
            f"meeting type '{key}' step {i}",
            require_talk_minutes=require_talk_minutes,
        )
        for i, step in enumerate(step_nodes, start=1)
    )
    seen: dict[str, yaml.Node] = {}
    for step_node, step in zip(step_nodes, steps, strict=True):
        if step.key in seen:
            raise reader.fail(step_node, f"meeting type '{key}': duplicate step key '{step.key}'")
        seen[step.key] = step_node
    meeting_type = MeetingType(
        key=key, title=reader.text(values["title"], f"meeting type '{key}'.title"), steps=steps
    )
    return meeting_type, seen


def _check_speaker_lists(
    reader: _Reader,
    meeting_types: tuple[MeetingType, ...],
    step_nodes: list[dict[str, yaml.Node]],
) -> None:
    """``speaker_list_for`` must name a meeting type of the guide that has talks to sign up for."""
    with_talks = {mt.key for mt in meeting_types if mt.talk_steps}
    known = {mt.key for mt in meeting_types}
    for meeting_type, nodes in zip(meeting_types, step_nodes, strict=True):
        for step in meeting_type.steps:
            target = step.speaker_list_for
            if target is None or target in with_talks:
                continue
            value_node = reader.mapping(nodes[step.key], f"step '{step.key}'")["speaker_list_for"]
            if target not in known:
                raise reader.fail(
                    value_node,
                    f"step '{step.key}': speaker_list_for names unknown meeting type '{target}'",
                    "unknown_meeting_type",
                    what=f"step '{step.key}'",
                    value=target,
                )
            raise reader.fail(
                value_node,
                f"step '{step.key}': meeting type '{target}' has no talk step with talk_minutes",
                "no_talks_to_list",
                what=f"step '{step.key}'",
                value=target,
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


def parse_guide(text: str, source: str = "<guide>", *, require_talk_minutes: bool = True) -> Guide:
    """Parse and validate a guide from YAML (JSON is valid YAML too).

    Raises ``GuideError`` naming ``source`` and the line of the first problem.

    Every guide that is written or saved now must give ``talk_minutes`` on its talk steps.
    ``require_talk_minutes=False`` is only for reading guide versions stored before that
    field existed (a running group keeps its version): their talk steps take no sign-ups.
    """
    reader = _Reader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = str(exc.problem or exc)
        raise GuideError(
            source, line, f"not valid YAML: {problem}", "invalid_yaml", {"problem": problem}
        ) from None
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
    parsed_types = [
        _parse_meeting_type(reader, node, require_talk_minutes=require_talk_minutes)
        for node in mt_nodes
    ]
    meeting_types = tuple(meeting_type for meeting_type, _nodes in parsed_types)
    keys: set[str] = set()
    for node, meeting_type in zip(mt_nodes, meeting_types, strict=True):
        if meeting_type.key in keys:
            raise reader.fail(node, f"duplicate meeting type '{meeting_type.key}'")
        keys.add(meeting_type.key)
    _check_speaker_lists(reader, meeting_types, [nodes for _mt, nodes in parsed_types])

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


GUIDES_DIR = Path(__file__).resolve().parent.parent / "data" / "guides"


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

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

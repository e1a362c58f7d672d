"""Load and validate the skill taxonomy data file (pure: no Django).

The file is a two-level tree (areas -> skills). Every problem is reported with the file name
and the line it is on, using PyYAML's node marks, so a person editing the YAML can go straight
to the line. All problems are collected before raising, not just the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "skills.yaml"

AREA_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SKILL_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}\.[a-z][a-z0-9_]{0,59}$")
LANGUAGES = ("sv", "en")
SUPPORTED_VERSIONS = (1,)

_TOP_FIELDS = {"version", "areas"}
_AREA_FIELDS = {"key", "name", "description", "skills"}
_SKILL_FIELDS = {"key", "name", "description", "retired"}


@dataclass(frozen=True, slots=True)
class Text:
    """A text in both interface languages."""

    sv: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.sv


@dataclass(frozen=True, slots=True)
class SkillDef:
    key: str
    area_key: str
    name: Text
    description: Text
    line: int
    retired: bool = False


@dataclass(frozen=True, slots=True)
class AreaDef:
    key: str
    name: Text
    description: Text
    skills: tuple[SkillDef, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Taxonomy:
    version: int
    areas: tuple[AreaDef, ...]

    @property
    def skills(self) -> tuple[SkillDef, ...]:
        return tuple(skill for area in self.areas for skill in area.skills)

    def skill(self, key: str) -> SkillDef | None:
        for skill in self.skills:
            if skill.key == key:
                return skill
        return None


@dataclass(frozen=True, slots=True)
class Problem:
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class TaxonomyError(ValueError):
    """The taxonomy file is invalid. `problems` lists every problem found, with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


class _Collector:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, node: Node | None, message: str, line: int = 0) -> None:
        if node is not None:
            line = node.start_mark.line + 1
        self.problems.append(Problem(self.source, line, message))


def _mapping(node: Node, what: str, allowed: set[str], out: _Collector) -> dict[str, Node] | None:
    if not isinstance(node, MappingNode):
        out.add(node, f"{what} must be a mapping")
        return None
    result: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else None
        if not isinstance(key, str):
            out.add(key_node, f"{what}: field names must be plain text")
            continue
        if key in result:
            out.add(key_node, f"{what}: field {key!r} appears twice")
            continue
        if key not in allowed:
            out.add(key_node, f"{what}: unknown field {key!r} (allowed: {sorted(allowed)})")
            continue
        result[key] = value_node
    return result


def _scalar(node: Node | None, what: str, out: _Collector, parent: Node) -> str | None:
    if node is None:
        out.add(parent, f"{what} is missing")
        return None
    if not isinstance(node, ScalarNode):
        out.add(node, f"{what} must be text")
        return None
    value = str(node.value).strip()
    if not value:
        out.add(node, f"{what} is empty")
        return None
    return value


def _text(fields: dict[str, Node], field: str, what: str, out: _Collector, parent: Node) -> Text:
    node = fields.get(field)
    if node is None:
        out.add(parent, f"{what}: {field} is missing")
        return Text("", "")
    mapping = _mapping(node, f"{what}: {field}", set(LANGUAGES), out)
    if mapping is None:
        return Text("", "")
    values = {
        lang: _scalar(mapping.get(lang), f"{what}: {field}.{lang}", out, node) or ""
        for lang in LANGUAGES
    }
    return Text(sv=values["sv"], en=values["en"])


def _bool(node: Node | None, what: str, out: _Collector) -> bool:
    if node is None:
        return False
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("true", "yes", "on")
    out.add(node, f"{what} must be true or false")
    return False


def _skill(node: Node, area_key: str, seen: dict[str, int], out: _Collector) -> SkillDef | None:
    fields = _mapping(node, "skill", _SKILL_FIELDS, out)
    if fields is None:
        return None
    key = _scalar(fields.get("key"), "skill key", out, node)
    what = f"skill {key!r}" if key else "skill"
    if key is not None:
        key_node = fields["key"]
        if not SKILL_KEY_RE.match(key):
            out.add(key_node, f"{what}: key must look like 'area.skill_name' (a-z, 0-9, _)")
        elif area_key and key.split(".", 1)[0] != area_key:
            out.add(key_node, f"{what}: key must start with its area key {area_key!r}")
        if key in seen:
            out.add(key_node, f"{what}: key already used on line {seen[key]}")
        else:
            seen[key] = key_node.start_mark.line + 1
    name = _text(fields, "name", what, out, node)
    description = _text(fields, "description", what, out, node)
    retired = _bool(fields.get("retired"), f"{what}: retired", out)
    if key is None:
        return None
    return SkillDef(
        key=key,
        area_key=area_key,
        name=name,
        description=description,
        line=node.start_mark.line + 1,
        retired=retired,
    )


def _area(
    node: Node, seen_areas: dict[str, int], seen_skills: dict[str, int], out: _Collector
) -> AreaDef | None:
    fields = _mapping(node, "area", _AREA_FIELDS, out)
    if fields is None:
        return None
    key = _scalar(fields.get("key"), "area key", out, node)
    what = f"area {key!r}" if key else "area"
    if key is not None:
        key_node = fields["key"]
        if not AREA_KEY_RE.match(key):
            out.add(key_node, f"{what}: key must be lowercase a-z, 0-9 and _")
        if key in seen_areas:
            out.add(key_node, f"{what}: key already used on line {seen_areas[key]}")
        else:
            seen_areas[key] = key_node.start_mark.line + 1
    name = _text(fields, "name", what, out, node)
    description = _text(fields, "description", what, out, node)
    skills: list[SkillDef] = []
    skills_node = fields.get("skills")
    if skills_node is None:
        out.add(node, f"{what}: skills is missing")
    elif not isinstance(skills_node, SequenceNode) or not skills_node.value:
        out.add(skills_node, f"{what}: skills must be a non-empty list")
    else:
        for skill_node in skills_node.value:
            skill = _skill(skill_node, key or "", seen_skills, out)
            if skill is not None:
                skills.append(skill)
    if key is None:
        return None
    return AreaDef(
        key=key,
        name=name,
        description=description,
        skills=tuple(skills),
        line=node.start_mark.line + 1,
    )


def parse_taxonomy(text: str, source: str = "<string>") -> Taxonomy:
    """Parse and validate taxonomy YAML text. Raises TaxonomyError listing every problem."""
    out = _Collector(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise TaxonomyError([Problem(source, line, f"not valid YAML: {exc.problem}")]) from exc
    if root is None:
        raise TaxonomyError([Problem(source, 1, "the file is empty")])
    top = _mapping(root, "the file", _TOP_FIELDS, out)
    if top is None:
        raise TaxonomyError(out.problems)
    version_node = top.get("version")
    version = 0
    if version_node is None:
        out.add(root, "version is missing")
    elif not (isinstance(version_node, ScalarNode) and version_node.value.isdigit()):
        out.add(version_node, "version must be a whole number")
    else:
        version = int(version_node.value)
        if version not in SUPPORTED_VERSIONS:
            out.add(version_node, f"version {version} is not supported")
    areas: list[AreaDef] = []
    areas_node = top.get("areas")
    if areas_node is None:
        out.add(root, "areas is missing")
    elif not isinstance(areas_node, SequenceNode) or not areas_node.value:
        out.add(areas_node, "areas must be a non-empty list")
    else:
        seen_areas: dict[str, int] = {}
        seen_skills: dict[str, int] = {}
        for area_node in areas_node.value:
            area = _area(area_node, seen_areas, seen_skills, out)
            if area is not None:
                areas.append(area)
    if out.problems:
        raise TaxonomyError(out.problems)
    return Taxonomy(version=version, areas=tuple(areas))


def load_taxonomy(path: Path | str = DEFAULT_PATH) -> Taxonomy:
    """Read and validate the taxonomy file at `path` (default: the bundled skills.yaml)."""
    path = Path(path)
    return parse_taxonomy(path.read_text(encoding="utf-8"), source=str(path))

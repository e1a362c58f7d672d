"""School types and quick-start suggestions from data/school_types.yaml (pure: no Django).

- Which skills concern which school types (förskola, grundskola, gymnasium, vuxenutbildning),
  so that a compulsory school's coverage does not list vocational subjects as gaps.
- A school's types from the stages its people teach, when a leader has not chosen them.
- The 8–12 skills most likely relevant to a person, from their subjects, stages and school
  types, for the profile's quick start.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "school_types.yaml"

MIN_SUGGESTIONS = 8
MAX_SUGGESTIONS = 12

# Points per reason a skill is suggested: the person's subjects weigh most.
SUBJECT_POINTS = 6
STAGE_POINTS = 4
SCHOOL_TYPE_POINTS = 2
EVERYONE_POINTS = 1
#: A skill reaching this many points is "likely relevant" (one subject or stage match).
LIKELY_POINTS = STAGE_POINTS


@dataclass(frozen=True, slots=True)
class SchoolType:
    key: str
    name_sv: str
    name_en: str
    stages: tuple[str, ...]

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_sv


@dataclass(frozen=True, slots=True)
class Scope:
    school_types: tuple[SchoolType, ...]
    only_at: dict[str, frozenset[str]]
    by_subject: dict[str, tuple[str, ...]]
    by_stage: dict[str, tuple[str, ...]]
    by_school_type: dict[str, tuple[str, ...]]
    everyone: tuple[str, ...]

    @property
    def type_keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.school_types)

    def all_skill_keys(self) -> set[str]:
        """Every skill key the file mentions (a test checks each exists in the taxonomy)."""
        keys = set(self.only_at) | set(self.everyone)
        for table in (self.by_subject, self.by_stage, self.by_school_type):
            for values in table.values():
                keys.update(values)
        return keys

    def types_for_stages(self, stage_codes: Iterable[str]) -> frozenset[str]:
        codes = set(stage_codes)
        return frozenset(t.key for t in self.school_types if codes & set(t.stages))

    def applies(self, skill_key: str, types: Iterable[str]) -> bool:
        """Does the skill concern a school of these types? No types known: every skill does."""
        wanted = frozenset(types)
        only = self.only_at.get(skill_key)
        return not wanted or only is None or bool(only & wanted)

    def excluded(self, types: Iterable[str]) -> frozenset[str]:
        """The skill keys that concern none of these types."""
        wanted = frozenset(types)
        if not wanted:
            return frozenset()
        return frozenset(key for key, only in self.only_at.items() if not only & wanted)

    def suggest(
        self,
        *,
        subjects: Iterable[str],
        stages: Iterable[str],
        types: Iterable[str],
        available: Iterable[str],
    ) -> list[str]:
        """The 8–12 skill keys most likely relevant, strongest first.

        Every skill reaching LIKELY_POINTS is suggested (up to MAX_SUGGESTIONS), then the
        strongest others until there are MIN_SUGGESTIONS. Only `available` keys that concern the
        person's school types are suggested. Ties keep the order of the data file's lists.
        """
        type_set = frozenset(types)
        open_keys = [k for k in available if self.applies(k, type_set)]
        usable = set(open_keys)
        score: dict[str, int] = {}
        first_seen: dict[str, int] = {}

        def add(keys: Iterable[str], points: int) -> None:
            for position, key in enumerate(keys):
                if key in usable:
                    # Earlier in a list: a little stronger (ties broken by the list's order).
                    score[key] = score.get(key, 0) + points
                    first_seen.setdefault(key, len(first_seen) * 100 + position)

        for code in subjects:
            add(self.by_subject.get(code, ()), SUBJECT_POINTS)
        for code in stages:
            add(self.by_stage.get(code, ()), STAGE_POINTS)
        for key in sorted(type_set):
            add(self.by_school_type.get(key, ()), SCHOOL_TYPE_POINTS)
        add(self.everyone, EVERYONE_POINTS)
        ranked = sorted(score, key=lambda k: (-score[k], first_seen[k]))
        likely = [k for k in ranked if score[k] >= LIKELY_POINTS][:MAX_SUGGESTIONS]
        rest = [k for k in ranked if k not in likely]
        chosen = likely + rest[: max(0, MIN_SUGGESTIONS - len(likely))]
        if len(chosen) < MIN_SUGGESTIONS:  # hardly any data: fill in the taxonomy's order
            chosen += [k for k in open_keys if k not in chosen][: MIN_SUGGESTIONS - len(chosen)]
        return chosen


class ScopeError(ValueError):
    """The school types file is not as described at its top."""


def _text_pair(value: object, what: str) -> tuple[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in ("sv", "en")
    ):
        raise ScopeError(f"{what}: name needs sv and en")
    return value["sv"].strip(), value["en"].strip()


def _key_list(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ScopeError(f"{what} must be a list of keys")
    return tuple(value)


def _table(value: object, what: str) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ScopeError(f"{what} must be a mapping")
    return {str(k): _key_list(v, f"{what}.{k}") for k, v in value.items()}


def parse_scope(text: str) -> Scope:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ScopeError("the file must be a mapping with version: 1")
    types: list[SchoolType] = []
    for index, item in enumerate(data.get("school_types") or []):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise ScopeError(f"school_types[{index}] needs a key")
        sv, en = _text_pair(item.get("name"), f"school type {item['key']}")
        types.append(
            SchoolType(item["key"], sv, en, _key_list(item.get("stages", []), item["key"]))
        )
    if not types:
        raise ScopeError("school_types is empty")
    known = {t.key for t in types}
    only_at = {k: frozenset(v) for k, v in _table(data.get("only_at"), "only_at").items()}
    for key, values in only_at.items():
        if not values <= known:
            raise ScopeError(f"only_at.{key}: unknown school type {sorted(values - known)}")
    suggest = data.get("suggest") or {}
    if not isinstance(suggest, dict):
        raise ScopeError("suggest must be a mapping")
    by_type = _table(suggest.get("by_school_type"), "suggest.by_school_type")
    if not set(by_type) <= known:
        raise ScopeError("suggest.by_school_type: unknown school type")
    return Scope(
        school_types=tuple(types),
        only_at=only_at,
        by_subject=_table(suggest.get("by_subject"), "suggest.by_subject"),
        by_stage=_table(suggest.get("by_stage"), "suggest.by_stage"),
        by_school_type=by_type,
        everyone=_key_list(suggest.get("everyone", []), "suggest.everyone"),
    )


@lru_cache(maxsize=4)
def load_scope(path: Path | str = DEFAULT_PATH) -> Scope:
    return parse_scope(Path(path).read_text(encoding="utf-8"))

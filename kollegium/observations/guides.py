"""Observation focus areas, feedback forms and the debrief guide, loaded from a data file.

Pure: no Django. The content lives in ``data/observation_guides.yaml`` (Swedish and English);
this module validates it into frozen dataclasses so a broken file fails loudly at load time
rather than half-way through a teacher's request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("sv", "en")
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "observation_guides.yaml"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class GuideError(ValueError):
    """The guide data file is malformed."""


@dataclass(frozen=True)
class Text:
    sv: str
    en: str

    def get(self, language: str | None) -> str:
        """The text in ``language`` ("sv", "en", "en-gb"...), Swedish when unknown."""
        lang = (language or "sv").split("-")[0].lower()
        return self.en if lang == "en" else self.sv


@dataclass(frozen=True)
class FocusArea:
    key: str
    title: Text
    summary: Text
    look_fors: tuple[Text, ...]
    debrief_question: Text


@dataclass(frozen=True)
class FormField:
    key: str
    label: Text
    prompt: Text


@dataclass(frozen=True)
class FeedbackForm:
    key: str
    title: Text
    summary: Text
    guidance: tuple[Text, ...]
    fields: tuple[FormField, ...]
    judgement_words: dict[str, frozenset[str]]

    @property
    def field_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def __hash__(self) -> int:  # dict field: hash by key, the identity in the data file
        return hash(self.key)


@dataclass(frozen=True)
class DebriefStep:
    key: str
    minutes: int
    title: Text
    prompt: Text


@dataclass(frozen=True)
class DebriefGuide:
    title: Text
    summary: Text
    ground_rules: tuple[Text, ...]
    steps: tuple[DebriefStep, ...]

    @property
    def total_minutes(self) -> int:
        return sum(s.minutes for s in self.steps)


@dataclass(frozen=True)
class Guides:
    version: int
    focus_areas: tuple[FocusArea, ...]
    forms: tuple[FeedbackForm, ...]
    debrief: DebriefGuide

    def focus(self, key: str) -> FocusArea:
        for area in self.focus_areas:
            if area.key == key:
                return area
        raise KeyError(key)

    def form(self, key: str) -> FeedbackForm:
        for form in self.forms:
            if form.key == key:
                return form
        raise KeyError(key)

    @property
    def focus_keys(self) -> tuple[str, ...]:
        return tuple(a.key for a in self.focus_areas)

    @property
    def form_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.forms)


# --- parsing -------------------------------------------------------------------------------


def _text(raw: Any, where: str) -> Text:
    if not isinstance(raw, dict):
        raise GuideError(f"{where}: expected a mapping with 'sv' and 'en'")
    values = {}
    for lang in LANGUAGES:
        value = raw.get(lang)
        if not isinstance(value, str) or not value.strip():
            raise GuideError(f"{where}: missing or empty '{lang}' text")
        values[lang] = " ".join(value.split())
    return Text(**values)


def _texts(raw: Any, where: str, *, minimum: int = 1) -> tuple[Text, ...]:
    if not isinstance(raw, list) or len(raw) < minimum:
        raise GuideError(f"{where}: expected a list with at least {minimum} item(s)")
    return tuple(_text(item, f"{where}[{i}]") for i, item in enumerate(raw))


def _key(raw: Any, where: str, seen: set[str]) -> str:
    if not isinstance(raw, str) or not _KEY.match(raw):
        raise GuideError(f"{where}: key must be lower_snake_case, got {raw!r}")
    if raw in seen:
        raise GuideError(f"{where}: duplicate key {raw!r}")
    seen.add(raw)
    return raw


def _mapping(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise GuideError(f"{where}: expected a mapping")
    return raw


def _focus_areas(raw: Any) -> tuple[FocusArea, ...]:
    if not isinstance(raw, list) or not raw:
        raise GuideError("focus_areas: expected a non-empty list")
    seen: set[str] = set()
    areas = []
    for i, item in enumerate(raw):
        item = _mapping(item, f"focus_areas[{i}]")
        where = f"focus_areas[{i}]"
        areas.append(
            FocusArea(
                key=_key(item.get("key"), where, seen),
                title=_text(item.get("title"), f"{where}.title"),
                summary=_text(item.get("summary"), f"{where}.summary"),
                look_fors=_texts(item.get("look_fors"), f"{where}.look_fors", minimum=3),
                debrief_question=_text(item.get("debrief_question"), f"{where}.debrief_question"),
            )
        )
    return tuple(areas)


def _judgement_words(raw: Any, where: str) -> dict[str, frozenset[str]]:
    if raw is None:
        return {lang: frozenset() for lang in LANGUAGES}
    raw = _mapping(raw, where)
    words = {}
    for lang in LANGUAGES:
        items = raw.get(lang, [])
        if not isinstance(items, list) or not all(isinstance(w, str) and w for w in items):
            raise GuideError(f"{where}.{lang}: expected a list of words")
        words[lang] = frozenset(w.lower() for w in items)
    return words


def _forms(raw: Any) -> tuple[FeedbackForm, ...]:
    if not isinstance(raw, list) or not raw:
        raise GuideError("forms: expected a non-empty list")
    seen: set[str] = set()
    forms = []
    for i, item in enumerate(raw):
        where = f"forms[{i}]"
        item = _mapping(item, where)
        field_seen: set[str] = set()
        raw_fields = item.get("fields")
        if not isinstance(raw_fields, list) or not raw_fields:
            raise GuideError(f"{where}.fields: expected a non-empty list")
        fields = tuple(
            FormField(
                key=_key(
                    _mapping(f, f"{where}.fields[{j}]").get("key"),
                    f"{where}.fields[{j}]",
                    field_seen,
                ),
                label=_text(f.get("label"), f"{where}.fields[{j}].label"),
                prompt=_text(f.get("prompt"), f"{where}.fields[{j}].prompt"),
            )
            for j, f in enumerate(raw_fields)
        )
        forms.append(
            FeedbackForm(
                key=_key(item.get("key"), where, seen),
                title=_text(item.get("title"), f"{where}.title"),
                summary=_text(item.get("summary"), f"{where}.summary"),
                guidance=_texts(item.get("guidance"), f"{where}.guidance"),
                fields=fields,
                judgement_words=_judgement_words(
                    item.get("judgement_words"), f"{where}.judgement_words"
                ),
            )
        )
    return tuple(forms)


def _debrief(raw: Any) -> DebriefGuide:
    raw = _mapping(raw, "debrief")
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise GuideError("debrief.steps: expected a non-empty list")
    seen: set[str] = set()
    steps = []
    for i, step in enumerate(raw_steps):
        where = f"debrief.steps[{i}]"
        step = _mapping(step, where)
        minutes = step.get("minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 60:
            raise GuideError(f"{where}.minutes: expected a whole number of minutes (1-60)")
        steps.append(
            DebriefStep(
                key=_key(step.get("key"), where, seen),
                minutes=minutes,
                title=_text(step.get("title"), f"{where}.title"),
                prompt=_text(step.get("prompt"), f"{where}.prompt"),
            )
        )
    return DebriefGuide(
        title=_text(raw.get("title"), "debrief.title"),
        summary=_text(raw.get("summary"), "debrief.summary"),
        ground_rules=_texts(raw.get("ground_rules"), "debrief.ground_rules"),
        steps=tuple(steps),
    )


def parse_guides(raw: Any) -> Guides:
    """Validate the decoded YAML document into :class:`Guides`; raise :class:`GuideError`."""
    raw = _mapping(raw, "document")
    version = raw.get("version")
    if version != 1:
        raise GuideError(f"version: unsupported version {version!r}")
    return Guides(
        version=version,
        focus_areas=_focus_areas(raw.get("focus_areas")),
        forms=_forms(raw.get("forms")),
        debrief=_debrief(raw.get("debrief")),
    )


def load_guides(path: Path | str | None = None) -> Guides:
    """Read and validate a guide file (the bundled one by default; that one is cached)."""
    if path is None:
        return _bundled()
    with open(path, encoding="utf-8") as fh:
        return parse_guides(yaml.safe_load(fh))


@lru_cache(maxsize=1)
def _bundled() -> Guides:
    with open(DEFAULT_PATH, encoding="utf-8") as fh:
        return parse_guides(yaml.safe_load(fh))


_WORD = re.compile(r"[\w'’]+", re.UNICODE)


def judgement_words_in(text: str, form: FeedbackForm) -> tuple[str, ...]:
    """The judging words (as written) in ``text``, for a gentle hint in the descriptive form.

    Checks both languages' lists, because teachers mix them; the order is the order of
    first appearance, each word once.
    """
    words = frozenset().union(*form.judgement_words.values())
    found: list[str] = []
    seen: set[str] = set()
    for match in _WORD.finditer(text):
        token = match.group(0)
        low = token.lower().replace("’", "'")
        if low in words and low not in seen:
            seen.add(low)
            found.append(token)
    return tuple(found)

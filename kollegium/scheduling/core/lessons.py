"""Which imported events are lessons (pure: no Django).

The rules and keywords are data (``data/lesson_rules.yaml``, Swedish and English). The order:
the teacher's own correction of the series, the SS 12000 activity type, CATEGORIES, keywords in
the title; anything else is a lesson.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "lesson_rules.yaml"
LESSON = "lesson"
TEACHER = "teacher"
_WORD = re.compile(r"[\w'-]+", re.UNICODE)


@dataclass(frozen=True)
class Rule:
    key: str
    label_sv: str
    label_en: str
    keywords: tuple[tuple[str, ...], ...]  # each a sequence of word patterns


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    lesson_categories: frozenset[str]
    ss12000_lesson: frozenset[str]
    ss12000_not_lesson: frozenset[str]

    def label(self, key: str, language: str) -> str:
        for rule in self.rules:
            if rule.key == key:
                return rule.label_sv if language == "sv" else rule.label_en
        return ""


@dataclass(frozen=True)
class Verdict:
    is_lesson: bool
    reason: str  # "lesson", a rule key, "teacher", "ss12000", "category"


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.startswith("*") and pattern.endswith("*") and len(pattern) > 2:
        return pattern[1:-1] in word
    if pattern.startswith("*"):
        return word.endswith(pattern[1:])
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


def _phrase_in(phrase: tuple[str, ...], words: list[str]) -> bool:
    n = len(phrase)
    return any(
        all(_word_matches(p, w) for p, w in zip(phrase, words[i : i + n], strict=True))
        for i in range(len(words) - n + 1)
    )


def load_rules(path: Path = DATA) -> Rules:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    rules = tuple(
        Rule(
            key=item["key"],
            label_sv=item["label"]["sv"],
            label_en=item["label"]["en"],
            keywords=tuple(tuple(_words_keep_stars(k)) for k in item["keywords"]),
        )
        for item in data["rules"]
    )
    return Rules(
        rules=rules,
        lesson_categories=frozenset(c.casefold() for c in data["lesson_categories"]),
        ss12000_lesson=frozenset(c.casefold() for c in data["ss12000"]["lesson"]),
        ss12000_not_lesson=frozenset(c.casefold() for c in data["ss12000"]["not_lesson"]),
    )


def _words_keep_stars(keyword: str) -> list[str]:
    return [part for part in keyword.casefold().split() if part]


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    return load_rules()


def _rule_for(text: str, rules: Rules) -> str | None:
    words = _words(text)
    for rule in rules.rules:
        if any(_phrase_in(phrase, words) for phrase in rule.keywords):
            return rule.key
    return None


def classify(
    *,
    title: str,
    categories: Iterable[str] = (),
    activity_type: str = "",
    correction: bool | None = None,
    rules: Rules | None = None,
) -> Verdict:
    """Whether an event is a lesson, and why."""
    rules = rules or default_rules()
    if correction is not None:
        return Verdict(correction, TEACHER)
    activity = " ".join(activity_type.casefold().split())
    if activity in rules.ss12000_lesson:
        return Verdict(True, LESSON)
    if activity in rules.ss12000_not_lesson:
        return Verdict(False, _rule_for(title, rules) or "ss12000")
    cats = [c for c in categories if c.strip()]
    if any(" ".join(c.casefold().split()) in rules.lesson_categories for c in cats):
        return Verdict(True, LESSON)
    for category in cats:
        key = _rule_for(category, rules)
        if key is not None:
            return Verdict(False, key)
    key = _rule_for(title, rules)
    if key is not None:
        return Verdict(False, key)
    return Verdict(True, LESSON)

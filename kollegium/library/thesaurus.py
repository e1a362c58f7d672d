"""Words that mean the same, in Swedish and English (pure: no Django).

Two sources, both data: ``data/search/thesaurus.tsv`` (one set of equivalent words or
expressions a line: "studiero, arbetsro", "återkoppling, feedback") and the skill
taxonomy's Swedish and English names (``kollegium/competence/data/skills.yaml``:
"Formativ bedömning" = "Formative assessment"). Expressions are compared by their Swedish
stems without stop words, so "formativa bedömningar" meets "formativ bedömning".
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from kollegium.library import text

_TSV = Path(__file__).resolve().parent / "data" / "search" / "thesaurus.tsv"
_SKILLS = Path(__file__).resolve().parents[1] / "competence" / "data" / "skills.yaml"
#: At most this many words in one expression that is looked up.
MAX_WORDS = 4

Key = tuple[str, ...]


def key(tokens: list[str] | tuple[str, ...]) -> Key:
    """An expression's lookup key: the Swedish stems of its words that are no stop word in
    either language."""
    out = []
    for token in tokens:
        if any(token in text.stop_words(lang) for lang in text.LANGUAGES):
            continue
        out.append(text.word_info(token, "sv").stem or token)
    return tuple(out)


def _sets() -> list[list[str]]:
    sets = []
    for line in _TSV.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            sets.append([p.strip() for p in line.split("\t") if p.strip()])
    data = yaml.safe_load(_SKILLS.read_text("utf-8"))
    for area in data.get("areas", []):
        for entry in [area, *area.get("skills", [])]:
            name = entry.get("name") or {}
            if name.get("sv") and name.get("en") and name["sv"] != name["en"]:
                sets.append([name["sv"], name["en"]])
    return sets


@cache
def table() -> dict[Key, tuple[tuple[str, ...], ...]]:
    """Key → the equivalent expressions (as word tokens), itself left out."""
    out: dict[Key, dict[tuple[str, ...], None]] = {}
    for group in _sets():
        expressions = [tuple(text.tokens(e)) for e in group]
        for expression in expressions:
            k = key(expression)
            if not k or len(k) > MAX_WORDS:
                continue
            others = out.setdefault(k, {})
            for other in expressions:
                if key(other) != k and other:
                    others[other] = None
    return {k: tuple(v) for k, v in out.items() if v}


def equivalents(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The expressions that mean the same as ``tokens`` (word tokens), or ()."""
    return table().get(key(tokens), ())

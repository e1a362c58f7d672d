"""Parse what a person types into the search box into a safe full-text query (pure).

Whatever the input, the result is either *empty* (nothing searchable: only stop words,
only punctuation) or a query whose rendering is always valid syntax:

- ``to_fts5()`` for SQLite FTS5 ``MATCH`` (every term is a double-quoted string, so FTS5
  operators typed by the person, such as ``NEAR(``, ``*``, ``^``, ``:``, are never
  interpreted);
- ``to_tsquery()`` for PostgreSQL (``%s::tsquery``: quoted lexemes, so the lexemes are
  exactly the Python stems, the same ones FTS5 sees).

Supported syntax, deliberately small: words (all must match), ``"a phrase"``, and ``OR``
(upper case, as in web search engines) between two words or phrases. Every word also
matches longer words that start with its stem, which is what makes search-as-you-type
and Swedish compounds work ("läs" finds "läsförståelse").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kollegium.library import text

MAX_INPUT_LENGTH = 300
MAX_CLAUSES = 12
#: Stems shorter than this match exactly, longer ones also as a prefix.
MIN_PREFIX_LENGTH = 3

_PIECE_RE = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """One word: any of its stems (Swedish or English) may match."""

    stems: tuple[str, ...]

    def matches(self, stem: str) -> bool:
        return any(_stem_matches(s, stem) for s in self.stems)


@dataclass(frozen=True)
class Phrase:
    """Consecutive words; one variant per language: (stem, position in the phrase) pairs.

    Positions count the stop words left out, so PostgreSQL can ask for the same distance
    (``<2>``) its own index keeps. FTS5's shadow text has no stop words, so there the
    remaining stems simply follow each other.
    """

    variants: tuple[tuple[tuple[str, int], ...], ...]

    def matches(self, stem: str) -> bool:
        return any(stem == s for variant in self.variants for s, _ in variant)


Clause = Term | Phrase


@dataclass(frozen=True)
class Query:
    """All groups must match; within a group, any clause may match (``OR``)."""

    groups: tuple[tuple[Clause, ...], ...] = ()
    raw: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def to_fts5(self) -> str:
        return " AND ".join(_join([_fts5_clause(c) for c in g], " OR ") for g in self.groups)

    def to_tsquery(self, weights: str = "") -> str:
        """``weights`` ("AB") limits every lexeme to those weights (title and body)."""
        return " & ".join(_join([_ts_clause(c, weights) for c in g], " | ") for g in self.groups)

    def matches_stem(self, stem: str) -> bool:
        """Whether a document token with this stem is a hit (for highlighting)."""
        prefixes, exact = self.stem_sets()
        return stem in exact or stem.startswith(prefixes)

    @cache  # noqa: B019 - frozen and small; one entry per parsed query
    def stem_sets(self) -> tuple[tuple[str, ...], frozenset[str]]:
        """Stems matched as prefixes, and stems matched exactly."""
        prefixes: list[str] = []
        exact: set[str] = set()
        for group in self.groups:
            for clause in group:
                if isinstance(clause, Term):
                    for s in clause.stems:
                        (prefixes.append(s) if len(s) >= MIN_PREFIX_LENGTH else exact.add(s))
                else:
                    exact.update(s for variant in clause.variants for s, _ in variant)
        return tuple(prefixes), frozenset(exact)


EMPTY = Query()


def parse(raw: str) -> Query:
    """Parse a search string. Never raises for any string."""
    raw = (raw or "")[:MAX_INPUT_LENGTH]
    groups: list[list[Clause]] = []
    pending_or = False
    clauses = 0
    for match in _PIECE_RE.finditer(raw):
        quoted, bare = match.group(1), match.group(2)
        if bare is not None and bare in {"OR", "|"}:
            pending_or = bool(groups)
            continue
        if bare is not None and bare in {"AND", "&", "&&"}:
            continue
        built = _phrase(quoted) if quoted is not None else _words(bare or "")
        for clause in built:
            if clauses >= MAX_CLAUSES:
                break
            clauses += 1
            if pending_or and groups:
                groups[-1].append(clause)
            else:
                groups.append([clause])
            pending_or = False
    return Query(groups=tuple(tuple(g) for g in groups), raw=raw)


def _words(chunk: str) -> list[Clause]:
    out: list[Clause] = []
    for token in text.tokens(chunk):
        stems = _without_covered(text.query_stems(token))
        if stems:
            out.append(Term(stems))
    return out


def _phrase(chunk: str) -> list[Clause]:
    words = text.tokens(chunk)
    variants: list[tuple[tuple[str, int], ...]] = []
    for language in text.LANGUAGES:
        stops = text.stop_words(language)
        variant = tuple((text.stem(w, language), i) for i, w in enumerate(words) if w not in stops)
        if variant and variant not in variants:
            variants.append(variant)
    if not variants:
        return []
    if all(len(v) == 1 for v in variants):
        return [Term(tuple(dict.fromkeys(v[0][0] for v in variants)))]
    return [Phrase(tuple(variants))]


def _without_covered(stems: tuple[str, ...]) -> tuple[str, ...]:
    """Drop stems a shorter one already matches as a prefix ("bedömning" covers "bedömningar")."""
    return tuple(
        s
        for s in stems
        if not any(o != s and len(o) >= MIN_PREFIX_LENGTH and s.startswith(o) for o in stems)
    )


def _stem_matches(query_stem: str, stem: str) -> bool:
    if len(query_stem) >= MIN_PREFIX_LENGTH:
        return stem.startswith(query_stem)
    return stem == query_stem


def _join(parts: list[str], sep: str) -> str:
    return parts[0] if len(parts) == 1 else "(" + sep.join(parts) + ")"


def _fts5_term(stem: str) -> str:
    # Stems contain only letters and digits, so double quotes cannot be nested.
    star = "*" if len(stem) >= MIN_PREFIX_LENGTH else ""
    return f'"{stem}"{star}'


def _fts5_clause(clause: Clause) -> str:
    if isinstance(clause, Term):
        return _join([_fts5_term(s) for s in clause.stems], " OR ")
    return _join(['"' + " ".join(s for s, _ in v) + '"' for v in clause.variants], " OR ")


def _ts_lexeme(stem: str, prefix: bool, weights: str = "") -> str:
    star = "*" if prefix and len(stem) >= MIN_PREFIX_LENGTH else ""
    suffix = f":{star}{weights}" if (star or weights) else ""
    return "'" + stem.replace("'", "''") + "'" + suffix


def _ts_clause(clause: Clause, weights: str = "") -> str:
    if isinstance(clause, Term):
        return _join([_ts_lexeme(s, True, weights) for s in clause.stems], " | ")
    return _join([_ts_phrase(v, weights) for v in clause.variants], " | ")


def _ts_phrase(variant: tuple[tuple[str, int], ...], weights: str = "") -> str:
    out = _ts_lexeme(variant[0][0], False, weights)
    for (stem, pos), (_, prev) in zip(variant[1:], variant, strict=False):
        distance = pos - prev
        op = "<->" if distance == 1 else f"<{distance}>"
        out += f" {op} {_ts_lexeme(stem, False, weights)}"
    return "(" + out + ")" if len(variant) > 1 else out

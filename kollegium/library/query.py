"""Parse what a person types into the search box into a safe full-text query (pure).

Whatever the input, the result is either *empty* (nothing searchable: only stop words,
only punctuation) or a query whose renderings are always valid syntax:

- ``to_fts5()`` for SQLite FTS5 ``MATCH`` (every term is a double-quoted string, so FTS5
  operators typed by the person, such as ``NEAR(``, ``*``, ``^``, ``:``, are never
  interpreted);
- ``to_tsquery()`` for PostgreSQL (``%s::tsquery``: quoted lexemes, so the lexemes are
  exactly the Python stems, the same ones FTS5 sees).

Supported syntax, deliberately small: words (all must match), ``"a phrase"``, and ``OR``
(upper case, as in web search engines) between two words or phrases.

What a word matches (the same on both backends):
- its stems, exactly, in the title or the text: "bedömningar" finds "bedömning",
  "bedömningen" (Snowball stems; the word is stemmed as Swedish and as English);
- in titles also every longer word starting with one of its stems (of three letters or
  more): "bedömning" finds the title "Bedömningsstöd i svenska", "läs" finds
  "Läsförståelse", and a half-typed word finds titles while the person types. The index
  holds these title beginnings as tokens of their own (``text.title_prefix_tokens``), so
  this is an exact lookup, never a prefix scan over the whole index.

Each rendering comes in two scopes: *anywhere* (what must match) and *title* (used to rank
title matches first, see ``search.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kollegium.library import text

MAX_INPUT_LENGTH = 300
MAX_CLAUSES = 12
#: Stems shorter than this match exactly, longer ones also as the start of a title's stem.
MIN_PREFIX_LENGTH = text.MIN_PREFIX_LENGTH
#: The FTS5 columns (migration 0005): stemmed title, stemmed text, title beginnings, access.
FTS5_TEXT = "{title body}"
FTS5_TITLE = "{title}"

_PIECE_RE = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """One word: any of its stems (Swedish or English) may match."""

    stems: tuple[str, ...]

    def matches(self, stem: str, in_title: bool = False) -> bool:
        return any(_stem_matches(s, stem, in_title) for s in self.stems)


@dataclass(frozen=True)
class Phrase:
    """Consecutive words; one variant per language: (stem, position in the phrase) pairs.

    Positions count the stop words left out, so PostgreSQL can ask for the same distance
    (``<2>``) its own index keeps. FTS5's shadow text has no stop words, so there the
    remaining stems simply follow each other.
    """

    variants: tuple[tuple[tuple[str, int], ...], ...]

    def matches(self, stem: str, in_title: bool = False) -> bool:
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

    def to_fts5(self, *, title: bool = False, any_group: bool = False) -> str:
        """The FTS5 expression: every group (or, with ``any_group``, at least one) matches
        anywhere, or with ``title`` in the title."""
        clause = _fts5_title_clause if title else _fts5_clause
        sep = " OR " if any_group else " AND "
        return _join([_join([clause(c) for c in g], " OR ") for g in self.groups], sep)

    def to_tsquery(self, *, title: bool = False, any_group: bool = False) -> str:
        """The tsquery: with ``title`` for the title vector (where a stem of three letters or
        more also matches as a beginning), otherwise for the whole search vector."""
        clause = _ts_title_clause if title else _ts_clause
        sep = " | " if any_group else " & "
        return _join([_join([clause(c) for c in g], " | ") for g in self.groups], sep)

    def matches_stem(self, stem: str, in_title: bool = False) -> bool:
        """Whether a document token with this stem is a hit (for highlighting)."""
        prefixes, exact = self.stem_sets()
        if stem in exact:
            return True
        return stem in prefixes or (in_title and stem.startswith(prefixes))

    @cache  # noqa: B019 - frozen and small; one entry per parsed query
    def stem_sets(self) -> tuple[tuple[str, ...], frozenset[str]]:
        """Stems of words (exact anywhere, beginnings in titles), and stems of phrases."""
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
        stems = text.query_stems(token)
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


def _stem_matches(query_stem: str, stem: str, in_title: bool) -> bool:
    if in_title and len(query_stem) >= MIN_PREFIX_LENGTH:
        return stem.startswith(query_stem)
    return stem == query_stem


def _join(parts: list[str], sep: str) -> str:
    return parts[0] if len(parts) == 1 else "(" + sep.join(parts) + ")"


# Stems contain only letters and digits, so double quotes cannot be nested, and the title
# mark (``text.TITLE_MARK``) can only ever come from us.
def _fts5_clause(clause: Clause) -> str:
    if isinstance(clause, Term):
        exact = FTS5_TEXT + " : " + _join([f'"{s}"' for s in clause.stems], " OR ")
        return _join([exact] + [f'"{text.TITLE_MARK}{s}"' for s in clause.stems], " OR ")
    return _join([f'{FTS5_TEXT} : "{_phrase_text(v)}"' for v in clause.variants], " OR ")


def _fts5_title_clause(clause: Clause) -> str:
    if isinstance(clause, Term):
        return _join([f'"{text.TITLE_MARK}{s}"' for s in clause.stems], " OR ")
    return _join([f'{FTS5_TITLE} : "{_phrase_text(v)}"' for v in clause.variants], " OR ")


def _phrase_text(variant: tuple[tuple[str, int], ...]) -> str:
    return " ".join(s for s, _ in variant)


def _lexeme(stem: str, suffix: str = "") -> str:
    return "'" + stem.replace("'", "''") + "'" + suffix


def _ts_clause(clause: Clause) -> str:
    if isinstance(clause, Term):
        lexemes = [_lexeme(s) for s in clause.stems]
        lexemes += [_lexeme(text.TITLE_MARK + s) for s in clause.stems]
        return _join(lexemes, " | ")
    return _join([_ts_phrase(v) for v in clause.variants], " | ")


def _ts_title_clause(clause: Clause) -> str:
    if isinstance(clause, Term):
        return _join(
            [_lexeme(s, ":*" if len(s) >= MIN_PREFIX_LENGTH else "") for s in clause.stems],
            " | ",
        )
    return _join([_ts_phrase(v) for v in clause.variants], " | ")


def _ts_phrase(variant: tuple[tuple[str, int], ...]) -> str:
    out = _lexeme(variant[0][0])
    for (stem, pos), (_, prev) in zip(variant[1:], variant, strict=False):
        distance = pos - prev
        op = "<->" if distance == 1 else f"<{distance}>"
        out += f" {op} {_lexeme(stem)}"
    return "(" + out + ")" if len(variant) > 1 else out

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

What a word matches (the same on both backends, see ``text.index_text``):
- its stems, exactly, in the title or the text: "bedömningar" finds "bedömning",
  "bedömningen" (Snowball stems after ``lexicon.base_form``; stemmed as Swedish and as
  English, except in a language where it is a stop word);
- a compound part of a word in the title or the text: "bedömning" finds
  "kamratbedömning" (``lexicon.compound_parts``, split when the item is indexed);
- in titles also every longer word starting with one of its stems (of three letters or
  more): "läs" finds "Läskiga", and a half-typed word finds titles while the person types
  (title beginnings are tokens of their own: an exact lookup, never a prefix scan);
- its synonyms and translations from the thesaurus (``thesaurus.py``), as alternatives.

The stop words left out follow the query's guessed language (``guess_language``).
Renderings come per level (``EXACT``, ``STEM``, ``PART``, ``TITLE`` in the title, and
``ANYWHERE``), used to rank, see ``search.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from kollegium.library import text

MAX_INPUT_LENGTH = 300
MAX_CLAUSES = 12
#: Stems shorter than this match exactly, longer ones also as the start of a title's stem.
MIN_PREFIX_LENGTH = text.MIN_PREFIX_LENGTH
#: The FTS5 columns (migration 0006): title and text stems, their compound parts, the title's
#: exact words and beginnings, access tokens.
FTS5_TEXT = "{title body tpart bpart}"
FTS5_PHRASE = "{title body}"
FTS5_TITLE = "{title tpart}"

#: How well a clause must match for a relevance level (best first): the exact word in the
#: title (as typed, not a synonym), its stem in the title, a compound part of a title word,
#: a title word starting with it, anywhere.
EXACT, STEM, PART, TITLE, ANYWHERE = "exact", "stem", "part", "title", "anywhere"
TITLE_LEVELS = (EXACT, STEM, PART, TITLE)

_PIECE_RE = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """One word: any of its stems (Swedish or English) may match; ``words`` are the exact
    forms for the best level (what was typed, or a synonym or correction)."""

    stems: tuple[str, ...]
    words: tuple[str, ...] = ()
    #: Added from the thesaurus: never counts as the exact word.
    synonym: bool = False

    def matches(self, stem: str, in_title: bool = False) -> bool:
        return any(_stem_matches(s, stem, in_title) for s in self.stems)


@dataclass(frozen=True)
class Phrase:
    """Consecutive words (stop words left out, as in the index); one variant per language."""

    variants: tuple[tuple[tuple[str, int], ...], ...]

    def matches(self, stem: str, in_title: bool = False) -> bool:
        return any(stem == s for variant in self.variants for s, _ in variant)


@dataclass(frozen=True)
class All:
    """Several words that must all match (an expression with a synonym, see ``thesaurus``)."""

    terms: tuple[Term, ...]
    synonym: bool = False

    def matches(self, stem: str, in_title: bool = False) -> bool:
        return any(t.matches(stem, in_title) for t in self.terms)


Clause = Term | Phrase | All


@dataclass(frozen=True)
class Query:
    """All groups must match; within a group, any clause may match (``OR``)."""

    groups: tuple[tuple[Clause, ...], ...] = ()
    raw: str = ""
    #: The words left out as too common in the query's language ("och", "the").
    ignored: tuple[str, ...] = ()
    #: What was also searched for: (what was typed, what was added) for synonyms.
    synonyms: tuple[tuple[str, str], ...] = ()
    #: Spelling corrections from the vocabulary: (what was typed, the word searched for).
    corrections: tuple[tuple[str, str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def to_fts5(self, *, title: bool = False, any_group: bool = False, level: str = "") -> str:
        """The FTS5 expression: every group (or, with ``any_group``, at least one) matches
        anywhere, or at a title ``level`` (``title=True`` is the ``TITLE`` level)."""
        level = level or (TITLE if title else ANYWHERE)
        sep = " OR " if any_group else " AND "
        return _join(
            [_join([_fts5_clause(c, level) for c in _at(g, level)], " OR ") for g in self.groups],
            sep,
        )

    def to_tsquery(self, *, title: bool = False, any_group: bool = False, level: str = "") -> str:
        """The tsquery: ``ANYWHERE`` for the words vector, a title level for the title's."""
        level = level or (TITLE if title else ANYWHERE)
        sep = " | " if any_group else " & "
        return _join(
            [_join([_ts_clause(c, level) for c in _at(g, level)], " | ") for g in self.groups],
            sep,
        )

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
            for clause in _flat(group):
                if isinstance(clause, Term):
                    for s in clause.stems:
                        (prefixes.append(s) if len(s) >= MIN_PREFIX_LENGTH else exact.add(s))
                elif isinstance(clause, Phrase):
                    exact.update(s for variant in clause.variants for s, _ in variant)
        return tuple(prefixes), frozenset(exact)


EMPTY = Query()


def parse(raw: str) -> Query:
    """Parse a search string. Never raises for any string."""
    raw = (raw or "")[:MAX_INPUT_LENGTH]
    pieces = [(m.group(1), m.group(2)) for m in _PIECE_RE.finditer(raw)]
    language = guess_language(t for q, b in pieces for t in text.tokens(q if b is None else b))
    groups: list[list[Clause]] = []
    ignored: list[str] = []
    pending_or = False
    clauses = 0
    for quoted, bare in pieces:
        if bare is not None and bare in {"OR", "|"}:
            pending_or = bool(groups)
            continue
        if bare is not None and bare in {"AND", "&", "&&"}:
            continue
        built = (
            _phrase(quoted, language) if quoted is not None
            else _words(bare or "", language, ignored)
        )  # fmt: skip
        for clause in built:
            if clauses >= MAX_CLAUSES:
                break
            clauses += 1
            if pending_or and groups:
                groups[-1].append(clause)
            else:
                groups.append([clause])
            pending_or = False
    expanded, synonyms = with_synonyms(groups)
    return Query(
        groups=tuple(tuple(g) for g in expanded), raw=raw,
        ignored=tuple(dict.fromkeys(ignored)), synonyms=synonyms,
    )  # fmt: skip


#: At most this many expressions are added for one word or expression.
MAX_SYNONYMS = 6


def with_synonyms(
    groups: list[list[Clause]],
) -> tuple[list[list[Clause]], tuple[tuple[str, str], ...]]:
    """Words and expressions from the thesaurus, as alternatives within their group: the
    longest run of plain words (up to ``thesaurus.MAX_WORDS``) that the thesaurus knows."""
    from kollegium.library import thesaurus

    out: list[list[Clause]] = []
    notes: list[tuple[str, str]] = []
    i = 0
    while i < len(groups):
        for n in range(min(thesaurus.MAX_WORDS, len(groups) - i), 0, -1):
            chunk = groups[i : i + n]
            if not all(len(g) == 1 and isinstance(g[0], Term) and g[0].words for g in chunk):
                continue
            terms = [g[0] for g in chunk if isinstance(g[0], Term)]
            typed = tuple(t.words[0] for t in terms)
            found: list[tuple[tuple[str, ...], Clause]] = []
            for expression in thesaurus.equivalents(typed):
                clause = _expression(expression)
                if clause is not None and len(found) < MAX_SYNONYMS:
                    found.append((expression, clause))
            if not found:
                continue
            first: Clause = terms[0] if n == 1 else All(tuple(terms))
            out.append([first, *(c for _, c in found)])
            notes.append((" ".join(typed), ", ".join(" ".join(e) for e, _ in found)))
            i += n
            break
        else:
            out.append(groups[i])
            i += 1
    return out, tuple(notes)


def _expression(tokens: tuple[str, ...]) -> Clause | None:
    terms = []
    for token in tokens:
        if any(token in text.stop_words(lang) for lang in text.LANGUAGES):
            continue
        stems = text.query_stems(token, "sv") or text.query_stems(token, "en")
        if stems:
            terms.append(Term(stems, (token,), synonym=True))
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else All(tuple(terms), synonym=True)


def _at(group: tuple[Clause, ...], level: str) -> list[Clause]:
    """A group's clauses that count at a level: synonyms never as the exact word."""
    if level != EXACT:
        return list(group)
    return [c for c in group if not (isinstance(c, Term | All) and c.synonym)] or list(group)


def _flat(group: tuple[Clause, ...] | list[Clause]) -> list[Clause]:
    out: list[Clause] = []
    for clause in group:
        out.extend(clause.terms if isinstance(clause, All) else [clause])
    return out


def guess_language(tokens: Iterable[str]) -> str:
    """The query's language, for its stop words: English if it has two words or more and
    more English-only stop words than Swedish-only ones ("assessment in practice"),
    otherwise Swedish ("is" alone is ice)."""
    words = list(tokens)
    sv, en = text.stop_words("sv"), text.stop_words("en")
    en_only = sum(1 for w in words if w in en and w not in sv)
    sv_only = sum(1 for w in words if w in sv and w not in en)
    return "en" if en_only > sv_only and len(words) > 1 else "sv"


def _words(chunk: str, language: str, ignored: list[str]) -> list[Clause]:
    out: list[Clause] = []
    for token in text.tokens(chunk):
        stems = text.query_stems(token, language)
        if stems:
            out.append(Term(stems, (token,)))
        else:
            ignored.append(token)
    return out


def _phrase(chunk: str, language: str) -> list[Clause]:
    words = text.tokens(chunk)
    variants: list[tuple[tuple[str, int], ...]] = []
    for lang in text.LANGUAGES:
        table = text.word_table(lang)
        variant = tuple((table[w].stem, i) for i, w in enumerate(w for w in words if table[w].stem))
        if variant and variant not in variants:
            variants.append(variant)
    if not variants:
        return []
    if all(len(v) == 1 for v in variants):
        single = [w for w in words if w not in text.stop_words(language)][:1]
        return [Term(tuple(dict.fromkeys(v[0][0] for v in variants)), tuple(single))]
    return [Phrase(tuple(variants))]


def _stem_matches(query_stem: str, stem: str, in_title: bool) -> bool:
    if in_title and len(query_stem) >= MIN_PREFIX_LENGTH:
        return stem.startswith(query_stem)
    return stem == query_stem


def _join(parts: list[str], sep: str) -> str:
    return parts[0] if len(parts) == 1 else "(" + sep.join(parts) + ")"


# Stems contain only letters and digits, so double quotes cannot be nested, and the marks
# (``text.TITLE_MARK``, ``EXACT_MARK``, ``PART_MARK``) can only ever come from us.
def _fts5_clause(clause: Clause, level: str) -> str:
    if isinstance(clause, All):
        return _join([_fts5_clause(t, level) for t in clause.terms], " AND ")
    if isinstance(clause, Phrase):
        columns = FTS5_PHRASE if level == ANYWHERE else "title"
        return _join([f'{columns} : "{_phrase_text(v)}"' for v in clause.variants], " OR ")
    stems = _join([f'"{s}"' for s in clause.stems], " OR ")
    beginnings = [f'tpre : "{text.TITLE_MARK}{s}"' for s in clause.stems]
    if level == EXACT:
        words = clause.words or clause.stems
        return _join([f'tpre : "{text.EXACT_MARK}{w}"' for w in words], " OR ")
    if level == STEM:
        return f"title : {stems}"
    if level == PART:
        return f"{FTS5_TITLE} : {stems}"
    if level == TITLE:
        return _join([f"{FTS5_TITLE} : {stems}", *beginnings], " OR ")
    return _join([f"{FTS5_TEXT} : {stems}", *beginnings], " OR ")


def _phrase_text(variant: tuple[tuple[str, int], ...]) -> str:
    return " ".join(s for s, _ in variant)


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_clause(clause: Clause, level: str) -> str:
    if isinstance(clause, All):
        return _join([_ts_clause(t, level) for t in clause.terms], " & ")
    if isinstance(clause, Phrase):
        return _join([_ts_phrase(v) for v in clause.variants], " | ")
    if level == EXACT:
        return _join([_lexeme(text.EXACT_MARK + w) for w in clause.words or clause.stems], " | ")
    lexemes = [_lexeme(s) for s in clause.stems]
    if level != STEM:
        lexemes += [_lexeme(text.PART_MARK + s) for s in clause.stems]
    if level not in (STEM, PART):
        lexemes += [_lexeme(text.TITLE_MARK + s) for s in clause.stems]
    return _join(lexemes, " | ")


def _ts_phrase(variant: tuple[tuple[str, int], ...]) -> str:
    out = " <-> ".join(_lexeme(s) for s, _ in variant)
    return "(" + out + ")" if len(variant) > 1 else out

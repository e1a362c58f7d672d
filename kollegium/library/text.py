"""Search text normalisation, tokenisation and stemming (pure: no Django).

The same functions build the SQLite FTS5 shadow text and the query terms, so that a
document and a query always meet in the same form. They mirror what PostgreSQL's
``swedish`` / ``english`` text-search configurations do (Snowball stemmers and the
Snowball stop-word lists, shipped in ``data/stopwords``), which is what lets both
database backends return the same results for the same data.

Rules:
- NFC + casefold; å/ä/ö are kept (no accent stripping).
- A token is a run of Unicode letters and digits (``_`` and punctuation separate tokens),
  like FTS5's ``unicode61`` tokenizer and PostgreSQL's default parser.
- Stop words are dropped per language; every other token is Snowball-stemmed.
- Inflections: a query word matches its exact stems ("bedömningar" and "bedömningen" share
  the stem "bedömning").
- Compounds and type-ahead, in titles: a title's stems are also indexed by every beginning
  of three letters or more (``title_prefix_tokens``), so "bedömning" also finds the title
  "Bedömningsstöd i svenska" and "läs" finds "Läsförståelse" (see ``query.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

from kollegium.library import lexicon

LANGUAGES: tuple[str, ...] = ("sv", "en")
_SNOWBALL_NAMES = {"sv": "swedish", "en": "english"}
_DATA = Path(__file__).resolve().parent / "data" / "stopwords"
_TOKEN_RE = re.compile(r"[^\W_]+")

#: Longest token we index or query; longer runs are almost always garbage (hashes, URLs).
MAX_TOKEN_LENGTH = 60
#: Stems shorter than this match exactly, longer ones also as the start of a title's stem.
MIN_PREFIX_LENGTH = 3
#: Marks the title-prefix tokens in the index. Never part of a word token (``_TOKEN_RE``),
#: so no typed word can collide with one.
TITLE_MARK = "^"


def normalise(text: str) -> str:
    """Unicode NFC, case-folded, with å/ä/ö (and every other letter) kept as they are."""
    if text.isascii():
        return text.lower()  # the same result, much faster
    if not unicodedata.is_normalized("NFC", text):  # the quick check is cheap; most text is NFC
        text = unicodedata.normalize("NFC", text)
    folded = text.casefold()
    if unicodedata.is_normalized("NFC", folded):
        return folded
    return unicodedata.normalize("NFC", folded)


def tokens(text: str) -> list[str]:
    """Normalised word tokens: runs of letters and digits, in order."""
    return [t for t in _TOKEN_RE.findall(normalise(text)) if len(t) <= MAX_TOKEN_LENGTH]


@cache
def stop_words(language: str) -> frozenset[str]:
    """The Snowball stop-word list for a language (the one PostgreSQL uses)."""
    path = _DATA / f"{_check_language(language)}.txt"
    words = (normalise(line.strip()) for line in path.read_text("utf-8").splitlines())
    return frozenset(w for w in words if w)


@cache
def _stemmer(language: str):  # type: ignore[no-untyped-def]
    return snowballstemmer.stemmer(_SNOWBALL_NAMES[_check_language(language)])


@lru_cache(maxsize=200_000)
def stem(token: str, language: str) -> str:
    """Snowball stem of one already-normalised token."""
    return str(_stemmer(language).stemWord(token))


def is_stop_word(token: str, language: str) -> bool:
    return token in stop_words(language)


def stems(text: str, language: str) -> Iterator[str]:
    """Stems of the non-stop-word tokens of ``text``, in order."""
    stops = stop_words(language)
    for token in tokens(text):
        if token not in stops:
            yield stem(token, language)


def shadow_text(parts: Iterable[str], language: str) -> str:
    """The stemmed text of a document in ``language`` (as the index holds it)."""
    return fast_shadow_text(parts, language)


def query_stems(token: str, language: str = "sv") -> tuple[str, ...]:
    """The stems one query word may take: its Swedish and its English stem.

    A searcher's language is unknown, and a school's library mixes both, so a query word
    is looked for in both forms, except in a language where it is a stop word. A stop word
    of the query's ``language`` (``query.py`` guesses it: Swedish unless the query has
    English stop words) is not searched for at all: "och" alone lists nothing, while "is"
    (ice) is searched as Swedish. Empty in that case.
    """
    if token in stop_words(language):
        return ()
    out = [word_info(token, lang).stem for lang in LANGUAGES if token not in stop_words(lang)]
    return tuple(dict.fromkeys(s for s in out if s))


def _check_language(language: str) -> str:
    if language not in _SNOWBALL_NAMES:
        raise ValueError(f"unsupported language: {language!r}")
    return language


@dataclass(frozen=True)
class WordInfo:
    """What one token of a document in a language becomes in the index."""

    stem: str  # "" for a stop word
    parts: tuple[str, ...] = ()  # the stems of its compound parts (Swedish), if a compound


_STOP = WordInfo("")


def word_info(token: str, language: str) -> WordInfo:
    """A normalised token's stem (after ``lexicon.base_form`` for Swedish) and, for Swedish,
    its compound parts (``lexicon.compound_parts``). Stop words give an empty stem."""
    if token in stop_words(language):
        return _STOP
    if language != "sv":
        return WordInfo(stem(token, language))
    dic = swedish_dictionary()
    base = lexicon.base_form(token, dic)
    s = stem(base, "sv")
    return WordInfo(s, lexicon.compound_parts(s, dic, _sv_stem))


def _sv_stem(word: str) -> str:
    return stem(word, "sv")


def swedish_dictionary() -> lexicon.Dictionary:
    return lexicon.dictionary(_sv_stem)


class _WordTable(dict[str, WordInfo]):
    """token → ``WordInfo``, filled on first use; bounded."""

    MAX_SIZE = 500_000

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def __missing__(self, token: str) -> WordInfo:
        if len(self) >= self.MAX_SIZE:
            self.clear()
        value = word_info(token, self.language)
        self[token] = value
        return value


@cache
def word_table(language: str) -> _WordTable:
    return _WordTable(_check_language(language))


def fast_shadow_text(parts: Iterable[str], language: str) -> str:
    """The stems of ``parts`` (stop words left out), space-separated, in order."""
    table = word_table(language)
    return " ".join(w.stem for part in parts for w in map(table.__getitem__, tokens(part))
                    if w.stem)  # fmt: skip


#: Marks an exact title word in the index ("=bedömning"), for ranking the exact word first.
EXACT_MARK = "="
#: Marks a compound part in PostgreSQL's vectors (SQLite keeps parts in columns of their own).
PART_MARK = "+"


@dataclass
class IndexedText:
    """Everything the index holds for an item's words, the same for both databases.

    ``title``/``body``: stems in order (stop words left out: positions for phrases);
    ``title_parts``/``body_parts``: compound parts' stems; ``title_marks``: exact title words
    (``EXACT_MARK``) and title beginnings (``TITLE_MARK``); ``words``: stem → the shortest
    word seen with it (the vocabulary for "did you mean").
    """

    title: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    title_parts: list[str] = field(default_factory=list)
    body_parts: list[str] = field(default_factory=list)
    title_marks: list[str] = field(default_factory=list)
    words: dict[str, str] = field(default_factory=dict)


def index_text(title: str, body: str, language: str) -> IndexedText:
    """The index entries for an item's title and text in its language."""
    table = word_table(language)
    out = IndexedText()
    exact: dict[str, None] = {}
    tparts: dict[str, None] = {}
    bparts: dict[str, None] = {}
    for token in tokens(title):
        info = table[token]
        if info.stem:
            out.title.append(info.stem)
            exact[EXACT_MARK + token] = None
            tparts.update(dict.fromkeys(info.parts))
            _shortest(out.words, info.stem, token)
    for token in tokens(body):
        info = table[token]
        if info.stem:
            out.body.append(info.stem)
            bparts.update(dict.fromkeys(info.parts))
            _shortest(out.words, info.stem, token)
    out.title_parts = list(tparts)
    out.body_parts = list(bparts)
    out.title_marks = [*exact, *title_prefix_tokens(out.title)]
    return out


def _shortest(words: dict[str, str], stem: str, token: str) -> None:
    """Keep the shortest word seen with a stem (the first of equally long ones)."""
    held = words.get(stem)
    if held is None or len(token) < len(held):
        words[stem] = token


#: PostgreSQL keeps positions up to this number and this many positions per lexeme.
PG_MAX_POSITION = 16383
PG_MAX_POSITIONS = 256


def pg_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def pg_tsvector(positional: Iterable[tuple[str, int]], plain: Iterable[str]) -> str:
    """A tsvector literal (cast with ``::tsvector``): no parser, no dictionary and no
    lower-casing on the database's side, so the database's locale cannot change it."""
    positions: dict[str, list[int]] = {}
    for token, pos in positional:
        held = positions.setdefault(token, [])
        if len(held) < PG_MAX_POSITIONS and pos <= PG_MAX_POSITION:
            held.append(pos)
    for token in plain:
        positions.setdefault(token, [])
    return " ".join(
        pg_lexeme(t) + (":" + ",".join(map(str, p)) if p else "") for t, p in positions.items()
    )


def pg_vectors(indexed: IndexedText, acl: str, access_mark: str) -> tuple[str, str]:
    """PostgreSQL's two vectors: the title's (stems, parts, exact words, beginnings) and
    all words (title and text stems with positions, the text one apart from the title,
    parts, beginnings and access tokens)."""
    parts = [PART_MARK + p for p in indexed.title_parts]
    title = pg_tsvector(
        ((s, i) for i, s in enumerate(indexed.title, 1)), [*parts, *indexed.title_marks]
    )
    offset = len(indexed.title) + 2
    every_part = dict.fromkeys([*parts, *(PART_MARK + p for p in indexed.body_parts)])
    prefixes = [m for m in indexed.title_marks if m.startswith(TITLE_MARK)]
    words = pg_tsvector(
        [*((s, i) for i, s in enumerate(indexed.title, 1)),
         *((s, i) for i, s in enumerate(indexed.body, offset))],
        [*every_part, *prefixes, *(access_mark + t for t in acl.split())],
    )  # fmt: skip
    return title, words


def title_prefix_tokens(stems: Iterable[str]) -> list[str]:
    """The index tokens for a title's stems: each stem's beginnings of ``MIN_PREFIX_LENGTH``
    letters or more (the stem itself included), marked with ``TITLE_MARK``; a shorter stem
    only as itself. In first-seen order, without repeats.

    Looking up ``"^bedömning"`` then finds every title with a stem starting "bedömning"
    ("bedömningsstöd") as one exact index entry, with no prefix scan. PostgreSQL builds the
    same tokens in SQL (``library_title_prefixes``, migration 0005).
    """
    out: dict[str, None] = {}
    for s in stems:
        shortest = len(s) if len(s) < MIN_PREFIX_LENGTH else MIN_PREFIX_LENGTH
        for end in range(shortest, len(s) + 1):
            out[TITLE_MARK + s[:end]] = None
    return list(out)


def access_token(kind: str, value: object) -> str:
    """An index token for a fact about an item ("v" visibility/author/group, "t" type, ...).

    The value is hex-encoded, so any code or key becomes one letters-and-digits token that
    no stemmed word can collide with (the text columns are searched separately).
    """
    return "z" + kind + str(value).encode("utf-8").hex()

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
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

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
    """The stemmed text stored in the SQLite FTS5 index for a document in ``language``."""
    return fast_shadow_text(parts, language)


def query_stems(token: str) -> tuple[str, ...]:
    """The stems one query word may take: its Swedish and its English stem.

    A searcher's language is unknown, and a school's library mixes both, so a query word
    is looked for in both forms. A word that is a stop word in either language ("och",
    "the", "i") is not searched for: it would only match noise. Empty in that case.
    """
    if any(token in stop_words(language) for language in LANGUAGES):
        return ()
    return tuple(dict.fromkeys(stem(token, language) for language in LANGUAGES))


def _check_language(language: str) -> str:
    if language not in _SNOWBALL_NAMES:
        raise ValueError(f"unsupported language: {language!r}")
    return language


class _StemTable(dict[str, str]):
    """token → stem ("" for a stop word), filled on first use; bounded."""

    MAX_SIZE = 500_000

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.stops = stop_words(language)

    def __missing__(self, token: str) -> str:
        if len(self) >= self.MAX_SIZE:
            self.clear()
        value = "" if token in self.stops else stem(token, self.language)
        self[token] = value
        return value


@cache
def stem_table(language: str) -> _StemTable:
    return _StemTable(_check_language(language))


def fast_shadow_text(parts: Iterable[str], language: str) -> str:
    """Same result as ``shadow_text``, through a per-language lookup table (for bulk work)."""
    table = stem_table(language)
    return " ".join(s for part in parts for s in map(table.__getitem__, tokens(part)) if s)


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

"""Swedish word knowledge for search (pure: no Django): compounds, definite and past forms,
and folding of å/ä/ö.

The word list is Debian's Swedish hunspell dictionary (package ``hunspell-sv-se``, installed
by ``make setup``; path in ``KOLLEGIUM_HUNSPELL_SV``). Its compound flags say which words may
begin (``X``, middle ``U``, only-in-compound ``Z``) and end (``Y``) a compound. The same
Python code runs for both databases, so SQLite and PostgreSQL index the same parts.

- ``compound_parts(stem)``: the parts of a compound's stem ("kamratbedömning" →
  "kamrat", "bedömning"; "läsförståels" → "läs", "förståels"), indexed as extra tokens so
  "bedömning" finds "kamratbedömning" in any text.
- ``base_form(token)``: a small rule set (``data/search/forms.tsv`` for exceptions) for what
  Snowball leaves alone: definite forms of words ending in a vowel ("studieron" →
  "studiero", "idén" → "idé") and weak past tenses ("läste" → "läsa").
- ``fold(word)``: without diacritics ("läsförståelse" → "lasforstaelse"), the key for
  "did you mean" when å/ä/ö were left out.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HUNSPELL_SV = Path(os.environ.get("KOLLEGIUM_HUNSPELL_SV", "/usr/share/hunspell/sv_SE.dic"))
_DATA = Path(__file__).resolve().parent / "data" / "search"
_VOWELS = frozenset("aeiouyåäöé")
#: A compound's first part has at least this many letters, its last part at least that many.
MIN_HEAD = 3
MIN_TAIL = 4
#: How many parts one word may split into (recursively, from the end).
MAX_PARTS = 4


@dataclass(frozen=True)
class Dictionary:
    words: frozenset[str]  # every word of the dictionary, lower-case
    begins: frozenset[str]  # may begin a compound (flags X, U, Z, or any word of 3+ letters)
    ends: frozenset[str]  # Snowball stems of words that may end a compound (flag Y)


@cache
def dictionary(stem: Callable[[str], str] | None = None) -> Dictionary:
    """The hunspell word list, read once. ``stem`` is the Swedish stemmer (``text.py`` passes
    it, so this module needs no stemmer of its own)."""
    if not HUNSPELL_SV.exists():
        raise RuntimeError(
            f"The Swedish hunspell dictionary is missing ({HUNSPELL_SV}): install the Debian "
            "package hunspell-sv-se (make setup) or set KOLLEGIUM_HUNSPELL_SV."
        )
    words: set[str] = set()
    begins: set[str] = set()
    ends: set[str] = set()
    lines = HUNSPELL_SV.read_text("utf-8").splitlines()[1:]
    for line in lines:
        word, _, flags = line.partition("/")
        if not word.isalpha() or not word.islower():
            continue  # names, abbreviations, hyphenated words
        word = unicodedata.normalize("NFC", word)
        if "Z" not in flags:
            words.add(word)
        if len(word) >= MIN_HEAD:
            begins.add(word)
        if "Y" in flags and len(word) >= MIN_TAIL:
            ends.add(stem(word) if stem else word)
    return Dictionary(frozenset(words), frozenset(begins), frozenset(ends))


def compound_parts(token_stem: str, dic: Dictionary, stem: Callable[[str], str]) -> tuple[str, ...]:
    """The parts' stems of a compound's stem, first to last; () if it is no compound.

    The split with the shortest first part wins (a first part of ``MIN_HEAD`` letters or
    more that may begin a compound, an "s" between them allowed, a last part that may end
    one); the last part is split again the same way.
    """
    if len(token_stem) < MIN_HEAD + MIN_TAIL:
        return ()
    for i in range(MIN_HEAD, len(token_stem) - MIN_TAIL + 1):
        head, rest = token_stem[:i], token_stem[i:]
        if rest not in dic.ends:
            continue
        if head in dic.begins:
            first = head
        elif head.endswith("s") and head[:-1] in dic.begins:
            first = head[:-1]
        else:
            continue
        out = [stem(first), rest]
        more = compound_parts(rest, dic, stem)
        out.extend(more[: MAX_PARTS - 2])
        return tuple(dict.fromkeys(p for p in out if len(p) >= MIN_HEAD))
    return ()


@cache
def exceptions() -> dict[str, str]:
    """Word → base form, for what the rules get wrong (``data/search/forms.tsv``)."""
    out: dict[str, str] = {}
    for line in (_DATA / "forms.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, base = line.partition("\t")
            out[unicodedata.normalize("NFC", word.strip())] = unicodedata.normalize(
                "NFC", base.strip()
            )
    return out


def base_form(token: str, dic: Dictionary) -> str:
    """A Swedish word's base form where Snowball has none (the token if no rule applies)."""
    known = exceptions().get(token)
    if known is not None:
        return known
    if token in dic.words or len(token) < 4:
        return token
    # Definite singular of a word ending in a vowel: studiero-n, idé-n, kamratstöd-et is
    # Snowball's own.
    if token.endswith("n") and token[-2] in _VOWELS and token[:-1] in dic.words:
        return token[:-1]
    # Weak past tense: läs-te, hör-de → läsa, höra.
    if token.endswith(("te", "de")) and token[:-2] + "a" in dic.words:
        return token[:-2] + "a"
    return token


def fold(word: str) -> str:
    """The word without diacritics (å, ä → a; ö → o; é → e)."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))

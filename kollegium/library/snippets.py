"""Highlighted search snippets (pure).

Both backends use this one highlighter, fed with the plain text of the items on the page
of results, so a snippet marks exactly the words the index matched (same tokeniser, same
stemmer) and the output is always escaped: only our own ``<mark>`` tags are HTML.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from kollegium.library import text
from kollegium.library.query import Query

_TOKEN_RE = re.compile(r"[^\W_]+")
#: Only this much of a long text is looked at for the snippet.
MAX_SCANNED = 20_000
#: Roughly how many characters one word takes, to turn ``words`` into a width.
CHARS_PER_WORD = 7


def snippet(
    plain: str,
    language: str,
    query: Query,
    words: int = 28,
    verdicts: dict | None = None,
    *,
    in_title: bool = False,
) -> str:
    """About ``words`` words of ``plain`` around the densest hits, as safe HTML.

    ``in_title``: mark what a title matches (also longer words starting with a query stem),
    not only what a text matches (the exact stems); see ``query.py``. ``verdicts`` may be
    shared between the snippets of one page (word → hit, per language and kind).
    """
    plain = _spaced((plain or "")[:MAX_SCANNED])
    if not plain:
        return ""
    width = words * CHARS_PER_WORD
    hits = _hit_spans(plain, language, query, {} if verdicts is None else verdicts, in_title)
    start = _window_start(plain, hits, width)
    end = len(plain) if len(plain) - start <= width else _word_end(plain, start + width)
    out = ["… " if start > 0 else ""]
    cursor = start
    for s, e in hits:
        if s < start or e > end:
            continue
        out.append(html.escape(plain[cursor:s]) + "<mark>" + html.escape(plain[s:e]) + "</mark>")
        cursor = e
    out.append(html.escape(plain[cursor:end]))
    if end < len(plain):
        out.append(" …")
    return "".join(out)


def _spaced(plain: str) -> str:
    """``" ".join(plain.split())``, without splitting a text that is already spaced so (most
    are: splitting a 5,000-character text was most of a page's highlighting). Every
    whitespace character but the space is unprintable, so a printable text without double,
    leading or trailing spaces is left as it is."""
    if plain.isprintable() and "  " not in plain and plain[:1] != " " and plain[-1:] != " ":
        return plain
    return " ".join(plain.split())


def _hit_spans(
    plain: str, language: str, query: Query, verdicts: dict, in_title: bool
) -> list[tuple[int, int]]:
    """Character spans of the words whose stem the query matches.

    Snowball stems are the word minus a suffix (give or take its last letters), so only
    words starting like a query stem are candidates, found with plain substring search on
    the lower-cased text; each candidate is then stemmed and checked exactly. That keeps
    this fast on long texts.
    """
    if query.is_empty:
        return []
    starts = _candidate_starts(query)
    if not starts:
        return []
    table = text.word_table(language)
    spans = []
    for start, end in _candidates(plain, starts):
        word = plain[start:end]
        key = (language, word, in_title)
        verdict = verdicts.get(key)
        if verdict is None:
            info = table[text.normalise(word)]
            verdict = verdicts[key] = bool(info.stem) and (
                query.matches_stem(info.stem, in_title)
                or any(query.matches_stem(p) for p in info.parts)
            )
        if verdict:
            spans.append((start, end))
    return spans


def _candidates(plain: str, starts: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the words (runs of letters and digits) that begin with one of ``starts``."""
    lower = plain.lower()
    if len(lower) != len(plain):  # a rare letter whose lower case is longer: the slow way
        pattern = "|".join(re.escape(s) for s in starts)
        return [m.span() for m in re.finditer(rf"(?<![^\W_])(?:{pattern})[^\W_]*", plain, re.I)]
    found = set()
    for s in starts:
        at = lower.find(s)
        while at >= 0:
            if at == 0 or not lower[at - 1].isalnum():
                found.add(at)
            at = lower.find(s, at + 1)
    return [_TOKEN_RE.match(plain, at).span() for at in sorted(found)]  # type: ignore[union-attr]


@lru_cache(maxsize=256)
def _candidate_starts(query: Query) -> tuple[str, ...]:
    prefixes, exact = query.stem_sets()
    starts = {s[: max(3, len(s) - 2)] for s in prefixes} | {s[: max(1, len(s) - 2)] for s in exact}
    return tuple(sorted(starts))


def _window_start(plain: str, hits: list[tuple[int, int]], width: int) -> int:
    if not hits or len(plain) <= width:
        return 0
    best, best_first, right = 0, 0, 0
    for left in range(len(hits)):
        while right < len(hits) and hits[right][1] - hits[left][0] <= width:
            right += 1
        if right - left > best:
            best, best_first = right - left, left
    begin = max(0, hits[best_first][0] - width // 6)
    if begin == 0:
        return 0
    space = plain.find(" ", begin)
    return space + 1 if 0 <= space < hits[best_first][0] else hits[best_first][0]


def _word_end(plain: str, position: int) -> int:
    space = plain.rfind(" ", 0, position)
    return space if space > 0 else position

"""Highlighted search snippets (pure).

Both backends use this one highlighter, fed with the plain text of the items on the page
of results, so a snippet marks exactly the words the index matched (same tokeniser, same
stemmer) and the output is always escaped: only our own ``<mark>`` tags are HTML.
"""

from __future__ import annotations

import html
import re

from kollegium.library import text
from kollegium.library.query import Query

_TOKEN_RE = re.compile(r"[^\W_]+")


def snippet(plain: str, language: str, query: Query, words: int = 28) -> str:
    """A window of about ``words`` words around the densest hits, as safe HTML."""
    plain = plain or ""
    spans = [(m.start(), m.end(), m.group(0)) for m in _TOKEN_RE.finditer(plain)]
    if not spans:
        return ""
    stops = text.stop_words(language)
    hits = [False] * len(spans)
    if not query.is_empty:
        for i, (_, _, word) in enumerate(spans):
            token = text.normalise(word)
            if token not in stops and query.matches_stem(text.stem(token, language)):
                hits[i] = True
    start = _best_window(hits, words)
    end = min(len(spans), start + words)
    begin_char = spans[start][0] if start > 0 else 0
    end_char = spans[end - 1][1] if end < len(spans) else len(plain)
    out: list[str] = ["… " if start > 0 else ""]
    cursor = begin_char
    for i in range(start, end):
        s, e, _ = spans[i]
        if hits[i]:
            out.append(html.escape(plain[cursor:s]))
            out.append("<mark>" + html.escape(plain[s:e]) + "</mark>")
            cursor = e
    out.append(html.escape(plain[cursor:end_char]))
    if end < len(spans):
        out.append(" …")
    return " ".join("".join(out).split())


def _best_window(hits: list[bool], size: int) -> int:
    if not any(hits) or len(hits) <= size:
        return 0
    best, best_start = -1, 0
    count = sum(hits[:size])
    for start in range(len(hits) - size + 1):
        if start:
            count += hits[start + size - 1] - hits[start - 1]
        if count > best:
            best, best_start = count, start
    # Start a little before the first hit so it has some context.
    first = next(i for i in range(best_start, best_start + size) if hits[i])
    return max(0, min(best_start, first - 3))

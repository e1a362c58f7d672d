"""The library's search rules applied to a few texts in Python (pure): for the one search box's
other kinds (answered questions, method guides, groups, skills), which are too few per person
to need a full-text index of their own, but must understand Swedish teachers the same way
(stems, base forms, compounds, synonyms and the other language, stop words, see ``query.py``).

``TextMatch(raw).rank(title, body, language)`` is the relevance level of a text, best first
(the same levels as the index: the exact word in the title, its stem, a compound part, a title
word starting with it, several words some in the title, anywhere), or None when the text does
not match. ``highlight`` marks the hits in a text as safe HTML. ``needles`` are lower-case
pieces of which every matching text holds one per word group, for a database to narrow the
candidates with a plain substring filter before Python decides.
"""

from __future__ import annotations

from functools import cached_property

from kollegium.library import query as q
from kollegium.library import snippets, text

#: The levels a text can match at, best first (``rank`` returns an index into this).
LEVELS = (*q.TITLE_LEVELS, "some", q.ANYWHERE)


class _Doc:
    """The index entries of one text (``text.index_text``) as sets, for matching."""

    def __init__(self, title: str, body: str, language: str) -> None:
        indexed = text.index_text(title, body, language)
        self.title = indexed.title
        self.body = indexed.body
        self.title_set = frozenset(indexed.title)
        self.body_set = frozenset(indexed.body)
        self.title_parts = frozenset(indexed.title_parts)
        self.body_parts = frozenset(indexed.body_parts)
        self.marks = frozenset(indexed.title_marks)


def _has_run(stems: list[str], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(tuple(stems[i : i + n]) == run for i in range(len(stems) - n + 1))


def _clause(clause: q.Clause, doc: _Doc, level: str) -> bool:
    if isinstance(clause, q.All):
        return all(_clause(t, doc, level) for t in clause.terms)
    if isinstance(clause, q.Phrase):
        runs = [tuple(s for s, _ in variant) for variant in clause.variants]
        where = [doc.title] if level != q.ANYWHERE else [doc.title, doc.body]
        return any(_has_run(stems, run) for stems in where for run in runs)
    stems = clause.stems
    if level == q.EXACT:
        return any(text.EXACT_MARK + w in doc.marks for w in clause.words or stems)
    if level == q.STEM:
        return any(s in doc.title_set for s in stems)
    if level == q.PART:
        return any(s in doc.title_set or s in doc.title_parts for s in stems)
    beginning = any(text.TITLE_MARK + s in doc.marks for s in stems)
    if level == q.TITLE:
        return beginning or any(s in doc.title_set or s in doc.title_parts for s in stems)
    return beginning or any(
        s in doc.title_set or s in doc.body_set or s in doc.title_parts or s in doc.body_parts
        for s in stems
    )


def _group(group: tuple[q.Clause, ...], doc: _Doc, level: str) -> bool:
    return any(_clause(c, doc, level) for c in q._at(group, level))


class TextMatch:
    """What was typed, parsed once, matched against any number of short texts."""

    def __init__(self, raw: str) -> None:
        self.query = q.parse(raw)
        self._verdicts: dict = {}

    @property
    def is_empty(self) -> bool:
        return self.query.is_empty

    def rank(self, title: str, body: str = "", language: str = "sv") -> int | None:
        """The level (0 best) at which ``title`` and ``body`` match, or None."""
        if self.query.is_empty:
            return None
        doc = _Doc(title, body, language if language in text.LANGUAGES else "sv")
        groups = self.query.groups
        if not all(_group(g, doc, q.ANYWHERE) for g in groups):
            return None
        for i, level in enumerate(q.TITLE_LEVELS):
            if all(_group(g, doc, level) for g in groups):
                return i
        if len(groups) > 1 and any(_group(g, doc, q.TITLE) for g in groups):
            return len(q.TITLE_LEVELS)
        return len(q.TITLE_LEVELS) + 1

    def highlight(self, plain: str, language: str = "sv", *, in_title: bool = False) -> str:
        """``plain`` as safe HTML with ``<mark>`` around the hits (a title: whole)."""
        if in_title:
            return snippets.snippet(plain, language, self.query, words=1000, in_title=True,
                                    verdicts=self._verdicts)  # fmt: skip
        return snippets.snippet(plain, language, self.query, verdicts=self._verdicts)

    @cached_property
    def needles(self) -> tuple[tuple[str, ...], ...]:
        """Per word group, the lower-case beginnings of which a matching text holds one
        (the start of a stem, which a word or compound with that stem contains)."""
        out = []
        for group in self.query.groups:
            starts: set[str] = set()
            for clause in q._flat(group):
                if isinstance(clause, q.Phrase):
                    stems = [v[0][0] for v in clause.variants if v]
                elif isinstance(clause, q.Term):
                    stems = list(clause.stems)
                else:  # _flat leaves no All
                    continue
                starts |= {s[: max(3, len(s) - 2)] if len(s) > 3 else s for s in stems}
            out.append(tuple(sorted(starts)))
        return tuple(out)

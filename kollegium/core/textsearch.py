"""Text matching for the one search box's kinds, whichever app they live in.

The library owns the text pipeline (Swedish stems, base forms, compounds, synonyms, stop
words); it registers a matcher here from its hooks.py, so apps below it (groups, competence)
match what a person typed the same way without importing it. The kinds with few rows per
person (answered questions, guides, groups, skills) narrow their rows in the database with
``narrowed`` (plain substring filters, the same on both databases) and decide in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet


class TextMatcher(Protocol):
    @property
    def is_empty(self) -> bool: ...

    @property
    def needles(self) -> tuple[tuple[str, ...], ...]: ...

    def rank(self, title: str, body: str = "", language: str = "sv") -> int | None: ...

    def highlight(self, plain: str, language: str = "sv", *, in_title: bool = False) -> str: ...


_factories: list[Callable[[str], TextMatcher]] = []


def register_text_matcher(factory: Callable[[str], TextMatcher]) -> None:
    if factory not in _factories:
        _factories.append(factory)


def text_matcher(raw: str) -> TextMatcher:
    """What was typed, ready to match texts (``rank``) and mark the hits (``highlight``)."""
    if not _factories:
        raise ImproperlyConfigured("No text matcher registered (the library's hooks.py).")
    return _factories[0](raw)


def _variants(needle: str) -> set[str]:
    # SQLite's LIKE folds ASCII letters only, PostgreSQL's UPPER follows the locale: the
    # capitalised and upper-case forms catch "Återkoppling" on both.
    return {needle, needle[:1].upper() + needle[1:], needle.upper()}


def needles_q(matcher: TextMatcher, fields: Sequence[str]) -> Q:
    """Rows holding, for every word group, one of its beginnings in one of ``fields``."""
    out = Q()
    for group in matcher.needles:
        any_of = Q()
        for needle in group:
            for variant in _variants(needle):
                for name in fields:
                    any_of |= Q(**{f"{name}__icontains": variant})
        out &= any_of
    return out


def narrowed(queryset: QuerySet, matcher: TextMatcher, fields: Sequence[str]) -> QuerySet:
    """``queryset`` without the rows that cannot match (nothing when nothing can)."""
    if matcher.is_empty or not matcher.needles:
        return queryset.none()
    return queryset.filter(needles_q(matcher, fields))

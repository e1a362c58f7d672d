"""Who-may-see and filter facts as index tokens (pure).

Each item's index row carries tokens for the facts that decide who may see it and which
filters it passes (its visibility with its school or group, its authors, type, language,
subjects, stages, skills). A search adds the searcher's side (their schools, network
schools, groups and id) to the same full-text query, so the database applies the
visibility rule and the filters inside the one index lookup: no per-row join, and counts
stay cheap at hundreds of thousands of items.

This states the rule of ``permissions.visible_items_q`` a third time; the visibility
tests check all three against each other for every persona and level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kollegium.library.text import access_token


@dataclass(frozen=True)
class ItemFacts:
    visibility: str
    school_id: int
    group_id: int | None
    author_ids: tuple[int, ...]
    item_type: str
    language: str
    subject_codes: tuple[str, ...] = ()
    stage_codes: tuple[str, ...] = ()
    skill_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Searcher:
    user_id: int
    school_ids: tuple[int, ...]
    network_school_ids: tuple[int, ...]
    group_ids: tuple[int, ...]


@dataclass(frozen=True)
class FilterFacts:
    item_type: str = ""
    language: str = ""
    subject: str = ""
    stage: str = ""
    skill: str = ""
    #: Leave out items of this type (the search box shows proven practice as its own kind).
    exclude_type: str = ""


def item_tokens(facts: ItemFacts) -> str:
    tokens = [access_token("a", a) for a in facts.author_ids]
    if facts.visibility == "installation":
        tokens.append(access_token("i", "all"))
    elif facts.visibility == "school":
        tokens.append(access_token("s", facts.school_id))
    elif facts.visibility == "network":
        tokens.append(access_token("n", facts.school_id))
    elif facts.visibility == "group" and facts.group_id is not None:
        tokens.append(access_token("g", facts.group_id))
    tokens.append(access_token("t", facts.item_type))
    tokens.append(access_token("l", facts.language))
    tokens.extend(access_token("u", c) for c in facts.subject_codes)
    tokens.extend(access_token("e", c) for c in facts.stage_codes)
    tokens.extend(access_token("k", k) for k in facts.skill_keys)
    return " ".join(tokens)


def searcher_tokens(searcher: Searcher) -> list[str]:
    """Any one of these tokens on an item means the searcher may see it."""
    tokens = [access_token("i", "all"), access_token("a", searcher.user_id)]
    tokens += [access_token("s", s) for s in sorted(searcher.school_ids)]
    tokens += [access_token("n", s) for s in sorted(searcher.network_school_ids)]
    tokens += [access_token("g", g) for g in sorted(searcher.group_ids)]
    return tokens


def may_see(searcher: Searcher, facts: ItemFacts) -> bool:
    """Whether the searcher may see an item with these facts: the index's own rule (one of
    the item's access tokens is one of the searcher's), checked again on the page's rows."""
    return not _token_set(searcher).isdisjoint(item_tokens(facts).split())


@lru_cache(maxsize=256)
def _token_set(searcher: Searcher) -> frozenset[str]:
    return frozenset(searcher_tokens(searcher))


def filter_tokens(filters: FilterFacts) -> list[str]:
    """All of these tokens must be on an item."""
    pairs: Iterable[tuple[str, str]] = (
        ("t", filters.item_type), ("l", filters.language), ("u", filters.subject),
        ("e", filters.stage), ("k", filters.skill),
    )  # fmt: skip
    return [access_token(kind, value) for kind, value in pairs if value]


def fts5_access_clause(searcher: Searcher, filters: FilterFacts) -> str:
    """The FTS5 expression on the ``acl`` column (tokens are letters and digits only)."""
    anyof = " OR ".join(f'"{t}"' for t in searcher_tokens(searcher))
    parts = [f"acl : ({anyof})"] + [f'acl : "{t}"' for t in filter_tokens(filters)]
    if not filters.exclude_type:
        return " AND ".join(parts)
    return f'({" AND ".join(parts)}) NOT acl : "{access_token("t", filters.exclude_type)}"'


#: Marks access tokens in PostgreSQL's search vector, which also holds the words: no word
#: token can contain it, so no typed word can ever match an access token.
PG_MARK = "_"


def tsquery_access_clause(searcher: Searcher, filters: FilterFacts) -> str:
    """The tsquery for the access tokens (``PG_MARK`` + token in PostgreSQL's search
    vector; migration 0005 puts them there from ``Item.search_acl``)."""
    anyof = " | ".join(f"'{PG_MARK}{t}'" for t in searcher_tokens(searcher))
    parts = [f"({anyof})"] + [f"'{PG_MARK}{t}'" for t in filter_tokens(filters)]
    if filters.exclude_type:
        parts.append(f"!'{PG_MARK}{access_token('t', filters.exclude_type)}'")
    return " & ".join(parts)

"""Full-text search: one interface, two backends, the same results.

What a search returns: the items the searcher may see that match every word (a word matches
its exact stems anywhere, and in titles also as the beginning of a longer word, see
``query.py``), ranked by relevance, then newest first. Relevance is where the words are:

1. every word in the title,
2. some of the words in the title,
3. the words only in the text.

Within each level the newest come first (by item id: the order they were created). This is
deliberately simple and identical on both backends, and it needs no score for every match:
the engine never reads all matching documents to rank them, which is what made bm25 and
``ts_rank`` slow for common words (see docs/notes/issue-5.md).

- SQLite: an FTS5 table ``library_itemsearch(title, body, tpre, acl)`` (migration 0005)
  holding the Snowball-stemmed *shadow* text of each item's title and text (``text.py``),
  the title beginnings (``tpre``) and the access tokens (``acl``, ``access.py``). Each level
  is one FTS5 query in index order (newest first), so a page stops after its 20 rows; the
  count is one more query. ``index_item`` rewrites an item's row in the transaction that
  changed it; a delete trigger removes it.
- PostgreSQL: a narrow table ``library_itemsearch(item_id, title, words)`` kept by triggers
  on ``library_item`` (migration 0005): ``words`` (GIN) holds title and text lexemes
  (``swedish``/``english`` by the item's language), the title beginnings and the access
  tokens, so one exact GIN match gives exactly the visible matches; one query then orders
  them by level (``title`` is in the row) and id, and counts them in the same pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from kollegium.library import access, snippets, text
from kollegium.library.permissions import group_ids_for_user
from kollegium.library.query import Query
from kollegium.organisations.actor import Actor
from kollegium.organisations.selectors import network_school_ids_for_user, school_ids_for_user

FTS_TABLE = "library_itemsearch"
ITEM_TABLE = "library_item"
# Fixed SQL (no user input is ever formatted into it; the query is always a parameter).
_DELETE_ROW = "DELETE FROM library_itemsearch WHERE rowid = %s"
_DELETE_ALL = "DELETE FROM library_itemsearch"
_INSERT_ROW = (
    "INSERT INTO library_itemsearch(rowid, title, body, tpre, acl) VALUES (%s, %s, %s, %s, %s)"
)


def vendor() -> str:
    return connection.vendor


def searcher_for(user: Actor) -> access.Searcher | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return access.Searcher(
        user_id=user.pk,
        school_ids=tuple(school_ids_for_user(user)),
        network_school_ids=tuple(network_school_ids_for_user(user)),
        group_ids=tuple(group_ids_for_user(user)),
    )


_FTS_COUNT = "SELECT count(*) FROM library_itemsearch WHERE library_itemsearch MATCH %s"
#: Browsing (no words) counts only this far: "more than 1,000 items" instead of counting
#: everything a person may see on every visit to the library.
BROWSE_COUNT_LIMIT = 1000
_FTS_COUNT_UP_TO = (
    "SELECT count(*) FROM (SELECT 1 FROM library_itemsearch WHERE library_itemsearch MATCH %s"
    " LIMIT %s)"
)
#: One relevance level, newest first, in FTS5's own index order (no sorting, stops early).
_FTS_LEVEL = (
    "SELECT * FROM (SELECT rowid FROM library_itemsearch WHERE library_itemsearch MATCH %s"
    " ORDER BY rowid DESC LIMIT %s)"
)
_PG_COUNT = "SELECT count(*) FROM library_itemsearch WHERE words @@ %s::tsquery"
#: The matches the searcher may see (one exact GIN match), by level, then newest, counted in
#: the same pass. The level comes from the title vector in the row.
_PG_PAGE = (
    "SELECT item_id, count(*) OVER () FROM library_itemsearch WHERE words @@ %s::tsquery"
    " ORDER BY title @@ %s::tsquery DESC, title @@ %s::tsquery DESC, item_id DESC"
    " LIMIT %s OFFSET %s"
)


def text_search(
    *, searcher: access.Searcher, parsed: Query, filters: access.FilterFacts, limit: int,
    offset: int,
) -> tuple[list[int], int]:  # fmt: skip
    """Ids of one page of matching items the searcher may see, best first, and the total.

    Words, visibility and filters are one full-text expression, answered by the index. On
    SQLite, without words (browsing), the newest items the searcher may see, from the index
    too (PostgreSQL browses with plain indexes, see ``selectors``).
    """
    with connection.cursor() as cursor:
        if vendor() == "postgresql":
            allowed = access.tsquery_access_clause(searcher, filters)
            return pg_page(cursor, parsed, allowed, limit=limit, offset=offset)
        allowed = access.fts5_access_clause(searcher, filters)
        return fts5_page(cursor, parsed, allowed, limit=limit, offset=offset)


def fts5_expressions(parsed: Query, allowed: str = "") -> tuple[str, list[str]]:
    """The FTS5 ``MATCH`` expressions: every match, and each relevance level (best first).

    ``allowed`` is the access clause (``access.fts5_access_clause``); empty only for the
    benchmark's bare baseline. Without words, one level: everything the searcher may see.
    """
    if parsed.is_empty:
        return allowed, [allowed]
    also = f" AND {allowed}" if allowed else ""
    words = parsed.to_fts5()
    all_in_title = parsed.to_fts5(title=True)
    any_in_title = parsed.to_fts5(title=True, any_group=True)
    levels = [f"{all_in_title}{also}"]
    if len(parsed.groups) > 1:
        levels.append(f"({words} AND {any_in_title}{also}) NOT {all_in_title}")
    levels.append(f"({words}{also}) NOT {any_in_title}")
    return f"{words}{also}", levels


def fts5_page(
    cursor: Any, parsed: Query, allowed: str, *, limit: int, offset: int
) -> tuple[list[int], int]:
    """SQLite: the page from the levels in turn (each in index order, so it stops as soon as
    it has its rows), then the count. A first page that is not full is the whole result, so
    it is its own count (small results, such as filtered searches, are read only once)."""
    every, levels = fts5_expressions(parsed, allowed)
    ids = _fts5_levels(cursor, levels, limit=limit, offset=offset)
    if offset == 0 and len(ids) < limit:
        return ids, len(ids)
    if parsed.is_empty:
        cursor.execute(_FTS_COUNT_UP_TO, [every, BROWSE_COUNT_LIMIT + 1])
    else:
        cursor.execute(_FTS_COUNT, [every])
    total = cursor.fetchone()[0]
    if not ids:  # past the end: show the last page
        last = _last_offset(offset, min(total, BROWSE_COUNT_LIMIT) if parsed.is_empty else total,
                            limit)  # fmt: skip
        ids = _fts5_levels(cursor, levels, limit=limit, offset=last) if last != offset else []
    return ids, total


def _fts5_levels(cursor: Any, levels: list[str], *, limit: int, offset: int) -> list[int]:
    params: list[str | int] = []
    for level in levels:
        params += [level, offset + limit]
    sql = " UNION ALL ".join([_FTS_LEVEL] * len(levels)) + " LIMIT %s OFFSET %s"
    cursor.execute(sql, [*params, limit, offset])
    return [row[0] for row in cursor.fetchall()]


def pg_page(
    cursor: Any, parsed: Query, allowed: str, *, limit: int, offset: int
) -> tuple[list[int], int]:
    """PostgreSQL: one query gives the page and the count (``allowed`` is the access
    tsquery; empty only for the benchmark's bare baseline)."""
    tsquery = f"{parsed.to_tsquery()} & {allowed}" if allowed else parsed.to_tsquery()
    params = [tsquery, parsed.to_tsquery(title=True),
              parsed.to_tsquery(title=True, any_group=True)]  # fmt: skip
    cursor.execute(_PG_PAGE, [*params, limit, offset])
    rows = cursor.fetchall()
    if not rows and offset > 0:  # past the end: show the last page
        cursor.execute(_PG_COUNT, [tsquery])
        offset = _last_offset(offset, cursor.fetchone()[0], limit)
        cursor.execute(_PG_PAGE, [*params, limit, offset])
        rows = cursor.fetchall()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


def _last_offset(offset: int, total: int, limit: int) -> int:
    """A page past the end shows the last page."""
    return max(0, min(offset, (max(total, 1) - 1) // limit * limit))


def item_facts(item: Any) -> access.ItemFacts:
    return access.ItemFacts(
        visibility=item.visibility, school_id=item.school_id, group_id=item.group_id,
        author_ids=tuple(item.authors.values_list("pk", flat=True)), item_type=item.item_type,
        language=item.language,
        subject_codes=tuple(item.subjects.values_list("code", flat=True)),
        stage_codes=tuple(item.stages.values_list("code", flat=True)),
        skill_keys=tuple(item.skill_tags.values_list("key", flat=True)),
    )  # fmt: skip


def shadow_row(title: str, body_text: str, language: str) -> tuple[str, str, str]:
    """The FTS5 columns for an item's words: stemmed title, stemmed text, title beginnings."""
    title_stems = text.fast_shadow_text([title], language)
    return (
        title_stems,
        text.fast_shadow_text([body_text], language),
        " ".join(text.title_prefix_tokens(title_stems.split())),
    )


def index_item(item: Any) -> None:
    """Bring an item's index entry up to date: access tokens on the row (both backends; on
    PostgreSQL the triggers of migration 0005 follow), and the FTS5 row on SQLite.

    Called from ``post_save`` and again by the services after tags and authors are set,
    always inside the transaction that changed the item.
    """
    from kollegium.library.models import Item

    acl = access.item_tokens(item_facts(item)) if item.pk else ""
    if acl != item.search_acl:
        Item.objects.filter(pk=item.pk).update(search_acl=acl)
        item.search_acl = acl
    if vendor() != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(_DELETE_ROW, [item.pk])
        cursor.execute(_INSERT_ROW, [item.pk, *shadow_row(item.title, item.body_text,
                                                          item.language), acl])  # fmt: skip


_PG_REBUILD = [
    "DELETE FROM library_itemsearch",
    """INSERT INTO library_itemsearch (item_id, title, words)
        SELECT i.id, t.v, library_search_words(t.v, c.config, i.body_text, i.search_acl)
        FROM library_item i
        CROSS JOIN LATERAL (SELECT library_search_config(i.language) AS config) c
        CROSS JOIN LATERAL (SELECT to_tsvector(c.config, coalesce(i.title, '')) AS v) t""",
]


def rebuild_index(batch: int = 2000) -> int:
    """Rebuild the search index from the items, in one transaction; returns the rows written.

    For operators: after a bulk load that bypassed the services, or after an upgrade of the
    Snowball stemmer (SQLite's index holds Python-stemmed text) or of PostgreSQL's
    dictionaries. ``manage.py library_reindex``.
    """
    from django.db import transaction

    from kollegium.library.models import Item

    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if vendor() == "postgresql":
            for sql in _PG_REBUILD:
                cursor.execute(sql)
            return cursor.rowcount
        cursor.execute(_DELETE_ALL)
        rows = Item.objects.order_by("pk").values_list(
            "pk", "title", "body_text", "language", "search_acl"
        )
        buffer: list[tuple[int, str, str, str, str]] = []
        for pk, title, body_text, language, acl in rows.iterator(chunk_size=batch):
            buffer.append((pk, *shadow_row(title, body_text, language), acl))
            if len(buffer) >= batch:
                cursor.executemany(_INSERT_ROW, buffer)
                written += len(buffer)
                buffer = []
        if buffer:
            cursor.executemany(_INSERT_ROW, buffer)
            written += len(buffer)
        cursor.execute("INSERT INTO library_itemsearch(library_itemsearch) VALUES ('optimize')")
    return written


@dataclass
class Hit:
    item: Any
    title_html: str
    snippet_html: str
    authors: list[str] = field(default_factory=list)


@dataclass
class SearchPage:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    #: There are more than ``total`` (browsing counts up to ``BROWSE_COUNT_LIMIT``).
    more: bool = False

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def highlight(items: list[Any], parsed: Query) -> list[Hit]:
    """Results with marked titles and snippets (``item.author_names``: set by the selector)."""
    verdicts: dict = {}
    return [
        Hit(
            item=item,
            authors=getattr(item, "author_names", []),
            title_html=snippets.snippet(
                item.title, item.language, parsed, 60, verdicts, in_title=True
            ),
            snippet_html=snippets.snippet(item.body_text, item.language, parsed, 28, verdicts),
        )
        for item in items
    ]

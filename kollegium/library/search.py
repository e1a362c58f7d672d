"""Full-text search: one interface, two backends.

- SQLite: an FTS5 table ``library_itemsearch`` (created by migration 0002 on SQLite only)
  holding the Snowball-stemmed *shadow* text of each item's title and body (``text.py``);
  queries are stemmed the same way (``query.py``). A delete trigger keeps it clean when
  items go, and ``index_item`` rewrites an item's row from the ``post_save`` signal, so the
  index changes in the same transaction as the item.
- PostgreSQL: a generated ``tsvector`` column ``library_item.search_vector``
  (``swedish`` or ``english`` configuration by the item's language, title weighted above
  body) with a GIN index (migration 0002 on PostgreSQL only). Being a generated column, it
  is always in step with the row.

Both backends get the same Python-parsed query, apply it inside the one SQL statement that
also applies the visibility filter and the chosen filters, rank by relevance then recency,
and use the same Python highlighter for the snippets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from kollegium.library import access, snippets, text
from kollegium.library.query import Query

FTS_TABLE = "library_itemsearch"
ITEM_TABLE = "library_item"
# Fixed SQL (no user input is ever formatted into it; the query is always a parameter).
_DELETE_ROW = "DELETE FROM library_itemsearch WHERE rowid = %s"
_DELETE_ALL = "DELETE FROM library_itemsearch"
_INSERT_ROW = "INSERT INTO library_itemsearch(rowid, title, body, acl) VALUES (%s, %s, %s, %s)"


def vendor() -> str:
    return connection.vendor


def searcher_for(user: Any) -> access.Searcher | None:
    from kollegium.library.permissions import group_ids_for_user
    from kollegium.organisations.selectors import (
        network_school_ids_for_user,
        school_ids_for_user,
    )

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return access.Searcher(
        user_id=user.pk,
        school_ids=tuple(school_ids_for_user(user)),
        network_school_ids=tuple(network_school_ids_for_user(user)),
        group_ids=tuple(group_ids_for_user(user)),
    )


_FTS_COUNT = "SELECT count(*) FROM library_itemsearch WHERE library_itemsearch MATCH %s"
_FTS_PAGE = (
    "SELECT rowid FROM library_itemsearch WHERE library_itemsearch MATCH %s"
    " ORDER BY bm25(library_itemsearch, 4.0, 1.0, 0.0), rowid DESC LIMIT %s OFFSET %s"
)
_FTS_NEWEST = (
    "SELECT rowid FROM library_itemsearch WHERE library_itemsearch MATCH %s"
    " ORDER BY rowid DESC LIMIT %s OFFSET %s"
)
_PG_COUNT = "SELECT count(*) FROM library_item WHERE search_vector @@ %s::tsquery"
_PG_NEWEST = (
    "SELECT id FROM library_item WHERE search_vector @@ %s::tsquery"
    " ORDER BY id DESC LIMIT %s OFFSET %s"
)
_PG_PAGE = (
    "SELECT id FROM library_item WHERE search_vector @@ %s::tsquery"
    " ORDER BY ts_rank(search_vector, %s::tsquery) DESC, id DESC LIMIT %s OFFSET %s"
)


def text_search(
    *, searcher: access.Searcher, parsed: Query, filters: access.FilterFacts, limit: int,
    offset: int,
) -> tuple[list[int], int]:  # fmt: skip
    """Ids of one page of matching items the searcher may see, best first, and the total.

    Words, visibility and filters are one full-text expression, answered by the index alone.
    Without words (browsing), the newest items the searcher may see, from the index too.
    """
    with connection.cursor() as cursor:
        if vendor() == "postgresql":
            allowed = access.tsquery_access_clause(searcher, filters)
            if parsed.is_empty:  # browsing: the newest the searcher may see
                cursor.execute(_PG_COUNT, [allowed])
                total = cursor.fetchone()[0]
                cursor.execute(_PG_NEWEST, [allowed, limit, _last_offset(offset, total, limit)])
            else:
                words = parsed.to_tsquery(weights="AB")
                tsquery = f"({words}) & {allowed}"
                cursor.execute(_PG_COUNT, [tsquery])
                total = cursor.fetchone()[0]
                page: list[str | int] = [tsquery, words, limit, _last_offset(offset, total, limit)]
                cursor.execute(_PG_PAGE, page)
        else:
            allowed = access.fts5_access_clause(searcher, filters)
            match = (
                allowed
                if parsed.is_empty
                else f"{{title body}} : ({parsed.to_fts5()}) AND {allowed}"
            )
            cursor.execute(_FTS_COUNT, [match])
            total = cursor.fetchone()[0]
            sql = _FTS_NEWEST if parsed.is_empty else _FTS_PAGE
            cursor.execute(sql, [match, limit, _last_offset(offset, total, limit)])
        ids = [row[0] for row in cursor.fetchall()]
    return ids, total


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


def shadow_row(title: str, body_text: str, language: str) -> tuple[str, str]:
    return text.shadow_text([title], language), text.shadow_text([body_text], language)


def index_item(item: Any) -> None:
    """Bring an item's index entry up to date: access tokens on the row (both backends; on
    PostgreSQL the generated search vector follows), and the FTS5 row on SQLite.

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
    title, body = shadow_row(item.title, item.body_text, item.language)
    with connection.cursor() as cursor:
        cursor.execute(_DELETE_ROW, [item.pk])
        cursor.execute(_INSERT_ROW, [item.pk, title, body, acl])


def rebuild_index(batch: int = 2000) -> int:
    """Rebuild the SQLite index from the items (after bulk loads). Returns the rows written."""
    if vendor() != "sqlite":
        return 0
    from kollegium.library.models import Item

    written = 0
    with connection.cursor() as cursor:
        cursor.execute(_DELETE_ALL)
        rows = Item.objects.order_by("pk").values_list(
            "pk", "title", "body_text", "language", "search_acl"
        )
        buffer: list[tuple[int, str, str, str]] = []
        for pk, title, body_text, language, acl in rows.iterator(chunk_size=batch):
            buffer.append((pk, *shadow_row(title, body_text, language), acl))
            if len(buffer) >= batch:
                cursor.executemany(_INSERT_ROW, buffer)
                written += len(buffer)
                buffer = []
        if buffer:
            cursor.executemany(_INSERT_ROW, buffer)
            written += len(buffer)
    return written


@dataclass
class Hit:
    item: Any
    title_html: str
    snippet_html: str


@dataclass
class SearchPage:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def highlight(items: list[Any], parsed: Query) -> list[Hit]:
    verdicts: dict = {}
    return [
        Hit(
            item=item,
            title_html=snippets.snippet(item.title, item.language, parsed, 60, verdicts),
            snippet_html=snippets.snippet(item.body_text, item.language, parsed, 28, verdicts),
        )
        for item in items
    ]

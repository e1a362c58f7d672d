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
from django.db.models import QuerySet

from kollegium.library import snippets, text
from kollegium.library.query import Query

FTS_TABLE = "library_itemsearch"
ITEM_TABLE = "library_item"
# Fixed SQL (no user input is ever formatted into it; the query is always a parameter).
_DELETE_ROW = "DELETE FROM library_itemsearch WHERE rowid = %s"
_DELETE_ALL = "DELETE FROM library_itemsearch"
_INSERT_ROW = "INSERT INTO library_itemsearch(rowid, title, body) VALUES (%s, %s, %s)"


def vendor() -> str:
    return connection.vendor


def apply_query(qs: QuerySet, parsed: Query) -> QuerySet:
    """Restrict ``qs`` to items matching ``parsed`` and order them by relevance, then recency."""
    if parsed.is_empty:
        return qs.order_by("-updated_at", "-id")
    if vendor() == "postgresql":
        tsquery = parsed.to_tsquery()
        # extra(): the tsquery is a bound parameter; only fixed identifiers are formatted in.
        return qs.extra(  # noqa: S610
            select={"rank": f"ts_rank({ITEM_TABLE}.search_vector, %s::tsquery)"},
            select_params=[tsquery],
            where=[f"{ITEM_TABLE}.search_vector @@ %s::tsquery"],
            params=[tsquery],
        ).order_by("-rank", "-updated_at", "-id")
    return qs.extra(  # noqa: S610 - the FTS5 query is a bound parameter
        select={"rank": f"bm25({FTS_TABLE}, 4.0, 1.0)"},
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = {ITEM_TABLE}.id", f"{FTS_TABLE} MATCH %s"],
        params=[parsed.to_fts5()],
    ).order_by("rank", "-updated_at", "-id")


def shadow_row(title: str, body_text: str, language: str) -> tuple[str, str]:
    return text.shadow_text([title], language), text.shadow_text([body_text], language)


def index_item(item: Any) -> None:
    """Write an item's row in the SQLite index (PostgreSQL keeps its own column)."""
    if vendor() != "sqlite":
        return
    title, body = shadow_row(item.title, item.body_text, item.language)
    with connection.cursor() as cursor:
        cursor.execute(_DELETE_ROW, [item.pk])
        cursor.execute(_INSERT_ROW, [item.pk, title, body])


def rebuild_index(batch: int = 2000) -> int:
    """Rebuild the SQLite index from the items (after bulk loads). Returns the rows written."""
    if vendor() != "sqlite":
        return 0
    from kollegium.library.models import Item

    written = 0
    with connection.cursor() as cursor:
        cursor.execute(_DELETE_ALL)
        rows = Item.objects.order_by("pk").values_list("pk", "title", "body_text", "language")
        buffer: list[tuple[int, str, str]] = []
        for pk, title, body_text, language in rows.iterator(chunk_size=batch):
            buffer.append((pk, *shadow_row(title, body_text, language)))
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
    return [
        Hit(
            item=item,
            title_html=snippets.snippet(item.title, item.language, parsed, words=60),
            snippet_html=snippets.snippet(item.body_text, item.language, parsed),
        )
        for item in items
    ]

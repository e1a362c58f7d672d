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

One text pipeline for both databases (issue 17): Python tokenises, lower-cases, stems
(pinned Snowball), normalises definite and past forms and splits compounds (Swedish hunspell
dictionary, ``lexicon.py``) in ``text.index_text``; both databases store the result as it is,
so they find the same items whatever their locale. Levels, best first: the exact word in the
title, its stem or a compound part in the title, a title word starting with it, (several
words: some in the title), anywhere; newest first within a level.

- SQLite: FTS5 ``library_itemsearch(title, body, tpart, bpart, tpre, acl)`` (migration 0006).
  Each level is one FTS5 query in index order (newest first), so a page stops after its 20
  rows; the count is one more query. A delete trigger removes a row.
- PostgreSQL: ``library_itemsearch(item_id, title, words)``: tsvector literals built in
  Python (``text.pg_vectors``: no parser, no dictionary, no lower-casing in the database);
  ``words`` (GIN) also holds the access tokens, so one exact GIN match gives the visible
  matches; one statement orders them by level (``title`` is in the row) and counts them.
- ``index_item`` writes an item's row, in the transaction that changed it, on both, and
  keeps the vocabulary (``library_searchword``) for "did you mean".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connection

from kollegium.library import access, lexicon, snippets, spelling, text
from kollegium.library.query import TITLE, TITLE_LEVELS, Clause, Query, Term
from kollegium.organisations.actor import Actor, on_forget

FTS_TABLE = "library_itemsearch"
ITEM_TABLE = "library_item"
# Fixed SQL (no user input is ever formatted into it; the query is always a parameter).
_DELETE_ROW = "DELETE FROM library_itemsearch WHERE rowid = %s"
_DELETE_ALL = "DELETE FROM library_itemsearch"
_INSERT_ROW = (
    "INSERT INTO library_itemsearch(rowid, title, body, tpart, bpart, tpre, acl)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s)"
)
_PG_DELETE_ROW = "DELETE FROM library_itemsearch WHERE item_id = %s"
_PG_INSERT_ROW = (
    "INSERT INTO library_itemsearch (item_id, title, words) VALUES (%s, %s::tsvector,"
    " %s::tsvector) ON CONFLICT (item_id) DO UPDATE SET title = EXCLUDED.title,"
    " words = EXCLUDED.words"
)
_OLD_SQLITE = "SELECT title || ' ' || body FROM library_itemsearch WHERE rowid = %s"
_OLD_PG = (
    "SELECT array_to_string(tsvector_to_array(words), ' ') FROM library_itemsearch"
    " WHERE item_id = %s"
)
#: The vocabulary (stems with the number of items holding them), for "did you mean".
_VOCAB_ADD = (
    "INSERT INTO library_searchword (stem, folded, lead, size, word, n)"
    " VALUES (%s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (stem) DO UPDATE SET n = library_searchword.n + EXCLUDED.n,"
    " word = CASE WHEN length(EXCLUDED.word) < length(library_searchword.word)"
    " THEN EXCLUDED.word ELSE library_searchword.word END"
)
_VOCAB_REMOVE = "UPDATE library_searchword SET n = n - 1 WHERE stem = %s"
_VOCAB_PRUNE = "DELETE FROM library_searchword WHERE n <= 0"


def vendor() -> str:
    return connection.vendor


#: A searcher's access facts, read once per Actor (dropped when the Actor forgets).
_searchers: WeakKeyDictionary[Actor, access.Searcher] = WeakKeyDictionary()


def _forget_searcher(actor: Actor) -> None:
    _searchers.pop(actor, None)


on_forget(_forget_searcher)


#: The searcher's schools, network schools and learning groups in one statement (the same
#: rows as ``Actor.school_ids``, ``Actor.network_school_ids`` and ``group_ids_for_user``,
#: which took three ORM queries: a third of a search's time).
_SEARCHER = (
    "SELECT 's', m.school_id FROM organisations_membership m WHERE m.user_id = %s"
    " UNION ALL SELECT 'n', b.school_id FROM organisations_membership m"
    " JOIN organisations_networkmembership a ON a.school_id = m.school_id"
    " JOIN organisations_networkmembership b ON b.network_id = a.network_id"
    " WHERE m.user_id = %s"
    " UNION ALL SELECT 'g', g.group_id FROM groups_groupmembership g WHERE g.user_id = %s"
)


def searcher_for(user: Actor) -> access.Searcher | None:
    """What decides which items ``user`` may see, read once per Actor (one statement)."""
    if not user.is_authenticated or not user.is_active:
        return None
    held = _searchers.get(user)
    if held is not None:
        return held
    found: dict[str, set[int]] = {"s": set(), "n": set(), "g": set()}
    with connection.cursor() as cursor:
        cursor.execute(_SEARCHER, [user.pk] * 3)
        for kind, pk in cursor.fetchall():
            found[kind].add(pk)
    held = _searchers[user] = access.Searcher(
        user_id=user.pk,
        school_ids=tuple(sorted(found["s"])),
        network_school_ids=tuple(sorted(found["s"] | found["n"])),
        group_ids=tuple(sorted(found["g"])),
    )
    return held


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
    " ORDER BY title @@ %s::tsquery DESC, title @@ %s::tsquery DESC,"
    " title @@ %s::tsquery DESC, title @@ %s::tsquery DESC, title @@ %s::tsquery DESC,"
    " item_id DESC"
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
    conditions = [parsed.to_fts5(level=level) for level in TITLE_LEVELS]
    if len(parsed.groups) > 1:
        conditions.append(parsed.to_fts5(level=TITLE, any_group=True))
    levels = []
    for i, condition in enumerate([*conditions, ""]):
        match = f"({words} AND {condition}{also})" if condition else f"({words}{also})"
        before = conditions[:i]
        levels.append(f"{match} NOT ({' OR '.join(before)})" if before else match)
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
    params = [tsquery, *(parsed.to_tsquery(level=level) for level in TITLE_LEVELS),
              parsed.to_tsquery(level=TITLE, any_group=True)]  # fmt: skip
    cursor.execute(_PG_PAGE, [*params, limit, offset])
    rows = cursor.fetchall()
    if not rows and offset > 0:  # past the end: show the last page
        cursor.execute(_PG_COUNT, [tsquery])
        offset = _last_offset(offset, cursor.fetchone()[0], limit)
        cursor.execute(_PG_PAGE, [*params, limit, offset])
        rows = cursor.fetchall()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


_VOCAB_KNOWN = "SELECT folded, stem, word, n FROM library_searchword WHERE folded IN ({})"
_VOCAB_NEAR = (
    "SELECT stem, word, folded, n FROM library_searchword WHERE lead = %s"
    " AND size BETWEEN %s AND %s"
)


def corrected(parsed: Query) -> Query:
    """The query with each word that no item holds also searched as its nearest word of
    the vocabulary: the same word without å/ä/ö dropped ("bedomning"), else one or two
    letters away ("studeiro"). ``parsed`` itself when nothing is found."""
    import dataclasses

    terms = [(i, c) for i, g in enumerate(parsed.groups) for c in g
             if isinstance(c, Term) and c.words]  # fmt: skip
    if not terms:
        return parsed
    keys = sorted({lexicon.fold(s) for _, t in terms for s in t.stems})
    with connection.cursor() as cursor:
        cursor.execute(_VOCAB_KNOWN.format(", ".join(["%s"] * len(keys))), keys)
        by_folded: dict[str, list[spelling.Candidate]] = {}
        for folded, stem, word, n in cursor.fetchall():
            by_folded.setdefault(folded, []).append(spelling.Candidate(stem, word, folded, n))
        added: dict[int, list[Clause]] = {}
        notes: list[tuple[str, str]] = []
        for i, term in terms:
            exact = [c for s in term.stems for c in by_folded.get(lexicon.fold(s), [])]
            if any(c.stem in term.stems for c in exact):
                continue  # the word itself is known: nothing to correct
            best = min(exact, key=lambda c: (-c.n, c.stem)) if exact else None
            if best is None:
                folded = lexicon.fold(term.stems[0])
                limit = spelling.max_distance(len(folded))
                cursor.execute(_VOCAB_NEAR, [folded[:1], len(folded) - limit,
                                             len(folded) + limit])  # fmt: skip
                best = spelling.best(
                    folded, (spelling.Candidate(*row) for row in cursor.fetchall())
                )
            if best is not None:
                added.setdefault(i, []).append(Term((best.stem,), (best.word,)))
                notes.append((term.words[0], best.word))
    if not notes:
        return parsed
    groups = tuple((*g, *added.get(i, [])) for i, g in enumerate(parsed.groups))
    return dataclasses.replace(parsed, groups=groups, corrections=tuple(notes))


def corrected_raw(raw: str, corrections: tuple[tuple[str, str], ...]) -> str:
    """What the person typed with the corrected words in place (for "Did you mean")."""
    import re

    out = raw
    for typed, word in corrections:
        out = re.sub(rf"(?<![^\W_]){re.escape(typed)}(?![^\W_])", word, out, flags=re.I)
    return out


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


def shadow_row(title: str, body_text: str, language: str) -> tuple[str, str, str, str, str]:
    """The FTS5 word columns for an item: title and text stems, their compound parts, the
    title's exact words and beginnings."""
    t = text.index_text(title, body_text, language)
    return (" ".join(t.title), " ".join(t.body), " ".join(t.title_parts),
            " ".join(t.body_parts), " ".join(t.title_marks))  # fmt: skip


def _row(vendor_name: str, pk: int, indexed: text.IndexedText, acl: str) -> tuple[Any, ...]:
    if vendor_name == "postgresql":
        return (pk, *text.pg_vectors(indexed, acl, access.PG_MARK))
    return (pk, " ".join(indexed.title), " ".join(indexed.body), " ".join(indexed.title_parts),
            " ".join(indexed.body_parts), " ".join(indexed.title_marks), acl)  # fmt: skip


def _stems_of(stored: str | None) -> set[str]:
    """The stems in a stored row (marked tokens left out)."""
    return {t for t in (stored or "").split() if t[:1].isalnum()}


def index_item(item: Any) -> None:
    """Bring an item's index entry up to date, the same way on both databases: access
    tokens on the row, the index row built in Python (``text.index_text``), and the
    vocabulary's counts.

    Called from ``post_save`` and again by the services after tags and authors are set,
    always inside the transaction that changed the item.
    """
    from kollegium.library.models import Item

    acl = access.item_tokens(item_facts(item)) if item.pk else ""
    if acl != item.search_acl:
        Item.objects.filter(pk=item.pk).update(search_acl=acl)
        item.search_acl = acl
    indexed = text.index_text(item.title, item.body_text, item.language)
    name = vendor()
    with connection.cursor() as cursor:
        cursor.execute(_OLD_PG if name == "postgresql" else _OLD_SQLITE, [item.pk])
        row = cursor.fetchone()
        old = _stems_of(row[0] if row else "")
        if name == "postgresql":
            cursor.execute(_PG_INSERT_ROW, list(_row(name, item.pk, indexed, acl)))
        else:
            cursor.execute(_DELETE_ROW, [item.pk])
            cursor.execute(_INSERT_ROW, list(_row(name, item.pk, indexed, acl)))
        _vocabulary_change(cursor, old, indexed.words)


def unindex_item(pk: int) -> None:
    """Before an item is deleted: its words leave the vocabulary (the row itself goes with
    the item, by trigger)."""
    with connection.cursor() as cursor:
        cursor.execute(_OLD_PG if vendor() == "postgresql" else _OLD_SQLITE, [pk])
        row = cursor.fetchone()
        _vocabulary_change(cursor, _stems_of(row[0] if row else ""), {})


def _vocab_key(stem: str) -> tuple[str, str, str, int]:
    """(stem, folded, first letter, length): the vocabulary's keys; the word goes between."""
    folded = lexicon.fold(stem)
    return stem, folded, folded[:1], len(folded)


def _vocabulary_change(cursor: Any, old: set[str], new: dict[str, str]) -> None:
    added = sorted(set(new) - old)
    removed = sorted(old - set(new))
    if added:
        cursor.executemany(_VOCAB_ADD, [(*_vocab_key(s), new[s], 1) for s in added])
    if removed:
        cursor.executemany(_VOCAB_REMOVE, [(s,) for s in removed])
        cursor.execute(_VOCAB_PRUNE)


def rebuild_rows(cursor: Any, vendor_name: str, batch: int = 2000) -> int:
    """Write every item's index row and the vocabulary afresh (raw SQL only, so migrations
    can use it); returns the rows written."""
    cursor.execute("DELETE FROM library_itemsearch")
    cursor.execute("DELETE FROM library_searchword")
    insert = _PG_INSERT_ROW if vendor_name == "postgresql" else _INSERT_ROW
    vocabulary: dict[str, list[Any]] = {}
    written = 0
    offset_id = 0
    while True:
        cursor.execute(
            "SELECT id, title, body_text, language, search_acl FROM library_item"
            " WHERE id > %s ORDER BY id LIMIT %s", [offset_id, batch]
        )  # fmt: skip
        rows = cursor.fetchall()
        if not rows:
            break
        out = []
        for pk, title, body_text, language, acl in rows:
            indexed = text.index_text(title or "", body_text or "", language or "sv")
            out.append(_row(vendor_name, pk, indexed, acl or ""))
            for stem, word in indexed.words.items():
                entry = vocabulary.setdefault(stem, [word, 0])
                entry[1] += 1
                if len(word) < len(entry[0]):  # as the incremental upsert does
                    entry[0] = word
        cursor.executemany(insert, out)
        written += len(out)
        offset_id = rows[-1][0]
    cursor.executemany(
        _VOCAB_ADD, [(*_vocab_key(s), w, n) for s, (w, n) in sorted(vocabulary.items())]
    )
    if vendor_name == "sqlite":
        cursor.execute("INSERT INTO library_itemsearch(library_itemsearch) VALUES ('optimize')")
    return written


def rebuild_index(batch: int = 2000) -> int:
    """Rebuild the search index and the vocabulary from the items, in one transaction;
    returns the rows written.

    For operators: after a bulk load that bypassed the services, and after an upgrade that
    changes the text pipeline (stemmer, dictionary, rules): ``manage.py library_reindex``.
    """
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        return rebuild_rows(cursor, vendor(), batch)


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
    #: The query with corrected spelling, when the results are for it ("Did you mean").
    suggestion: str = ""

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

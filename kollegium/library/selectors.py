"""Reads for the library, always scoped to what the acting person may see."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from kollegium.library import access, search
from kollegium.library.diff import Diff, line_diff
from kollegium.library.models import (
    Appreciation,
    Collection,
    CollectionEntry,
    Item,
    ItemVersion,
    TriedIt,
)
from kollegium.library.permissions import (
    get_item_for_user_or_404,
    visible_items_q,
)
from kollegium.library.query import parse
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation
from kollegium.organisations.selectors import memberships_for_user, school_ids_for_user

PER_PAGE = 20


@dataclass(frozen=True)
class Filters:
    item_type: str = ""
    skill: str = ""  # a skill key
    subject: str = ""  # a subject code
    stage: str = ""  # a stage code
    language: str = ""
    #: Left out (the search box shows proven practice as a kind of its own); not a UI filter.
    exclude_type: str = ""

    @property
    def active(self) -> bool:
        return any((self.item_type, self.skill, self.subject, self.stage, self.language))


def visible_items(user: Actor) -> QuerySet[Item]:
    return Item.objects.filter(visible_items_q(user))


def _filtered(user: Actor, filters: Filters) -> QuerySet[Item]:
    qs = visible_items(user)
    if filters.item_type:
        qs = qs.filter(item_type=filters.item_type)
    if filters.exclude_type:
        qs = qs.exclude(item_type=filters.exclude_type)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.subject:
        qs = qs.filter(subjects__code=filters.subject)
    if filters.stage:
        qs = qs.filter(stages__code=filters.stage)
    if filters.skill:
        qs = qs.filter(skill_tags__key=filters.skill)
    return qs


def _browse_ids(
    user: Actor, filters: Filters, page: int, per_page: int = PER_PAGE
) -> tuple[list[int], int]:
    """PostgreSQL, no words: plain indexes beat the text index here (a GIN match on
    nearly every row, then a sort), so the newest visible items come from the ORM."""
    qs = _filtered(user, filters).order_by("-id")
    total = qs[: search.BROWSE_COUNT_LIMIT + 1].count()
    shown = min(total, search.BROWSE_COUNT_LIMIT)
    start = max(0, min((page - 1) * per_page, (max(shown, 1) - 1) // per_page * per_page))
    return list(qs.values_list("pk", flat=True)[start : start + per_page]), total


#: What a result shows (title, snippet, type, date) and what the visibility rule reads:
#: nothing else is loaded. The school's name and kind come in the same statement
#: (``_HIT_SCHOOL``: a school's display name depends on its kind).
_HIT_FIELDS = (
    *("id", "title", "body_text", "language", "item_type", "updated_at", "visibility"),
    *("group_id", "school_id"),
)
_HIT_SCHOOL = ("id", "name", "name_en", "kind")


@cache
def _hit_columns() -> tuple[list[str], list[str], str, str]:
    """The item's and the school's columns in their models' own order (what
    ``Model.from_db`` expects) and the two fixed statements: the page's items with their
    schools, and their authors' names (no query building for a page of search results)."""
    from kollegium.accounts.models import User

    item_fields = [f.attname for f in Item._meta.concrete_fields if f.attname in _HIT_FIELDS]
    school_fields = [
        f.attname for f in Organisation._meta.concrete_fields if f.attname in _HIT_SCHOOL
    ]
    columns = ", ".join([*(f"i.{n}" for n in item_fields), *(f"s.{n}" for n in school_fields)])
    # Identifiers from the models only; the ids are always parameters.
    items = f"SELECT {columns} FROM {Item._meta.db_table} i LEFT JOIN"  # noqa: S608
    items += f" {Organisation._meta.db_table} s ON s.id = i.school_id WHERE i.id IN ({{}})"
    authors = (
        f"SELECT a.item_id, a.user_id, u.full_name FROM {Item.authors.through._meta.db_table} a"  # noqa: S608
        f" JOIN {User._meta.db_table} u ON u.id = a.user_id WHERE a.item_id IN ({{}})"
        " ORDER BY u.full_name, a.user_id"
    )
    return item_fields, school_fields, items, authors


def _converters(model: Any, names: list[str]) -> list[tuple[int, list[Any]]]:
    """The database's converters for these columns (SQLite's datetimes become aware)."""
    out = []
    for i, name in enumerate(names):
        field = model._meta.get_field(name.removesuffix("_id") if name != "id" else name)
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        if found:
            out.append((i, found))
    return out


def _hits(searcher: access.Searcher, ids: list[int]) -> dict[int, Item]:
    """The page's items with their schools and authors' names, in two fixed statements; the
    visibility rule is checked once more on these rows (``access.may_see``, the index's own
    rule against the item's current facts), as defence in depth."""
    if not ids:
        return {}
    item_fields, school_fields, items_sql, authors_sql = _hit_columns()
    marks = ", ".join(["%s"] * len(ids))
    school_cache = Item._meta.get_field("school")
    converters = _converters(Item, item_fields)
    split = len(item_fields)
    items: dict[int, Item] = {}
    with connection.cursor() as cursor:
        cursor.execute(items_sql.format(marks), ids)
        rows = cursor.fetchall()
        cursor.execute(authors_sql.format(marks), ids)
        author_rows = cursor.fetchall()
    db = connection.alias
    for row in rows:
        values = list(row[:split])
        for i, functions in converters:
            for function in functions:
                values[i] = function(values[i], None, connection)
        item = Item.from_db(db, item_fields, values)
        if item.school_id is not None:
            school = Organisation.from_db(db, school_fields, row[split:])
            school_cache.set_cached_value(item, school)
        items[item.pk] = item
    names: dict[int, list[str]] = {pk: [] for pk in items}
    authors: dict[int, list[int]] = {pk: [] for pk in items}
    for item_id, user_id, name in author_rows:
        if item_id in items:
            names[item_id].append(name)
            authors[item_id].append(user_id)
    visible: dict[int, Item] = {}
    for pk, item in items.items():
        item._author_ids = set(authors[pk])  # type: ignore[attr-defined]  # read by is_author
        item.author_names = names[pk]  # type: ignore[attr-defined]
        facts = access.ItemFacts(
            visibility=item.visibility, school_id=item.school_id, group_id=item.group_id,
            author_ids=tuple(authors[pk]), item_type=item.item_type, language=item.language,
        )  # fmt: skip
        if access.may_see(searcher, facts):
            visible[pk] = item
    return visible


def search_items(
    *, user: Actor, raw: str, filters: Filters, page: int = 1, per_page: int = PER_PAGE
) -> search.SearchPage:
    """One page of items matching ``raw`` and ``filters`` that ``user`` may see.

    The index answers the count and the page (``search.text_search``): by relevance with
    words, newest first without (then counted up to ``search.BROWSE_COUNT_LIMIT``). Then the
    page's items are loaded, with the visibility rule checked once more, and highlighted. A
    fixed number of queries whatever the data. ``per_page``: the search box asks for its
    few, so only those are loaded and highlighted.
    """
    user = as_actor(user)  # one Actor for the whole search: memberships are read once
    per_page = max(1, per_page)
    parsed = parse(raw)
    searcher = search.searcher_for(user)
    if searcher is None or (parsed.is_empty and raw.strip()):
        # Only stop words or signs ("och", "!!!") list nothing (the page says why).
        return search.SearchPage(query=parsed, page=1, per_page=per_page)
    facts = access.FilterFacts(
        item_type=filters.item_type, language=filters.language, subject=filters.subject,
        stage=filters.stage, skill=filters.skill, exclude_type=filters.exclude_type,
    )  # fmt: skip
    page = max(1, page)
    if parsed.is_empty and search.vendor() == "postgresql":
        ids, total = _browse_ids(user, filters, page, per_page)
    else:
        ids, total = search.text_search(
            searcher=searcher, parsed=parsed, filters=facts, limit=per_page,
            offset=(page - 1) * per_page,
        )  # fmt: skip
    suggestion = ""
    if total == 0 and not parsed.is_empty:  # nothing found: try the nearest known words
        fixed = search.corrected(parsed)
        if fixed.corrections:
            fixed_ids, fixed_total = search.text_search(
                searcher=searcher, parsed=fixed, filters=facts, limit=per_page, offset=0
            )
            if fixed_total:  # only words of items this person may see are ever suggested
                parsed, ids, total, page = fixed, fixed_ids, fixed_total, 1
                suggestion = search.corrected_raw(raw, fixed.corrections)
    found = _hits(searcher, ids)
    more = parsed.is_empty and total > search.BROWSE_COUNT_LIMIT
    total = search.BROWSE_COUNT_LIMIT if more else total
    return search.SearchPage(
        query=parsed,
        hits=search.highlight([found[pk] for pk in ids if pk in found], parsed),
        total=total,
        page=min(page, 1 + max(0, total - 1) // per_page),
        per_page=per_page,
        more=more,
        suggestion=suggestion,
    )


def item_detail(*, user: Actor, pk: int) -> Item:
    """An item with everything its page shows, in a fixed number of queries."""
    qs = (
        Item.objects.select_related("school", "group", "created_by")
        .prefetch_related(
            "authors",
            "subjects",
            "stages",
            "skill_tags",
            "attachments",
            "links",
            Prefetch("tried", queryset=TriedIt.objects.select_related("user")),
        )
        .annotate(
            appreciation_count=Count("appreciations", distinct=True),
            helped_me=Exists(Appreciation.objects.filter(item=OuterRef("pk"), user_id=user.pk)),
        )
    )
    return get_item_for_user_or_404(user, pk, queryset=qs)


def item_for_edit(*, user: Actor, pk: int) -> Item:
    """An item with what its editor needs (its settings and authors): not the page's
    reactions, files and counts, which were half of the edit page's time (issue 10)."""
    qs = Item.objects.select_related("school").prefetch_related(
        "authors", "subjects", "stages", "skill_tags", "links"
    )
    return get_item_for_user_or_404(user, pk, queryset=qs)


def item_versions(*, item: Item) -> list[ItemVersion]:
    return list(item.versions.select_related("editor").order_by("-number"))


def version_diff(*, item: Item, old: int, new: int) -> tuple[ItemVersion, ItemVersion, Diff]:
    versions = {v.number: v for v in item.versions.filter(number__in=[old, new])}
    if old not in versions or new not in versions:
        raise ItemVersion.DoesNotExist
    a, b = versions[old], versions[new]
    return a, b, line_diff(f"# {a.title}\n\n{a.body}", f"# {b.title}\n\n{b.body}")


def collections_for_user(*, user: Actor, school: Organisation | None) -> list[Collection]:
    if school is None or school.pk not in school_ids_for_user(user):
        return []
    return list(Collection.objects.filter(school=school).annotate(item_count=Count("entries")))


def collection_items(*, user: Actor, collection: Collection) -> list[Item]:
    """The collection's items in order, leaving out any the person may not see."""
    entries = (
        CollectionEntry.objects.filter(collection=collection, item__in=visible_items(user))
        .select_related("item", "item__school")
        .prefetch_related("item__authors")
        .order_by("position", "id")
    )
    return [e.item for e in entries]


def start_here_collection(*, school: Any) -> Collection | None:
    if school is None:
        return None
    return Collection.objects.filter(school=school, is_start_here=True).first()


def my_drafts(*, user: Actor) -> QuerySet[Item]:
    return Item.objects.filter(authors__pk=user.pk, visibility="private").order_by("-updated_at")


def curatable_collections(*, user: Actor, item: Item) -> list[Collection]:
    """Collections at the person's current schools that they may add this item to."""
    from kollegium.library.permissions import can_curate_collections

    if item.visibility == "private":
        return []
    schools = {m.school_id: m.school for m in memberships_for_user(user)}
    ids = [pk for pk, school in schools.items() if can_curate_collections(user, school)]
    if not ids:
        return []
    return list(Collection.objects.filter(school_id__in=ids).exclude(entries__item=item))


def collection_initial(collection: Collection | None) -> dict[str, Any]:
    if collection is None:
        return {}
    ids = collection.entries.order_by("position", "id").values_list("item_id", flat=True)
    return {
        "title": collection.title,
        "intro": collection.intro,
        "is_start_here": collection.is_start_here,
        "items": "\n".join(str(pk) for pk in ids),
    }

"""Every write to the library: items, versions, files, links, collections, appreciation.

Keyword-only, atomic, validating; raise ValidationError (shown on the form) or
PermissionDenied. Nothing is half-saved: a bad file or a broken table rolls back the item.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.core.textmerge import EditConflict, has_conflict_markers, merge_fields, normalise
from kollegium.library import files as library_files
from kollegium.library import markdown, search
from kollegium.library.models import (
    Appreciation,
    Attachment,
    Collection,
    CollectionEntry,
    Item,
    ItemSkill,
    ItemType,
    ItemVersion,
    Language,
    Licence,
    Link,
    TriedIt,
    Visibility,
)
from kollegium.library.permissions import (
    can_curate_collections,
    can_edit_item,
    can_share_at,
    can_view_item,
    group_ids_for_user,
)
from kollegium.library.skills import resolve_skill_keys
from kollegium.organisations.actor import Actor, as_actor

MAX_BODY_LENGTH = 100_000
MAX_FILES_PER_SAVE = 10


@dataclass(frozen=True)
class LinkInput:
    url: str
    title: str


def _validate_fields(
    *,
    actor: Actor,
    school: Any,
    title: str,
    body: str,
    item_type: str,
    language: str,
    visibility: str,
    group: Any,
    licence: str,
    origin_url: str,
    kept_group_id: int | None = None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not title.strip():
        add("title", _("Give it a title, so colleagues can find it."))
    elif len(title.strip()) > 200:
        add("title", _("The title can be at most 200 characters."))
    if len(body) > MAX_BODY_LENGTH:
        add("body", _("The text is too long (at most 100,000 characters)."))
    broken = markdown.broken_tables(body)
    if broken:
        add(
            "body",
            _(
                "The table starting on line %(line)s is broken: after the header row, add a "
                "line like |---|---| with one cell per column."
            )
            % {"line": broken[0]},
        )
    if item_type not in ItemType.values:
        add("item_type", _("Choose a type."))
    if language not in Language.values:
        add("language", _("Choose Swedish or English."))
    if licence not in Licence.values:
        add("licence", _("Choose a licence."))
    if visibility not in Visibility.values:
        add("visibility", _("Choose who can see it."))
    elif visibility == Visibility.GROUP:
        if group is None:
            add("group", _("Choose the group that should see it."))
        elif group.pk != kept_group_id and group.pk not in group_ids_for_user(actor):
            add("group", _("You can only share with a group you are in."))
    if origin_url and not _safe_origin(origin_url):
        add("origin_url", _("The link must start with https://, http:// or /."))
    return errors


def _safe_origin(url: str) -> bool:
    if url.startswith("/") and not url.startswith("//"):
        return True
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _record_version(*, item: Item, actor: Actor, note: str) -> ItemVersion:
    item.version_number += 1
    Item.objects.filter(pk=item.pk).update(version_number=item.version_number)
    return ItemVersion.objects.create(
        item=item,
        number=item.version_number,
        title=item.title,
        body=item.body,
        licence=item.licence,
        note=note[:200],
        editor=as_actor(actor).person,
    )


def _prepare_files(files: Sequence[Any], errors: dict[str, list[str]]) -> list[Any]:
    """Check every file before anything is written, adding problems to ``errors``."""
    if len(files) > MAX_FILES_PER_SAVE:
        errors.setdefault("files", []).append(
            _("At most %(n)s files at a time.") % {"n": MAX_FILES_PER_SAVE}
        )
        return []
    prepared = []
    for upload in files:
        try:
            prepared.append(library_files.prepare_upload(upload))
        except ValidationError as exc:
            for message in exc.message_dict.get("files", exc.messages):
                errors.setdefault("files", []).append(message)
    return prepared


@contextmanager
def _atomic_with_files() -> Iterator[list[str]]:
    """A transaction that also removes the files it stored if it rolls back.

    Files are checked before anything is written; this covers a failure after storing.
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        library_files.delete_stored(stored)
        raise


def _store_files(*, actor: Actor, item: Item, prepared: Sequence[Any], stored: list[str]) -> None:
    person = as_actor(actor).person
    for p in prepared:
        library_files.store(item=item, prepared=p, actor=person, stored=stored)


def _set_skills(item: Item, skills: Iterable[Any]) -> None:
    keys = resolve_skill_keys(skills)
    item.skill_tags.exclude(key__in=keys).delete()
    existing = set(item.skill_tags.values_list("key", flat=True))
    ItemSkill.objects.bulk_create(ItemSkill(item=item, key=k) for k in keys if k not in existing)


def _set_links(item: Item, links: Iterable[LinkInput]) -> None:
    item.links.all().delete()
    for position, link in enumerate(links):
        parts = urlsplit(link.url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValidationError({"links": _("Links must start with https:// or http://.")})
        Link.objects.create(
            item=item, url=link.url, title=(link.title or link.url)[:200], position=position
        )


def item_create(
    *,
    actor: Actor,
    school: Any,
    title: str,
    body: str = "",
    item_type: str = ItemType.TIP,
    language: str = Language.SWEDISH,
    visibility: str = Visibility.SCHOOL,
    group: Any = None,
    skills: Iterable[Any] = (),
    subjects: Iterable[Any] = (),
    stages: Iterable[Any] = (),
    licence: str = Licence.CC_BY,
    origin_label: str = "",
    origin_url: str = "",
    files: Sequence[Any] = (),
    links: Iterable[LinkInput] = (),
    note: str = "",
) -> Item:
    if not can_share_at(actor, school):
        raise PermissionDenied(_("You can only share in a school you belong to."))
    errors = _validate_fields(
        actor=actor,
        school=school,
        title=title,
        body=body,
        item_type=item_type,
        language=language,
        visibility=visibility,
        group=group,
        licence=licence,
        origin_url=origin_url,
    )
    prepared = _prepare_files(files, errors)
    if errors:
        raise ValidationError(errors)
    with _atomic_with_files() as stored:
        item = _create_item(
            actor=actor, school=school, title=title, body=body, item_type=item_type,
            language=language, visibility=visibility, group=group, licence=licence,
            origin_label=origin_label, origin_url=origin_url,
        )  # fmt: skip
        item.authors.add(as_actor(actor).person)
        _set_skills(item, skills)
        item.subjects.set(list(subjects))
        item.stages.set(list(stages))
        _set_links(item, links)
        _store_files(actor=actor, item=item, prepared=prepared, stored=stored)
        _record_version(item=item, actor=actor, note=note or _("First version"))
        search.index_item(item)
    return item


def _create_item(*, actor: Actor, school: Any, title: str, body: str, item_type: str,
                 language: str, visibility: str, group: Any, licence: str, origin_label: str,
                 origin_url: str) -> Item:  # fmt: skip
    now = timezone.now()
    return Item.objects.create(
        school=school,
        title=title.strip(),
        body=body,
        body_text=markdown.plain_text(body),
        item_type=item_type,
        language=language,
        visibility=visibility,
        group=group if visibility == Visibility.GROUP else None,
        licence=licence,
        origin_label=origin_label[:200],
        origin_url=origin_url[:500],
        created_by=as_actor(actor).person,
        created_at=now,
        updated_at=now,
    )


@dataclass(frozen=True)
class EditBase:
    """What a person's edit form started from: the version number and the item's settings.

    ``meta`` holds the settings (type, language, visibility, group, licence, subjects,
    stages, skills, links) as comparable values (``item_meta``), so a save from an older
    version keeps a colleague's changes to the settings the person did not touch.
    """

    version: int
    meta: dict[str, Any]


@dataclass(frozen=True)
class ItemSaved:
    """What a save did: the item, and whether (and with whose edits) it was merged."""

    item: Item
    merged: bool = False
    merged_with: tuple[str, ...] = ()


_META_FIELDS = (
    "item_type", "language", "visibility", "group", "licence", "subjects", "stages", "skills",
    "links",
)  # fmt: skip


def item_meta(item: Item) -> dict[str, Any]:
    """The item's settings as plain, comparable values (ids, keys, sorted lists)."""
    return {
        "item_type": item.item_type,
        "language": item.language,
        "visibility": item.visibility,
        "group": item.group_id if item.visibility == Visibility.GROUP else None,
        "licence": item.licence,
        # .all(): the edit page's item has these prefetched already.
        "subjects": sorted(s.pk for s in item.subjects.all()),
        "stages": sorted(s.pk for s in item.stages.all()),
        "skills": sorted(s.key for s in item.skill_tags.all()),
        "links": [[link.url, link.title] for link in item.links.all()],
    }


def item_edit_base(item: Item) -> EditBase:
    """The base of an edit that starts now, from the item as saved."""
    return EditBase(version=item.version_number, meta=item_meta(item))


def _meta_of(values: dict[str, Any]) -> dict[str, Any]:
    group = values["group"]
    return {
        "item_type": values["item_type"],
        "language": values["language"],
        "visibility": values["visibility"],
        "group": (group.pk if group is not None else None)
        if values["visibility"] == Visibility.GROUP
        else None,
        "licence": values["licence"],
        "subjects": sorted(getattr(s, "pk", s) for s in values["subjects"]),
        "stages": sorted(getattr(s, "pk", s) for s in values["stages"]),
        "skills": sorted(resolve_skill_keys(values["skills"])),
        "links": [[link.url, link.title or link.url] for link in values["links"] or ()],
    }


def _from_meta(item: Item, name: str, value: Any) -> Any:
    """A stored setting (``item_meta``) back as the argument ``item_update`` takes."""
    if name == "group":
        return item.group if value is not None else None
    if name == "subjects":
        return list(item.subjects.all())
    if name == "stages":
        return list(item.stages.all())
    if name == "links":
        return [LinkInput(url=url, title=title) for url, title in value]
    return value


def _merge_edit(
    *, actor: Actor, item: Item, base: EditBase | None, values: dict[str, Any]
) -> tuple[dict[str, Any], tuple[str, ...], bool]:
    """Merge an edit made from an older version (or an unknown one) with what is saved now.

    Title and body merge line by line; each setting the person changed wins, each they did
    not change keeps the saved value. Overlapping edits raise EditConflict (nothing saved).
    """
    base_text: dict[str, str] = {}
    if base is not None:
        row = ItemVersion.objects.filter(item=item, number=base.version).first()
        if row is None or base.version > item.version_number:
            base = None
        else:
            base_text = {"title": row.title, "body": row.body}
    since = base.version if base is not None else 0
    editors = _editors_since(item=item, version=since, actor=actor)
    fields = merge_fields(
        base_text,
        {"title": item.title, "body": item.body},
        {"title": values["title"], "body": values["body"]},
        theirs_label=", ".join(editors) or _("saved now"),
        mine_label=_("your text"),
    )
    mine, theirs = _meta_of(values), item_meta(item)
    both_changed, taken = [], []
    merged = dict(values)
    for name in _META_FIELDS:
        if mine[name] == theirs[name]:
            continue
        if base is not None and mine[name] == base.meta.get(name):
            merged[name] = _from_meta(item, name, theirs[name])
            taken.append(name)
        elif base is None or theirs[name] != base.meta.get(name):
            both_changed.append(name)
    title, body = fields
    if not (title.merge.clean and body.merge.clean) or both_changed:
        raise EditConflict(
            version=item.version_number,
            fields=fields,
            editors=editors,
            unknown_base=base is None,
            settings=tuple(both_changed),
        )
    merged["title"], merged["body"] = title.merge.text.strip(), body.merge.text
    changed = bool(taken) or any(f.merge.text.strip() != normalise(f.mine).strip() for f in fields)
    return merged, editors, changed


def _editors_since(*, item: Item, version: int, actor: Actor) -> tuple[str, ...]:
    names: list[str] = []
    rows = (
        ItemVersion.objects.filter(item=item, number__gt=version)
        .exclude(editor_id=actor.pk)
        .select_related("editor")
        .order_by("number")
    )
    for row in rows:
        name = (row.editor.full_name or row.editor.email) if row.editor else ""
        if name and name not in names:
            names.append(name)
    return tuple(names)


def item_update(
    *,
    actor: Actor,
    item: Item,
    title: str,
    body: str,
    item_type: str,
    language: str,
    visibility: str,
    base: EditBase | None,
    group: Any = None,
    skills: Iterable[Any] = (),
    subjects: Iterable[Any] = (),
    stages: Iterable[Any] = (),
    licence: str = Licence.CC_BY,
    files: Sequence[Any] = (),
    links: Iterable[LinkInput] | None = None,
    note: str = "",
) -> ItemSaved:
    """Save an edit as a new version, from the version the person started from (``base``).

    Saved since by someone else: merged (title and body line by line, settings one by one);
    overlapping: nothing is saved and :class:`EditConflict` carries both texts. ``base`` None
    (the form's token could not be read) merges from an empty text, so nothing is lost.
    """
    if not can_edit_item(actor, item):
        raise PermissionDenied(_("You cannot edit this item."))
    for name, text in (("title", title), ("body", body)):
        if has_conflict_markers(text):
            raise ValidationError({name: _conflict_markers_left()})
    with _atomic_with_files() as stored:
        # The row lock makes concurrent saves take turns: each sees the version the other saved.
        locked = Item.objects.select_for_update().get(pk=item.pk)
        values: dict[str, Any] = {
            "title": title, "body": body, "item_type": item_type, "language": language,
            "visibility": visibility, "group": group, "licence": licence,
            "subjects": list(subjects), "stages": list(stages), "skills": list(skills),
            "links": list(links) if links is not None else None,
        }  # fmt: skip
        merged = False
        merged_with: tuple[str, ...] = ()
        if base is None or base.version != locked.version_number:
            if values["links"] is None:
                values["links"] = _from_meta(locked, "links", item_meta(locked)["links"])
            values, merged_with, merged = _merge_edit(
                actor=actor, item=locked, base=base, values=values
            )
        errors = _validate_fields(
            actor=actor, school=locked.school, title=values["title"], body=values["body"],
            item_type=values["item_type"], language=values["language"],
            visibility=values["visibility"], group=values["group"], licence=values["licence"],
            origin_url=locked.origin_url, kept_group_id=locked.group_id,
        )  # fmt: skip
        prepared = _prepare_files(files, errors)
        if errors:
            raise ValidationError(errors)
        item.version_number = locked.version_number
        _apply_update(actor=actor, item=item, **values)
        _store_files(actor=actor, item=item, prepared=prepared, stored=stored)
        _record_version(item=item, actor=actor, note=note)
        search.index_item(item)
    return ItemSaved(item=item, merged=merged, merged_with=merged_with if merged else ())


def _conflict_markers_left() -> str:
    return _(
        "The text still holds the lines that mark where the two versions differ (<<<<<<<, "
        "======= and >>>>>>>). Keep what you want, remove those lines, then save."
    )


def _apply_update(*, actor: Actor, item: Item, title: str, body: str, item_type: str,
                  language: str, visibility: str, group: Any, skills: Iterable[Any],
                  subjects: Iterable[Any], stages: Iterable[Any], licence: str,
                  links: Iterable[LinkInput] | None) -> None:  # fmt: skip
    item.title = title.strip()
    item.body = body
    item.body_text = markdown.plain_text(body)
    item.item_type = item_type
    item.language = language
    item.visibility = visibility
    item.group = group if visibility == Visibility.GROUP else None
    item.licence = licence
    item.updated_at = timezone.now()
    item.save()
    _set_skills(item, skills)
    item.subjects.set(list(subjects))
    item.stages.set(list(stages))
    if links is not None:
        _set_links(item, links)


@transaction.atomic
def item_restore_version(*, actor: Actor, item: Item, number: int) -> Item:
    """Make an old version the current text again, as a new version (history is kept)."""
    if not can_edit_item(actor, item):
        raise PermissionDenied(_("You cannot edit this item."))
    version = ItemVersion.objects.filter(item=item, number=number).first()
    if version is None:
        raise ValidationError(_("That version does not exist."))
    item.title = version.title
    item.body = version.body
    item.body_text = markdown.plain_text(version.body)
    item.licence = version.licence
    item.updated_at = timezone.now()
    item.save()
    _record_version(
        item=item, actor=actor, note=_("Restored version %(n)s") % {"n": version.number}
    )
    return item


@transaction.atomic
def item_publish_from_source(
    *,
    actor: Actor,
    title: str,
    body_markdown: str,
    item_type: str,
    visibility: str,
    school: Any,
    origin_label: str,
    origin_url: str,
    skills: Iterable[Any] = (),
    language: str = "sv",
    group: Any = None,
) -> Item:
    """Publish something made elsewhere (a proven-practice record, an accepted answer, meeting
    material) to the library in one step, keeping a link to where it came from."""
    return item_create(
        actor=actor,
        school=school,
        title=title,
        body=body_markdown,
        item_type=item_type,
        language=language,
        visibility=visibility,
        group=group,
        skills=skills,
        origin_label=origin_label,
        origin_url=origin_url,
        note=_("Published from %(origin)s") % {"origin": origin_label} if origin_label else "",
    )


@transaction.atomic
def attachment_remove(*, actor: Actor, attachment: Attachment) -> None:
    if not can_edit_item(actor, attachment.item):
        raise PermissionDenied(_("You cannot edit this item."))
    files = [attachment.file, attachment.display]
    attachment.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files if f])


@transaction.atomic
def item_appreciate(*, actor: Actor, item: Item, helped: bool = True) -> None:
    """Mark (or unmark) "this helped me". Authors cannot appreciate their own items."""
    if not can_view_item(actor, item):
        raise PermissionDenied
    if item.authors.filter(pk=actor.pk).exists():
        raise ValidationError(_("You cannot mark your own item."))
    if helped:
        Appreciation.objects.get_or_create(item=item, user=as_actor(actor).person)
    else:
        Appreciation.objects.filter(item=item, user_id=actor.pk).delete()


@transaction.atomic
def item_tried(*, actor: Actor, item: Item, comment: str) -> TriedIt:
    if not can_view_item(actor, item):
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Write a few words about how it went.")})
    if len(comment) > 500:
        raise ValidationError({"comment": _("At most 500 characters.")})
    return TriedIt.objects.create(item=item, user=as_actor(actor).person, comment=comment)


@transaction.atomic
def collection_save(
    *,
    actor: Actor,
    school: Any,
    title: str,
    intro: str,
    item_ids: Sequence[int],
    is_start_here: bool = False,
    collection: Collection | None = None,
) -> Collection:
    """Create or update a collection: its title, intro and ordered items."""
    if not can_curate_collections(actor, school):
        raise PermissionDenied(_("Leaders and facilitators keep the school's collections."))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the collection a title.")]
    if len(intro) > 2000:
        errors["intro"] = [_("Keep the introduction short (at most 2,000 characters).")]
    items = {
        i.pk: i for i in Item.objects.filter(pk__in=list(item_ids)).prefetch_related("authors")
    }
    for pk in item_ids:
        item = items.get(pk)
        if item is None or not can_view_item(actor, item) or item.visibility == "private":
            errors.setdefault("items", []).append(_("One of the items cannot be added."))
            break
    if errors:
        raise ValidationError(errors)
    if is_start_here:
        others = Collection.objects.filter(school=school, is_start_here=True)
        if collection is not None:
            others = others.exclude(pk=collection.pk)
        others.update(is_start_here=False)
    if collection is None:
        collection = Collection(school=school, created_by=as_actor(actor).person)
    collection.title = title.strip()
    collection.intro = intro.strip()
    collection.is_start_here = is_start_here
    collection.updated_at = timezone.now()
    collection.save()
    collection.entries.all().delete()
    CollectionEntry.objects.bulk_create(
        CollectionEntry(collection=collection, item_id=pk, position=n)
        for n, pk in enumerate(dict.fromkeys(item_ids))
    )
    return collection


@transaction.atomic
def collection_add_item(*, actor: Actor, collection: Collection, item: Item) -> None:
    if not can_curate_collections(actor, collection.school):
        raise PermissionDenied
    if not can_view_item(actor, item) or item.visibility == Visibility.PRIVATE:
        raise ValidationError(_("A draft cannot be added to a collection."))
    last = collection.entries.aggregate(m=Max("position"))["m"]
    CollectionEntry.objects.get_or_create(
        collection=collection, item=item, defaults={"position": (last or 0) + 1}
    )


@transaction.atomic
def start_here_visit_record(*, actor: Actor, school: Any) -> None:
    """The person opened their school's "Start here" collection (once per school): a step of
    their first week on the home page is done."""
    from kollegium.core.homepage import home_changed
    from kollegium.library.models import StartHereVisit

    if school is None or not actor.is_authenticated or actor.membership_at(school.pk) is None:
        return
    _visit, created = StartHereVisit.objects.get_or_create(user_id=actor.pk, school=school)
    if created:
        home_changed(user_ids=[actor.pk])

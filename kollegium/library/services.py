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

MAX_BODY_LENGTH = 100_000
MAX_FILES_PER_SAVE = 10


@dataclass(frozen=True)
class LinkInput:
    url: str
    title: str


def _validate_fields(
    *,
    actor: Any,
    school: Any,
    title: str,
    body: str,
    item_type: str,
    language: str,
    visibility: str,
    group: Any,
    licence: str,
    origin_url: str,
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
        elif group.pk not in group_ids_for_user(actor):
            add("group", _("You can only share with a group you are in."))
    if origin_url and not _safe_origin(origin_url):
        add("origin_url", _("The link must start with https://, http:// or /."))
    return errors


def _safe_origin(url: str) -> bool:
    if url.startswith("/") and not url.startswith("//"):
        return True
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _record_version(*, item: Item, actor: Any, note: str) -> ItemVersion:
    item.version_number += 1
    Item.objects.filter(pk=item.pk).update(version_number=item.version_number)
    return ItemVersion.objects.create(
        item=item,
        number=item.version_number,
        title=item.title,
        body=item.body,
        licence=item.licence,
        note=note[:200],
        editor=actor,
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


def _store_files(*, actor: Any, item: Item, prepared: Sequence[Any], stored: list[str]) -> None:
    for p in prepared:
        library_files.store(item=item, prepared=p, actor=actor, stored=stored)


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
    actor: Any,
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
        item.authors.add(actor)
        _set_skills(item, skills)
        item.subjects.set(list(subjects))
        item.stages.set(list(stages))
        _set_links(item, links)
        _store_files(actor=actor, item=item, prepared=prepared, stored=stored)
        _record_version(item=item, actor=actor, note=note or _("First version"))
        search.index_item(item)
    return item


def _create_item(*, actor: Any, school: Any, title: str, body: str, item_type: str,
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
        created_by=actor,
        created_at=now,
        updated_at=now,
    )


def item_update(
    *,
    actor: Any,
    item: Item,
    title: str,
    body: str,
    item_type: str,
    language: str,
    visibility: str,
    group: Any = None,
    skills: Iterable[Any] = (),
    subjects: Iterable[Any] = (),
    stages: Iterable[Any] = (),
    licence: str = Licence.CC_BY,
    files: Sequence[Any] = (),
    links: Iterable[LinkInput] | None = None,
    note: str = "",
) -> Item:
    if not can_edit_item(actor, item):
        raise PermissionDenied(_("You cannot edit this item."))
    errors = _validate_fields(
        actor=actor,
        school=item.school,
        title=title,
        body=body,
        item_type=item_type,
        language=language,
        visibility=visibility,
        group=group,
        licence=licence,
        origin_url=item.origin_url,
    )
    prepared = _prepare_files(files, errors)
    if errors:
        raise ValidationError(errors)
    with _atomic_with_files() as stored:
        _apply_update(
            actor=actor, item=item, title=title, body=body, item_type=item_type,
            language=language, visibility=visibility, group=group, skills=skills,
            subjects=subjects, stages=stages, licence=licence, links=links,
        )  # fmt: skip
        _store_files(actor=actor, item=item, prepared=prepared, stored=stored)
        _record_version(item=item, actor=actor, note=note)
        search.index_item(item)
    return item


def _apply_update(*, actor: Any, item: Item, title: str, body: str, item_type: str,
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
def item_restore_version(*, actor: Any, item: Item, number: int) -> Item:
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
    actor: Any,
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
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    if not can_edit_item(actor, attachment.item):
        raise PermissionDenied(_("You cannot edit this item."))
    files = [attachment.file, attachment.display]
    attachment.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files if f])


@transaction.atomic
def item_appreciate(*, actor: Any, item: Item, helped: bool = True) -> None:
    """Mark (or unmark) "this helped me". Authors cannot appreciate their own items."""
    if not can_view_item(actor, item):
        raise PermissionDenied
    if item.authors.filter(pk=actor.pk).exists():
        raise ValidationError(_("You cannot mark your own item."))
    if helped:
        Appreciation.objects.get_or_create(item=item, user=actor)
    else:
        Appreciation.objects.filter(item=item, user=actor).delete()


@transaction.atomic
def item_tried(*, actor: Any, item: Item, comment: str) -> TriedIt:
    if not can_view_item(actor, item):
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Write a few words about how it went.")})
    if len(comment) > 500:
        raise ValidationError({"comment": _("At most 500 characters.")})
    return TriedIt.objects.create(item=item, user=actor, comment=comment)


@transaction.atomic
def collection_save(
    *,
    actor: Any,
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
        collection = Collection(school=school, created_by=actor)
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
def collection_add_item(*, actor: Any, collection: Collection, item: Item) -> None:
    if not can_curate_collections(actor, collection.school):
        raise PermissionDenied
    if not can_view_item(actor, item) or item.visibility == Visibility.PRIVATE:
        raise ValidationError(_("A draft cannot be added to a collection."))
    last = collection.entries.aggregate(m=Max("position"))["m"]
    CollectionEntry.objects.get_or_create(
        collection=collection, item=item, defaults={"position": (last or 0) + 1}
    )

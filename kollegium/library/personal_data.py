"""The library's personal data (issue 12): items, versions, files, collections, reactions.

At erasure the person's drafts (items only they can see) go, files included; what they
published is an official record and stays, with the person replaced by the role and their
name in the text too, unless the owner decided that it goes as well. The search index is
rebuilt for every item whose text changed, so no old word of the name stays findable.
"""

from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet

from kollegium.core.audience import register_audience
from kollegium.core.registry import Erasure, PersonalData, register_personal_data
from kollegium.library.models import Attachment, Item, Visibility
from kollegium.library.permissions import item_audience

_SHARED = "Shared in the library; the person is replaced by the role and their name in the text."


def _delete_files(attachments: QuerySet[Attachment]) -> None:
    # Files first: if the erasure stops after this, running it again removes the rows; the
    # other way round a stop would leave files no row points at.
    for name in attachments.values_list("file", "display"):
        for path in name:
            if path:
                default_storage.delete(path)


def _erase_items(erasure: Erasure) -> int:
    person = erasure.person
    gone: QuerySet[Item] = Item.objects.filter(created_by=person)
    if erasure.records != "delete":
        gone = gone.filter(visibility=Visibility.PRIVATE)
    _delete_files(Attachment.objects.filter(item__in=gone))
    count = 0
    for item in gone.only("pk"):
        item.delete()  # one by one: the search index and vocabulary follow (signals)
        count += 1
    for old, new in erasure.replacements:
        holding = Item.objects.filter(
            Q(title__contains=old) | Q(body__contains=old) | Q(body_text__contains=old)
        )
        for item in holding:
            item.title = item.title.replace(old, new)
            item.body = item.body.replace(old, new)
            item.body_text = item.body_text.replace(old, new)
            item.save(update_fields=["title", "body", "body_text"])  # reindexed on save
            count += 1
    return count


def _items(person: Any) -> Any:
    return (
        Item.objects.filter(Q(created_by=person) | Q(authors=person))
        .distinct()
        .order_by("pk")
        .values("title", "body", "item_type", "visibility", "language", "created_at", "updated_at")
    )


register_personal_data(
    PersonalData(
        model="library.Item",
        person_fields=("created_by", "authors"),
        export=_items,
        erase=_erase_items,
        official=True,
        order=40,
    ),
    PersonalData(
        model="library.ItemVersion",
        person_fields=("editor",),
        export_fields=("item__title", "number", "title", "note", "created_at"),
        erase="keep",
        kept=_SHARED,
        text_fields=("title", "body", "note"),
        official=True,
    ),
    PersonalData(
        model="library.Attachment",
        person_fields=("uploaded_by",),
        export_fields=("item__title", "original_name", "mime_type", "size", "created_at"),
        erase="keep",
        kept="Part of an item: it goes with the person's drafts (the file too) and stays with "
        "what they published.",
        text_fields=("original_name",),
    ),
    PersonalData(
        model="library.Collection",
        person_fields=("created_by",),
        export_fields=("title", "intro", "created_at"),
        erase="keep",
        kept=_SHARED,
        text_fields=("title", "intro"),
    ),
    PersonalData(
        model="library.Appreciation",
        person_fields=("user",),
        export_fields=("item__title", "created_at"),
    ),
    PersonalData(
        model="library.TriedIt",
        person_fields=("user",),
        export_fields=("item__title", "comment", "created_at"),
        text_fields=("comment",),
    ),
    PersonalData(
        model="library.StartHereVisit",
        person_fields=("user",),
        export_fields=("school__name", "first_at"),
    ),
)

# "Who can see this?" on an item's page, from the rule that enforces it (core/audience.py).
register_audience("library.Item", item_audience)

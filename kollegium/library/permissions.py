"""The one place that decides who may see and change library items and collections.

``visible_items_q`` (SQL, used by every list, count and search) and ``can_view_item``
(Python, used on single objects) state the same rule twice; the tests check them against
each other for every persona and visibility level.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kollegium.core.audience import Audience, Part, names
from kollegium.groups.selectors import group_ids_for_user as group_ids
from kollegium.library.models import Attachment, Collection, Item, Visibility
from kollegium.organisations.actor import Actor, as_actor, on_forget
from kollegium.organisations.models import Organisation
from kollegium.organisations.permissions import can_facilitate_at
from kollegium.organisations.selectors import (
    membership_at,
    network_school_ids_for_user,
    school_ids_for_user,
)

_group_ids: WeakKeyDictionary[Actor, set[int]] = WeakKeyDictionary()


def _forget(actor: Actor) -> None:
    _group_ids.pop(actor, None)


on_forget(_forget)


def group_ids_for_user(user: Actor) -> set[int]:
    """The learning groups the person is a member of, read once per Actor."""
    actor = as_actor(user)
    ids = _group_ids.get(actor)
    if ids is None:
        ids = set(group_ids(actor))
        _group_ids[actor] = ids
    return ids


def visible_items_q(user: Actor) -> Q:
    """Items ``user`` may see, as a filter for ``Item`` querysets."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    authored = Item.authors.through.objects.filter(user_id=user.pk).values("item_id")
    return (
        Q(visibility=Visibility.INSTALLATION)
        | Q(visibility=Visibility.SCHOOL, school_id__in=sorted(school_ids_for_user(user)))
        | Q(visibility=Visibility.NETWORK, school_id__in=sorted(network_school_ids_for_user(user)))
        | Q(visibility=Visibility.GROUP, group_id__in=sorted(group_ids_for_user(user)))
        | Q(pk__in=authored)
    )


def is_author(user: Actor, item: Item) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(item, "_author_ids", None)
    if cached is None:
        cached = {a.pk for a in item.authors.all()}
        item._author_ids = cached  # type: ignore[attr-defined]
    return user.pk in cached


def can_view_item(user: Actor, item: Item) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_author(user, item):
        return True
    match item.visibility:
        case Visibility.INSTALLATION:
            return True
        case Visibility.SCHOOL:
            return item.school_id in school_ids_for_user(user)
        case Visibility.NETWORK:
            return item.school_id in network_school_ids_for_user(user)
        case Visibility.GROUP:
            return item.group_id is not None and item.group_id in group_ids_for_user(user)
    return False


def item_audience(item: Item) -> Audience:
    """Who can see the item, in words, part by part as ``can_view_item`` decides it (the
    tests check the two agree for every persona and visibility)."""
    authors = list(item.authors.all())
    parts = [
        Part(
            _("its authors (%(names)s)") % {"names": names(authors)}
            if authors
            else _("its authors"),
            lambda user: is_author(user, item),
        )
    ]
    school = item.school.display_name if item.school_id else ""
    match item.visibility:
        case Visibility.INSTALLATION:
            parts.append(Part(_("everyone on Kollegium"), lambda user: True))
        case Visibility.SCHOOL:
            parts.append(
                Part(
                    _("everyone at %(school)s") % {"school": school},
                    lambda user: item.school_id in school_ids_for_user(user),
                )
            )
        case Visibility.NETWORK:
            parts.append(
                Part(
                    _("everyone at %(school)s and at the schools in its networks")
                    % {"school": school},
                    lambda user: item.school_id in network_school_ids_for_user(user),
                )
            )
        case Visibility.GROUP if item.group_id is not None:
            parts.append(
                Part(
                    _("the members of the group %(group)s")
                    % {"group": getattr(item.group, "name", "")},
                    lambda user: item.group_id in group_ids_for_user(user),
                )
            )
    return Audience(tuple(parts))


def can_edit_item(user: Actor, item: Item) -> bool:
    """Authors edit their items; leaders and facilitators of the school help curate shared ones."""
    if is_author(user, item):
        return True
    if item.visibility == Visibility.PRIVATE or not can_view_item(user, item):
        return False
    return can_facilitate_at(user, item.school)


def can_share_at(user: Actor, school: Organisation | None) -> bool:
    return school is not None and membership_at(user, school.pk) is not None


def can_curate_collections(user: Actor, school: Organisation | None) -> bool:
    return school is not None and can_facilitate_at(user, school)


def can_view_collection(user: Actor, collection: Collection) -> bool:
    return collection.school_id in school_ids_for_user(user)


def get_item_for_user_or_404(user: Actor, pk: int, queryset: Any = None) -> Item:
    item = get_object_or_404(queryset if queryset is not None else Item.objects.all(), pk=pk)
    if not can_view_item(user, item):
        # 404, not 403: whether a private item exists is nobody else's business.
        raise Http404
    return item


def get_attachment_for_user_or_404(user: Actor, pk: int) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("item", "item__school"), pk=pk)
    if not can_view_item(user, attachment.item):
        raise Http404
    return attachment


def get_collection_for_user_or_404(user: Actor, pk: int) -> Collection:
    collection = get_object_or_404(Collection.objects.select_related("school"), pk=pk)
    if not can_view_collection(user, collection):
        raise Http404
    return collection

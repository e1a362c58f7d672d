"""Who may see and change what in scheduling.

A timetable's details (subjects, groups, rooms) are the owner's alone. Colleagues at the same
school only ever see that someone is busy, through the free-time finder. Dedicated time is
visible to everyone at the school and placed by its leaders.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Organisation
from kollegium.organisations.permissions import can_manage_school, can_view_school
from kollegium.organisations.selectors import school_ids_for_user

from .models import CalendarFeed, DedicatedTime, TimetableEntry, TimetableImport


def can_see_busy_times_of(actor: Actor, user_school_ids: set[int]) -> bool:
    """Busy times of a person are visible to anyone who shares a school with them."""
    return bool(school_ids_for_user(actor) & user_school_ids)


def can_manage_dedicated_time(actor: Actor, school: Organisation | None) -> bool:
    return school is not None and can_manage_school(actor, school)


def get_own_entry_or_404(actor: Actor, entry_id: int) -> TimetableEntry:
    return get_object_or_404(TimetableEntry, pk=entry_id, user_id=actor.pk)


def get_own_import_or_404(actor: Actor, import_id: int) -> TimetableImport:
    return get_object_or_404(TimetableImport, pk=import_id, user_id=actor.pk)


def get_own_feed_or_404(actor: Actor, feed_id: int) -> CalendarFeed:
    return get_object_or_404(CalendarFeed, pk=feed_id, user_id=actor.pk)


def get_dedicated_time_for_manager_or_404(actor: Actor, item_id: int) -> DedicatedTime:
    item = get_object_or_404(DedicatedTime.objects.select_related("school"), pk=item_id)
    if not can_view_school(actor, item.school) or not can_manage_school(actor, item.school):
        raise Http404
    return item

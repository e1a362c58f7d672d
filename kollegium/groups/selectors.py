"""Reads about learning groups, always scoped to the acting person."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kollegium.groups.models import GroupMembership


def group_ids_for_user(user: Any) -> QuerySet:
    """Ids of the learning groups the person is a member of, as a subquery-able queryset.

    Use as ``Model.objects.filter(group_id__in=group_ids_for_user(user))``. Anonymous
    visitors get an empty queryset.
    """
    if not getattr(user, "is_authenticated", False):
        return GroupMembership.objects.none().values_list("group_id", flat=True)
    return GroupMembership.objects.filter(user_id=user.pk).values_list("group_id", flat=True)

"""Reads: how a person gets each kind of notification, and the settings page's rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from kollegium.core.models import Notification
from kollegium.notifications.kinds import Area, Kind, catalogue, kind_for, visible_kinds
from kollegium.notifications.models import Preference
from kollegium.organisations.actor import Actor, as_actor


class Choices(defaultdict[str, str]):
    """A person's delivery per kind: their choice, or the kind's default."""

    def __missing__(self, key: str) -> str:
        return kind_for(key).default


def choices_for(user: Any) -> Choices:
    """One query: the person's choices, falling back to each kind's default."""
    chosen = Choices()
    for kind, delivery in Preference.objects.filter(user=user).values_list("kind", "delivery"):
        chosen[kind] = delivery
    return chosen


def delivery_for(user: Any, kind: str) -> str:
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True)
    return next(iter(chosen), None) or kind_for(kind).default


@dataclass(frozen=True)
class SettingsRow:
    kind: Kind
    delivery: str


@dataclass(frozen=True)
class SettingsArea:
    area: Area
    rows: list[SettingsRow]


def settings_for(actor: Actor) -> list[SettingsArea]:
    """The settings page: the kinds this person can get, by area, with their current choice."""
    person = as_actor(actor)
    chosen = choices_for(person.person)
    kinds = visible_kinds(is_staff=person.is_installation_admin)
    areas = []
    for area in catalogue().areas:
        rows = [SettingsRow(k, chosen[k.key]) for k in kinds if k.area == area.key]
        if rows:
            areas.append(SettingsArea(area, rows))
    return areas


PREVIEW_DAYS = 7
PREVIEW_LIMIT = 30


def preview_notifications(actor: Actor, *, now: datetime | None = None) -> list[Notification]:
    """The person's notifications of the last week (at most 30), for the digest's example."""
    since = (now or timezone.now()) - timedelta(days=PREVIEW_DAYS)
    return list(
        Notification.objects.filter(recipient_id=actor.pk, created_at__gte=since).order_by(
            "-created_at", "-pk"
        )[:PREVIEW_LIMIT]
    )

"""Reads for the privacy pages, each scoped to the acting person."""

from __future__ import annotations

from django.db.models import QuerySet

from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Membership, Organisation
from kollegium.privacy.models import (
    DataExport,
    ErasureRequest,
    OwnerPrivacySettings,
    RetentionRun,
)

RECENT = 10


def exports_for(actor: Actor) -> QuerySet[DataExport]:
    return DataExport.objects.filter(person_id=actor.pk).order_by("-created_at", "-id")[:RECENT]


def erasure_schools_for(actor: Actor) -> list[Organisation]:
    """The schools whose people the person may erase."""
    actor = as_actor(actor)
    return [m.school for m in actor.memberships if m.manages_school]


def rule_owners_for(actor: Actor) -> list[Organisation]:
    return list(as_actor(actor).staff_owners)


def people_at(school: Organisation, actor: Actor) -> QuerySet[Membership]:
    """Everyone at the school but the acting person, also those deactivated when they left
    (an erased person has no place at any school)."""
    return (
        Membership.objects.filter(school=school)
        .exclude(user_id=actor.pk)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )


def erasures_at(school: Organisation) -> QuerySet[ErasureRequest]:
    return (
        ErasureRequest.objects.filter(school=school)
        .select_related("person", "requested_by")
        .order_by("-created_at", "-id")[:50]
    )


def settings_for_owner(owner_id: int | None) -> OwnerPrivacySettings:
    """The owner's rules, or the defaults (an unsaved row) when it has set none."""
    if owner_id is None:
        return OwnerPrivacySettings()
    found = OwnerPrivacySettings.objects.filter(owner_id=owner_id).first()
    return found or OwnerPrivacySettings(owner_id=owner_id)


def recent_runs() -> QuerySet[RetentionRun]:
    return RetentionRun.objects.order_by("-started_at", "-id")[:RECENT]

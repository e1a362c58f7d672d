"""Creating and changing learning groups and their members."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.core.homepage import home_changed
from kollegium.core.services import audit_record
from kollegium.groups.models import (
    GroupMembership,
    LearningGroup,
    Material,
    MethodGuide,
    MinutesSharing,
)
from kollegium.groups.permissions import (
    can_create_group_at,
    can_manage_group,
    can_take_part,
    forget_group_roles,
)
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import (
    DevelopmentFocus,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
)

MAX_GROUP_DAYS = 400
MAX_MEMBERS = 60


def allowed_member_school_ids(school: Organisation, network: Network | None) -> set[int]:
    ids = {school.pk}
    if network is not None:
        ids |= set(
            NetworkMembership.objects.filter(network=network).values_list("school_id", flat=True)
        )
    return ids


def _check_members(
    member_ids: Iterable[int], school: Organisation, network: Network | None
) -> list[int]:
    ids = sorted({int(pk) for pk in member_ids})
    if len(ids) > MAX_MEMBERS:
        raise ValidationError(
            {"members": _("A group can have at most %(n)s members.") % {"n": MAX_MEMBERS}}
        )
    allowed = allowed_member_school_ids(school, network)
    found = set(
        Membership.objects.filter(user_id__in=ids, school_id__in=allowed).values_list(
            "user_id", flat=True
        )
    )
    if set(ids) - found:
        raise ValidationError(
            {"members": _("Members must work at the group's school or at a school in its network.")}
        )
    return ids


def _check_period(starts_on: date, ends_on: date) -> None:
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The end date must be after the start date.")})
    if (ends_on - starts_on).days > MAX_GROUP_DAYS:
        raise ValidationError(
            {"ends_on": _("Plan a group for at most a school year (about 13 months) at a time.")}
        )


@transaction.atomic
def group_create(
    *,
    actor: Actor,
    school: Organisation,
    name: str,
    guide: MethodGuide,
    starts_on: date,
    ends_on: date,
    member_ids: Iterable[int] = (),
    purpose: str = "",
    focus: DevelopmentFocus | None = None,
    network: Network | None = None,
    interval_days: int | None = None,
    minutes_sharing: str = MinutesSharing.MEMBERS,
) -> LearningGroup:
    """Create a group; the person creating it becomes its facilitator."""
    if not can_create_group_at(actor, school.pk):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    if guide.school_id not in (None, school.pk):
        raise ValidationError({"guide": _("Choose one of the method guides of your school.")})
    if focus is not None and focus.school_id != school.pk:
        raise ValidationError({"focus": _("Choose one of your school's development focus areas.")})
    if (
        network is not None
        and not NetworkMembership.objects.filter(network=network, school=school).exists()
    ):
        raise ValidationError({"network": _("Your school is not part of that network.")})
    if minutes_sharing not in MinutesSharing.values:
        raise ValidationError({"minutes_sharing": _("Choose who may read the minutes.")})
    _check_period(starts_on, ends_on)
    ids = [pk for pk in _check_members(member_ids, school, network) if pk != actor.pk]
    interval = interval_days or guide.parsed.interval_days
    if not 1 <= interval <= 366:
        raise ValidationError({"interval_days": _("Choose between 1 and 366 days.")})

    group = LearningGroup.objects.create(
        name=name,
        school=school,
        network=network,
        guide=guide,
        purpose=(purpose or "").strip(),
        focus=focus,
        interval_days=interval,
        starts_on=starts_on,
        ends_on=ends_on,
        minutes_sharing=minutes_sharing,
        created_by=as_actor(actor).person,
    )
    GroupMembership.objects.create(
        group=group, user=as_actor(actor).person, role=GroupMembership.Role.FACILITATOR
    )
    GroupMembership.objects.bulk_create([GroupMembership(group=group, user_id=pk) for pk in ids])
    home_changed(user_ids=ids)
    forget_group_roles(actor)
    audit_record(
        actor=actor,
        action="groups.group_created",
        target=group,
        school=school,
        data={"guide": guide.slug, "version": guide.version, "members": len(ids) + 1},
    )
    return group


@transaction.atomic
def group_update(
    *,
    actor: Actor,
    group: LearningGroup,
    name: str,
    purpose: str,
    focus: DevelopmentFocus | None,
    interval_days: int,
    starts_on: date,
    ends_on: date,
    minutes_sharing: str,
    add_ids: Iterable[int] = (),
    remove_ids: Iterable[int] = (),
) -> LearningGroup:
    """The settings page's one action: the group's description, sharing and members, saved
    together or not at all (a refused member change leaves the new name unsaved too)."""
    if not can_manage_group(actor, group):
        raise PermissionDenied
    values = _clean_settings(
        group,
        name=name,
        purpose=purpose,
        focus=focus,
        interval_days=interval_days,
        starts_on=starts_on,
        ends_on=ends_on,
        minutes_sharing=minutes_sharing,
    )
    _change_members(actor, group, add_ids=add_ids, remove_ids=remove_ids)
    return _save_settings(actor, group, values)


def _clean_settings(
    group: LearningGroup,
    *,
    name: str,
    purpose: str,
    focus: DevelopmentFocus | None,
    interval_days: int,
    starts_on: date,
    ends_on: date,
    minutes_sharing: str,
) -> dict[str, Any]:
    """The settings checked, nothing changed yet (not even the group object in memory)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    if focus is not None and focus.school_id != group.school_id:
        raise ValidationError({"focus": _("Choose one of your school's development focus areas.")})
    if minutes_sharing not in MinutesSharing.values:
        raise ValidationError({"minutes_sharing": _("Choose who may read the minutes.")})
    if not 1 <= interval_days <= 366:
        raise ValidationError({"interval_days": _("Choose between 1 and 366 days.")})
    _check_period(starts_on, ends_on)
    return {
        "name": name,
        "purpose": (purpose or "").strip(),
        "focus": focus,
        "interval_days": interval_days,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "minutes_sharing": minutes_sharing,
    }


def _save_settings(actor: Actor, group: LearningGroup, values: dict[str, Any]) -> LearningGroup:
    changed_sharing = group.minutes_sharing != values["minutes_sharing"]
    for field, value in values.items():
        setattr(group, field, value)
    group.save()
    if changed_sharing:
        audit_record(
            actor=actor,
            action="groups.minutes_sharing_changed",
            target=group,
            school=group.school,
            data={"minutes_sharing": group.minutes_sharing},
        )
    return group


@transaction.atomic
def group_members_update(
    *,
    actor: Actor,
    group: LearningGroup,
    add_ids: Iterable[int] = (),
    remove_ids: Iterable[int] = (),
) -> None:
    """Add and remove members. A group always keeps at least one facilitator."""
    if not can_manage_group(actor, group):
        raise PermissionDenied
    _change_members(actor, group, add_ids=add_ids, remove_ids=remove_ids)


def _change_members(
    actor: Actor, group: LearningGroup, *, add_ids: Iterable[int], remove_ids: Iterable[int]
) -> None:
    network = group.network
    adding = _check_members(add_ids, group.school, network)
    removing = {int(pk) for pk in remove_ids}
    existing = set(group.memberships.values_list("user_id", flat=True))
    new = [pk for pk in adding if pk not in existing and pk not in removing]
    if len(existing) + len(new) - len(removing & existing) > MAX_MEMBERS:
        raise ValidationError(
            {"members": _("A group can have at most %(n)s members.") % {"n": MAX_MEMBERS}}
        )
    facilitators = set(
        group.memberships.filter(role=GroupMembership.Role.FACILITATOR).values_list(
            "user_id", flat=True
        )
    )
    if facilitators and facilitators <= removing:
        raise ValidationError({"members": _("The group needs at least one facilitator.")})
    GroupMembership.objects.bulk_create([GroupMembership(group=group, user_id=pk) for pk in new])
    home_changed(user_ids=new)
    if removing:
        GroupMembership.objects.filter(group=group, user_id__in=removing).delete()
    if actor.pk in removing or actor.pk in new:
        forget_group_roles(actor)
    if new or removing:
        audit_record(
            actor=actor,
            action="groups.members_changed",
            target=group,
            school=group.school,
            data={"added": new, "removed": sorted(removing & existing)},
        )


def eligible_members(group_or_school: LearningGroup | Organisation, network: Network | None = None):
    """People who may join: at the school or, for a network group, at its network's schools."""
    if isinstance(group_or_school, LearningGroup):
        school, network = group_or_school.school, group_or_school.network
    else:
        school = group_or_school
    allowed = allowed_member_school_ids(school, network)
    return (
        User.objects.filter(memberships__school_id__in=allowed, is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


@transaction.atomic
def material_add(
    *, actor: Actor, group: LearningGroup, title: str, url: str = "", description: str = ""
) -> Material:
    if not can_take_part(actor, group):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the material a title.")})
    url = (url or "").strip()
    description = (description or "").strip()
    if not url and not description:
        raise ValidationError({"url": _("Give a link or a short description.")})
    if url and not url.lower().startswith(("https://", "http://")):
        raise ValidationError({"url": _("Enter a web address starting with https://.")})
    return Material.objects.create(
        group=group, title=title, url=url, description=description, added_by=as_actor(actor).person
    )

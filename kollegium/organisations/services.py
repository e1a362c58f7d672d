"""Writes about schools, teams, networks, roles and focus areas. Permission + change + audit."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kollegium.core.services import audit_record
from kollegium.organisations.models import (
    DevelopmentFocus,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Role,
    Team,
    TeamMembership,
)
from kollegium.organisations.permissions import (
    can_assign_role,
    can_manage_network,
    can_manage_school,
)


def _require_manager(actor: Any, school: Organisation) -> None:
    if not can_manage_school(actor, school):
        raise PermissionDenied(_("Only the school's leaders can do that."))


@transaction.atomic
def membership_set_role(*, actor: Any, membership: Membership, role: str) -> Membership:
    school = membership.school
    if role not in Role.values:
        raise ValidationError(_("Choose a valid role."))
    if not can_assign_role(actor, school, role):
        raise PermissionDenied(_("Only the school's leaders can change roles."))
    leaders_left = (
        Membership.objects.filter(school=school, role__in=[Role.LEADER, Role.ADMINISTRATOR])
        .exclude(pk=membership.pk)
        .exists()
    )
    if (
        membership.manages_school
        and role not in (Role.LEADER, Role.ADMINISTRATOR)
        and not leaders_left
    ):
        raise ValidationError(_("A school needs at least one leader or administrator."))
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="membership.role_changed",
        target=membership,
        school=school,
        data={"user": membership.user_id, "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, membership: Membership) -> None:
    school = membership.school
    _require_manager(actor, school)
    if membership.user_id == actor.pk:
        raise ValidationError(_("You cannot remove yourself from the school."))
    TeamMembership.objects.filter(user=membership.user, team__school=school).delete()
    audit_record(
        actor=actor,
        action="membership.removed",
        target=membership,
        school=school,
        data={"user": membership.user_id, "role": membership.role},
    )
    membership.delete()


def _clean_name(name: str, *, field: str = "name") -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ValidationError({field: _("Enter a name.")})
    return cleaned


@transaction.atomic
def team_create(*, actor: Any, school: Organisation, name: str, kind: str) -> Team:
    _require_manager(actor, school)
    name = _clean_name(name)
    if kind not in Team.Kind.values:
        raise ValidationError({"kind": _("Choose a valid team type.")})
    if Team.objects.filter(school=school, name__iexact=name).exists():
        raise ValidationError({"name": _("The school already has a team with that name.")})
    team = Team.objects.create(school=school, name=name, kind=kind)
    audit_record(actor=actor, action="team.created", target=team, school=school)
    return team


@transaction.atomic
def team_update(*, actor: Any, team: Team, name: str, kind: str, member_ids: Iterable[int]) -> Team:
    """The team page's one action: name, kind and members, saved together or not at all."""
    _require_manager(actor, team.school)
    name = _clean_name(name)
    if kind not in Team.Kind.values:
        raise ValidationError({"kind": _("Choose a valid team type.")})
    if Team.objects.filter(school=team.school, name__iexact=name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": _("The school already has a team with that name.")})
    wanted = {int(pk) for pk in member_ids}
    allowed = set(
        Membership.objects.filter(school=team.school, user_id__in=wanted).values_list(
            "user_id", flat=True
        )
    )
    if allowed != wanted:
        raise ValidationError(_("A team can only have people from its own school."))
    team.name, team.kind = name, kind
    team.save(update_fields=["name", "kind"])
    TeamMembership.objects.filter(team=team).exclude(user_id__in=allowed).delete()
    existing = set(TeamMembership.objects.filter(team=team).values_list("user_id", flat=True))
    TeamMembership.objects.bulk_create(
        [TeamMembership(team=team, user_id=uid) for uid in sorted(allowed - existing)]
    )
    return team


@transaction.atomic
def team_delete(*, actor: Any, team: Team) -> None:
    _require_manager(actor, team.school)
    audit_record(
        actor=actor,
        action="team.deleted",
        target=team,
        school=team.school,
        data={"name": team.name},
    )
    team.delete()


@transaction.atomic
def network_create(
    *, actor: Any, school: Organisation, name: str, description: str = "", is_open: bool = True
) -> Network:
    _require_manager(actor, school)
    name = _clean_name(name)
    if Network.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("A network with that name already exists.")})
    network = Network.objects.create(
        name=name, description=description.strip(), is_open=is_open, created_by=actor
    )
    NetworkMembership.objects.create(network=network, school=school)
    audit_record(actor=actor, action="network.created", target=network, school=school)
    return network


@transaction.atomic
def network_join(*, actor: Any, network: Network, school: Organisation) -> NetworkMembership:
    _require_manager(actor, school)
    if not network.is_open and not can_manage_network(actor, network):
        raise PermissionDenied(_("This network is closed. Ask the person who runs it."))
    try:
        with transaction.atomic():
            membership = NetworkMembership.objects.create(network=network, school=school)
    except IntegrityError:
        raise ValidationError(_("Your school is already in this network.")) from None
    audit_record(actor=actor, action="network.joined", target=network, school=school)
    return membership


@transaction.atomic
def network_leave(*, actor: Any, network: Network, school: Organisation) -> None:
    _require_manager(actor, school)
    deleted, _unused = NetworkMembership.objects.filter(network=network, school=school).delete()
    if not deleted:
        raise ValidationError(_("Your school is not in this network."))
    audit_record(actor=actor, action="network.left", target=network, school=school)


@transaction.atomic
def focus_create(
    *, actor: Any, school: Organisation, title: str, description: str = ""
) -> DevelopmentFocus:
    _require_manager(actor, school)
    title = _clean_name(title, field="title")
    order = DevelopmentFocus.objects.filter(school=school).count()
    focus = DevelopmentFocus.objects.create(
        school=school, title=title, description=description.strip(), created_by=actor, order=order
    )
    audit_record(actor=actor, action="focus.created", target=focus, school=school)
    return focus


@transaction.atomic
def focus_update(
    *, actor: Any, focus: DevelopmentFocus, title: str, description: str, is_active: bool
) -> DevelopmentFocus:
    _require_manager(actor, focus.school)
    focus.title = _clean_name(title, field="title")
    focus.description = description.strip()
    focus.is_active = is_active
    focus.save(update_fields=["title", "description", "is_active"])
    return focus

"""Writes about schools, teams, networks, roles, focus areas and invitations to a school.

Permission + change + audit.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.core.services import audit_record, email_send_to_person
from kollegium.core.tokens import hash_token, new_token
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import (
    DevelopmentFocus,
    Invitation,
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


def _require_manager(actor: Actor, school: Organisation) -> None:
    if not can_manage_school(actor, school):
        raise PermissionDenied(_("Only the school's leaders can do that."))


@transaction.atomic
def membership_set_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
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
def membership_remove(*, actor: Actor, membership: Membership) -> None:
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
def team_create(*, actor: Actor, school: Organisation, name: str, kind: str) -> Team:
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
def team_update(
    *, actor: Actor, team: Team, name: str, kind: str, member_ids: Iterable[int]
) -> Team:
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
def team_delete(*, actor: Actor, team: Team) -> None:
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
    *, actor: Actor, school: Organisation, name: str, description: str = "", is_open: bool = True
) -> Network:
    _require_manager(actor, school)
    name = _clean_name(name)
    if Network.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("A network with that name already exists.")})
    network = Network.objects.create(
        name=name,
        description=description.strip(),
        is_open=is_open,
        created_by=as_actor(actor).person,
    )
    NetworkMembership.objects.create(network=network, school=school)
    audit_record(actor=actor, action="network.created", target=network, school=school)
    return network


@transaction.atomic
def network_join(*, actor: Actor, network: Network, school: Organisation) -> NetworkMembership:
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
def network_leave(*, actor: Actor, network: Network, school: Organisation) -> None:
    _require_manager(actor, school)
    deleted, _unused = NetworkMembership.objects.filter(network=network, school=school).delete()
    if not deleted:
        raise ValidationError(_("Your school is not in this network."))
    audit_record(actor=actor, action="network.left", target=network, school=school)


@transaction.atomic
def focus_create(
    *, actor: Actor, school: Organisation, title: str, description: str = ""
) -> DevelopmentFocus:
    _require_manager(actor, school)
    title = _clean_name(title, field="title")
    order = DevelopmentFocus.objects.filter(school=school).count()
    focus = DevelopmentFocus.objects.create(
        school=school,
        title=title,
        description=description.strip(),
        created_by=as_actor(actor).person,
        order=order,
    )
    audit_record(actor=actor, action="focus.created", target=focus, school=school)
    return focus


@transaction.atomic
def focus_update(
    *, actor: Actor, focus: DevelopmentFocus, title: str, description: str, is_active: bool
) -> DevelopmentFocus:
    _require_manager(actor, focus.school)
    focus.title = _clean_name(title, field="title")
    focus.description = description.strip()
    focus.is_active = is_active
    focus.save(update_fields=["title", "description", "is_active"])
    return focus


# --- Invitations: an expiring link that joins one email address to one school ------------


def _send_invitation_email(invitation: Invitation, token: str) -> None:
    link = settings.SITE_URL + reverse("organisations:invitation_accept", args=[token])
    recipient = User(email=invitation.email, full_name=invitation.full_name)
    recipient.preferred_language = (
        invitation.invited_by.preferred_language if invitation.invited_by else "sv"
    )
    email_send_to_person(
        recipient=recipient,
        subject_template="organisations/email/invitation_subject.txt",
        body_template="organisations/email/invitation_body.txt",
        context={"invitation": invitation, "link": link},
    )


@transaction.atomic
def invitation_create(
    *,
    actor: Actor,
    school: Organisation,
    email: str,
    role: str = Role.TEACHER,
    full_name: str = "",
    team: Team | None = None,
) -> tuple[Invitation, str]:
    """Creates an invitation and emails the link. Returns it with the one-time token."""
    if not can_manage_school(actor, school):
        raise PermissionDenied(_("You can only invite people to a school you lead."))
    if not can_assign_role(actor, school, role):
        raise ValidationError({"role": _("Choose a valid role.")})
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    if team is not None and team.school_id != school.pk:
        raise ValidationError({"team": _("Choose a team at this school.")})
    if Membership.objects.filter(school=school, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already at the school.")})
    Invitation.objects.pending().filter(school=school, email__iexact=email).update(
        revoked_at=timezone.now()
    )
    token = new_token()
    invitation = Invitation.objects.create(
        email=email,
        full_name=" ".join(full_name.split()),
        school=school,
        role=role,
        team=team,
        invited_by=as_actor(actor).person,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(
        actor=actor,
        action="invitation.created",
        target=invitation,
        school=school,
        data={"email": email, "role": role},
    )
    _send_invitation_email(invitation, token)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    if not can_manage_school(actor, invitation.school):
        raise PermissionDenied(_("Only the school's leaders can do that."))
    if invitation.status != "pending":
        raise ValidationError(_("Only a pending invitation can be withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action="invitation.revoked", target=invitation, school=invitation.school
    )
    return invitation


def invitation_resend(*, actor: Actor, invitation: Invitation) -> tuple[Invitation, str]:
    """Withdraws the old link and sends a fresh one with a new expiry date."""
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been used."))
    return invitation_create(
        actor=actor,
        school=invitation.school,
        email=invitation.email,
        role=invitation.role,
        full_name=invitation.full_name,
        team=invitation.team,
    )


def invitation_from_token(token: str) -> Invitation:
    """The invitation behind a link, or a ValidationError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("school", "invited_by", "team")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None or invitation.revoked_at:
        raise ValidationError(_("This invitation link is not valid. Ask for a new one."))
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been used. Sign in instead."))
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation has expired. Ask your school leader for a new one.")
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    actor: User | AnonymousUser | None = None,
    full_name: str = "",
    password: str = "",
    preferred_language: str = "sv",
) -> User:
    """Joins the school: a signed-in person joins as themselves, anyone else gets an account."""
    invitation = invitation_from_token(token)
    # Lock the row so the same link cannot be used twice at the same moment.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been used. Sign in instead."))
    if isinstance(actor, User):
        if actor.email.lower() != invitation.email.lower():
            raise ValidationError(
                _("This invitation was sent to another email address. Sign out and try again.")
            )
        user = actor
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("An account with this email address already exists. Sign in to accept.")
            )
        full_name = " ".join((full_name or "").split())
        errors: dict[str, list[str]] = {}
        if not full_name:
            errors["full_name"] = [_("Enter your name.")]
        candidate = User(email=invitation.email, full_name=full_name)
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            errors["password1"] = list(error.messages)
        if errors:
            raise ValidationError(errors)
        if preferred_language not in dict(settings.LANGUAGES):
            preferred_language = settings.LANGUAGE_CODE
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            full_name=full_name,
            preferred_language=preferred_language,
        )
    Membership.objects.get_or_create(
        user=user, school=invitation.school, defaults={"role": invitation.role}
    )
    if invitation.team_id:
        TeamMembership.objects.get_or_create(team_id=invitation.team_id, user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user, action="invitation.accepted", target=invitation, school=invitation.school
    )
    return user

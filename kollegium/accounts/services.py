"""Writes about people: invitations, profiles, language."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.accounts.models import Invitation, User
from kollegium.core.services import audit_record, email_send_to_person
from kollegium.core.tokens import hash_token, new_token
from kollegium.organisations.models import Membership, Organisation, Role, Team, TeamMembership
from kollegium.organisations.permissions import can_assign_role, can_manage_school


def _send_invitation_email(invitation: Invitation, token: str) -> None:
    link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[token])
    recipient = User(email=invitation.email, full_name=invitation.full_name)
    recipient.preferred_language = (
        invitation.invited_by.preferred_language if invitation.invited_by else "sv"
    )
    email_send_to_person(
        recipient=recipient,
        subject_template="accounts/email/invitation_subject.txt",
        body_template="accounts/email/invitation_body.txt",
        context={"invitation": invitation, "link": link},
    )


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
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
        invited_by=actor,
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
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
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


def invitation_resend(*, actor: Any, invitation: Invitation) -> tuple[Invitation, str]:
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
    actor: Any = None,
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
    if actor is not None and getattr(actor, "is_authenticated", False):
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


@transaction.atomic
def user_update_profile(
    *,
    actor: Any,
    user: User,
    full_name: str,
    languages: str = "",
    ask_me_about: str = "",
    subject_ids: list[int] | None = None,
    stage_ids: list[int] | None = None,
    wants_email_notifications: bool = True,
    preferred_language: str | None = None,
) -> User:
    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only edit your own profile."))
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Enter your name.")})
    user.full_name = full_name[:150]
    user.languages = languages.strip()[:200]
    user.ask_me_about = ask_me_about.strip()[:300]
    user.wants_email_notifications = wants_email_notifications
    if preferred_language in dict(settings.LANGUAGES):
        user.preferred_language = preferred_language
    user.save()
    if subject_ids is not None:
        user.subjects.set(subject_ids)
    if stage_ids is not None:
        user.stages.set(stage_ids)
    return user


def user_set_language(*, actor: Any, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose Swedish or English."))
    if getattr(actor, "is_authenticated", False) and actor.preferred_language != language:
        actor.preferred_language = language
        actor.save(update_fields=["preferred_language"])

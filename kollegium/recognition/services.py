"""Writes of the recognition app: keyword-only, atomic, validating, one per user action."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollegium.accounts.models import User
from kollegium.core.dates import long_date
from kollegium.core.registry import expert_brought_in
from kollegium.core.services import audit_record, email_send_to_person, notification_send
from kollegium.core.tokens import hash_token, new_token
from kollegium.groups.models import LearningGroup, Meeting, Talk
from kollegium.library.models import Item
from kollegium.observations.models import Observation
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Membership
from kollegium.questions.models import Answer
from kollegium.recognition import credentials, permissions
from kollegium.recognition.models import (
    Confirmation,
    ContributionSharing,
    GuestInvitation,
    ThanksLink,
    ThanksNote,
)
from kollegium.recognition.selectors import held_hours_of

#: How long a guest's link works before it is used.
GUEST_LINK_DAYS = 14
#: The longest a guest may be let in for.
GUEST_MAX_DAYS = 366


# --- thanks ---------------------------------------------------------------------------------


def _link_title(actor: Actor, receiver: User, kind: str, link_id: int | None) -> str:
    """The title of what the thanks is for, if it is the receiver's and the sender sees it."""
    if not kind:
        return ""
    if link_id is None:
        raise ValidationError({"link_id": _("Choose what you thank them for.")})
    title = None
    if kind == ThanksLink.TALK:
        talk = Talk.objects.filter(pk=link_id, speaker=receiver).select_related("meeting").first()
        if talk is not None:
            from kollegium.groups.permissions import can_view_group

            if can_view_group(actor, talk.meeting.group):
                title = talk.title
    elif kind == ThanksLink.ANSWER:
        answer = (
            Answer.objects.filter(pk=link_id, author=receiver).select_related("question").first()
        )
        if answer is not None:
            from kollegium.questions.permissions import can_view_question

            if can_view_question(actor, answer.question):
                title = answer.question.title
    elif kind == ThanksLink.ITEM:
        item = Item.objects.filter(pk=link_id, authors=receiver).first()
        if item is not None:
            from kollegium.library.permissions import can_view_item

            if can_view_item(actor, item):
                title = item.title
    elif kind == ThanksLink.OBSERVATION:
        observation = Observation.objects.filter(pk=link_id).first()
        pair = {observation.observer_id, observation.observed_id} if observation else set()
        if pair == {as_actor(actor).pk, receiver.pk}:
            title = observation.lesson_label or _("our observation")  # type: ignore[union-attr]
    else:
        raise ValidationError({"link_kind": _("Choose what you thank them for.")})
    if title is None:
        raise ValidationError({"link_id": _("That is not something of theirs that you can see.")})
    return title[:200]


@transaction.atomic
def thanks_send(
    *,
    actor: Actor,
    receiver: User,
    text: str,
    link_kind: str = "",
    link_id: int | None = None,
) -> ThanksNote:
    """One sentence of thanks to a colleague; they are told (no score is kept anywhere)."""
    if not permissions.can_thank(actor, receiver):
        raise PermissionDenied(_("You can thank colleagues at your schools, not yourself."))
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Write a sentence of thanks.")})
    if len(text) > ThanksNote.TEXT_MAX:
        raise ValidationError(
            {
                "text": _("Keep it to one sentence (at most %(max)d characters).")
                % {"max": ThanksNote.TEXT_MAX}
            }
        )
    title = _link_title(actor, receiver, link_kind or "", link_id)
    sender = as_actor(actor).person
    note = ThanksNote.objects.create(
        sender=sender,
        receiver=receiver,
        text=text,
        link_kind=link_kind or "",
        link_id=link_id if link_kind else None,
        link_title=title,
    )
    # A message key with parameters, so the note reads in the receiver's language of the day.
    notification_send(
        recipient=receiver,
        kind="recognition.thanked",
        title=gettext_lazy("%(name)s thanked you"),
        params={"name": sender.full_name},
        body=text,
        url=reverse("recognition:thanks"),
    )
    return note


@transaction.atomic
def thanks_show_on_profile(*, actor: Actor, note: ThanksNote, shown: bool) -> ThanksNote:
    """The receiver chooses whether a note is on their profile."""
    if note.receiver_id != as_actor(actor).pk:
        raise PermissionDenied(_("Only the person thanked decides where the note is shown."))
    note.on_profile = bool(shown)
    note.save(update_fields=["on_profile"])
    return note


@transaction.atomic
def thanks_delete(*, actor: Actor, note: ThanksNote) -> None:
    """The receiver removes a note (the sender can withdraw their own too)."""
    if as_actor(actor).pk not in (note.receiver_id, note.sender_id):
        raise PermissionDenied(_("Only the sender or the person thanked can remove a note."))
    note.delete()


@transaction.atomic
def contributions_share(*, actor: Actor, shared: bool) -> ContributionSharing:
    person = as_actor(actor).person
    row, _created = ContributionSharing.objects.update_or_create(
        user=person, defaults={"shared": bool(shared), "updated_at": timezone.now()}
    )
    return row


# --- guests ---------------------------------------------------------------------------------


def _send_guest_email(invitation: GuestInvitation, token: str) -> None:
    link = settings.SITE_URL + reverse("recognition:guest_accept", args=[token])
    recipient = User(email=invitation.email, full_name=invitation.full_name)
    recipient.preferred_language = (
        invitation.invited_by.preferred_language if invitation.invited_by else "sv"
    )
    email_send_to_person(
        recipient=recipient,
        subject_template="recognition/email/guest_subject.txt",
        body_template="recognition/email/guest_body.txt",
        context={"invitation": invitation, "link": link},
    )


@transaction.atomic
def guest_invite(
    *,
    actor: Actor,
    group: LearningGroup,
    email: str,
    full_name: str,
    role_description: str = "",
    meeting: Meeting | None = None,
    access_until: date | None = None,
) -> tuple[GuestInvitation, str]:
    """A facilitator invites an external guest to the group (or one of its meetings)."""
    if not permissions.can_invite_guests(actor, group):
        raise PermissionDenied(_("Only the group's facilitators can invite guests."))
    errors: dict[str, str] = {}
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid email address.")
    full_name = " ".join((full_name or "").split())
    if not full_name:
        errors["full_name"] = _("Enter the guest's name.")
    if meeting is not None and meeting.group_id != group.pk:
        errors["meeting"] = _("Choose a meeting of this group.")
    today = timezone.localdate()
    if access_until is None:
        errors["access_until"] = _("Choose the last day the guest may see the group.")
    elif access_until < today:
        errors["access_until"] = _("The last day cannot be in the past.")
    elif access_until > today + timedelta(days=GUEST_MAX_DAYS):
        errors["access_until"] = _("A guest can be let in for at most a year.")
    if not errors:
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None and (
            existing.is_staff or Membership.objects.filter(user=existing).exists()
        ):
            errors["email"] = _(
                "This address belongs to someone who is already a member of a school here. "
                "Add them to the group as a member instead."
            )
    if errors or access_until is None:
        raise ValidationError(errors)
    GuestInvitation.objects.filter(
        group=group, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    token = new_token()
    # Through the whole last day, in the installation's time zone.
    until = timezone.make_aware(datetime.combine(access_until, time(23, 59, 59)))
    invitation = GuestInvitation.objects.create(
        email=email,
        full_name=full_name,
        role_description=" ".join((role_description or "").split())[:200],
        group=group,
        meeting=meeting,
        invited_by=as_actor(actor).person,
        token_hash=hash_token(token),
        link_expires_at=min(timezone.now() + timedelta(days=GUEST_LINK_DAYS), until),
        access_until=until,
    )
    audit_record(
        actor=actor,
        action="recognition.guest_invited",
        target=invitation,
        school=group.school,
        data={"email": email, "group": group.pk, "meeting": meeting.pk if meeting else None},
    )
    # A topic that became this group logs that an expert was brought in (topics listens).
    described = (
        f"{full_name} ({invitation.role_description})" if invitation.role_description else full_name
    )
    expert_brought_in(
        actor=actor,
        group=group,
        note=_("%(guest)s, invited as a guest") % {"guest": described},
    )
    _send_guest_email(invitation, token)
    return invitation, token


def guest_invitation_from_token(token: str) -> GuestInvitation:
    """The invitation behind a link, or a ValidationError saying why it cannot be used."""
    invitation = (
        GuestInvitation.objects.select_related("group", "meeting", "invited_by")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None or invitation.revoked_at:
        raise ValidationError(
            _("This guest link is not valid. Ask the group's facilitator for a new one.")
        )
    if invitation.accepted_at:
        raise ValidationError(_("This guest link has already been used. Sign in instead."))
    if invitation.link_expires_at <= timezone.now():
        raise ValidationError(
            _("This guest link expired on %(date)s. Ask the group's facilitator for a new one.")
            % {"date": long_date(invitation.link_expires_at)}
        )
    return invitation


@transaction.atomic
def guest_accept(
    *,
    token: str,
    actor: Actor | None = None,
    password: str = "",
    preferred_language: str = "sv",
) -> User:
    """The guest takes up the invitation: signed in as the invited address, or with a new
    account (their name from the invitation, a password they choose)."""
    invitation = guest_invitation_from_token(token)
    invitation = GuestInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(_("This guest link has already been used. Sign in instead."))
    person = as_actor(actor) if actor is not None else None
    if person is not None and person.is_authenticated:
        user = person.person
        if user.email.lower() != invitation.email.lower():
            raise ValidationError(
                _("This guest link was sent to another email address. Sign out and try again.")
            )
        if user.is_staff or Membership.objects.filter(user=user).exists():
            raise ValidationError(
                _("You are a member of a school here: ask to join the group as a member instead.")
            )
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("An account with this email address already exists. Sign in to accept.")
            )
        candidate = User(email=invitation.email, full_name=invitation.full_name)
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            raise ValidationError({"password1": list(error.messages)}) from None
        if preferred_language not in dict(settings.LANGUAGES):
            preferred_language = settings.LANGUAGE_CODE
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            full_name=invitation.full_name,
            preferred_language=preferred_language,
        )
    invitation.accepted_at = timezone.now()
    invitation.guest = user
    invitation.save(update_fields=["accepted_at", "guest"])
    if person is not None:
        person.forget()
    audit_record(
        actor=as_actor(user),
        action="recognition.guest_accepted",
        target=invitation,
        school=invitation.group.school,
    )
    return user


@transaction.atomic
def guest_remove(*, actor: Actor, invitation: GuestInvitation) -> GuestInvitation:
    """End a guest's access (or withdraw an unused link) now."""
    if not permissions.can_invite_guests(actor, invitation.group):
        raise PermissionDenied(_("Only the group's facilitators can remove guests."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="recognition.guest_removed",
            target=invitation,
            school=invitation.group.school,
        )
    return invitation


# --- confirmations --------------------------------------------------------------------------


@transaction.atomic
def confirmation_issue(*, actor: Actor, group: LearningGroup, person: User) -> Confirmation:
    """A facilitator confirms that a member completed the group's programme: a signed
    Open Badges 3.0 credential the member keeps."""
    if not permissions.can_confirm(actor, group, person):
        raise PermissionDenied(_("Only the group's facilitators can confirm its other members."))
    hours, meetings = held_hours_of(person, group)
    if meetings == 0:
        raise ValidationError(
            _("%(name)s has no meeting marked as attended in this group yet.")
            % {"name": person.full_name}
        )
    if Confirmation.objects.filter(group=group, person=person).exists():
        raise ValidationError(
            _("%(name)s is already confirmed for this group.") % {"name": person.full_name}
        )
    issuer = as_actor(actor).person
    confirmation = Confirmation(
        group=group, person=person, issued_by=issuer, hours=hours, meetings=meetings
    )
    with translation.override(person.preferred_language):
        title = _("%(group)s: completed programme") % {"group": group.name}
        description = _(
            "Took part in the learning group %(group)s (%(method)s) at %(school)s, "
            "%(start)s to %(end)s."
        ) % {
            "group": group.name,
            "method": group.guide.title_en
            if person.preferred_language == "en"
            else group.guide.title_sv,
            "school": group.school.display_name,
            "start": long_date(group.starts_on),
            "end": long_date(group.ends_on),
        }
        criteria = _(
            "Confirmed by the group's facilitator %(facilitator)s from the meetings attended."
        ) % {"facilitator": issuer.full_name}
    confirmation.title = title[:300]
    credential = credentials.build_credential(
        uid=str(confirmation.uid),
        person_name=person.full_name,
        person_email=person.email,
        achievement_name=title,
        achievement_description=description,
        criteria=criteria,
        hours=str(hours),
        meetings=meetings,
        issuer_name=group.school.display_name,
        issued_at=confirmation.issued_at,
    )
    confirmation.token = credentials.sign(credential)
    try:
        with transaction.atomic():
            confirmation.save()
    except IntegrityError:
        raise ValidationError(
            _("%(name)s is already confirmed for this group.") % {"name": person.full_name}
        ) from None
    audit_record(
        actor=actor,
        action="recognition.confirmed",
        target=confirmation,
        school=group.school,
        data={"person": person.pk, "group": group.pk},
    )
    notification_send(
        recipient=person,
        kind="recognition.confirmed",
        title=gettext_lazy("Your participation in %(group)s is confirmed"),
        params={"group": group.name},
        url=reverse("recognition:portfolio"),
    )
    return confirmation

"""Recognition without competition (issue 15): thanks notes, a person's own summary of what
they contributed, external guests of one group or meeting, and signed confirmations of a
completed programme. No points, no ranks: nothing here is counted against anyone else."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ThanksLink(models.TextChoices):
    NONE = "", _("nothing in particular")
    TALK = "talk", _("a talk")
    ANSWER = "answer", _("an answer")
    ITEM = "item", _("a library item")
    OBSERVATION = "observation", _("an observation")


class ThanksNote(models.Model):
    """One sentence of thanks from a colleague. The receiver sees it; it is on their profile
    only if they choose so."""

    TEXT_MAX = 280

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_sent"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_received"
    )
    text = models.CharField(_("thanks"), max_length=TEXT_MAX)
    link_kind = models.CharField(
        _("for"), max_length=12, choices=ThanksLink.choices, blank=True, default=""
    )
    link_id = models.PositiveBigIntegerField(null=True, blank=True)
    link_title = models.CharField(max_length=200, blank=True)
    on_profile = models.BooleanField(_("show on my profile"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("thanks note")
        verbose_name_plural = _("thanks notes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["receiver", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("receiver")), name="thanks_not_to_self"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ContributionSharing(models.Model):
    """Whether a person shares their "What I have contributed" page with colleagues at their
    schools. No row: private (the default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contribution_sharing"
    )
    shared = models.BooleanField(_("share with my colleagues"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id}: {'shared' if self.shared else 'private'}"


class GuestInvitation(models.Model):
    """An external guest (researcher, subject expert, development advisor) invited by email to
    one learning group or one meeting, for a limited period. Only a hash of the token is kept.

    The link works until ``link_expires_at``; once accepted, the guest sees the group's or the
    meeting's pages until ``access_until``. A guest is never a member of a school."""

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("name"), max_length=150)
    role_description = models.CharField(
        _("who they are"),
        max_length=200,
        blank=True,
        help_text=_("For example: researcher in mathematics education, Umeå University."),
    )
    group = models.ForeignKey(
        "groups.LearningGroup",
        on_delete=models.CASCADE,
        related_name="guest_invitations",
        verbose_name=_("learning group"),
    )
    meeting = models.ForeignKey(
        "groups.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="guest_invitations",
        verbose_name=_("only this meeting"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    link_expires_at = models.DateTimeField()
    access_until = models.DateTimeField(_("access until"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    guest = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="guest_access",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("guest invitation")
        verbose_name_plural = _("guest invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["guest", "access_until"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.group_id}"

    @property
    def is_active(self) -> bool:
        return (
            self.accepted_at is not None
            and self.revoked_at is None
            and self.access_until > timezone.now()
        )


class SigningKey(models.Model):
    """The installation's Ed25519 key for confirmations. The newest row signs; older rows stay
    published so credentials signed before a rotation still verify."""

    kid = models.CharField(max_length=64, unique=True)
    private_key_pem = models.TextField()
    public_x = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.kid


class Confirmation(models.Model):
    """A facilitator's confirmation that a person completed a group's programme: an Open
    Badges 3.0 credential, signed as a compact JWS (W3C VC-JOSE-COSE, ``vc+jwt``)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        "groups.LearningGroup", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="confirmations"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    meetings = models.PositiveIntegerField()
    token = models.TextField()
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="one_confirmation_per_group")
        ]

    def __str__(self) -> str:
        return self.title

"""How each person wants to be emailed about each kind of notification, and what was sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kollegium.notifications.kinds import Delivery


class Preference(models.Model):
    """A person's choice for one kind, where it differs from the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    delivery = models.CharField(_("email"), max_length=12, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"


class Digest(models.Model):
    """One digest email: one per person and period, so a second run sends nothing twice."""

    class Period(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=8, choices=Period.choices)
    #: The day (daily) or the Monday of the week (weekly) the digest is for.
    starts_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "period", "starts_on"], name="notification_digest_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.starts_on}"


class EmailDelivery(models.Model):
    """The email owed for one notification: sent at once, or waiting for (or in) a digest.

    ``notification_id`` is a plain number, not a foreign key, so deleting notifications in
    bulk (retention, erasure) stays one statement; a digest skips ids that are gone. Only the
    day of an immediate email is kept (the cap counts per day): no exact time, which for a
    routed anonymous question could say something about when it was asked."""

    notification_id = models.PositiveBigIntegerField(unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=60)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    #: Over the day's cap: meant to go at once, moved into the next daily digest.
    over_cap = models.BooleanField(default=False)
    emailed_on = models.DateField(null=True, blank=True)
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )

    class Meta:
        verbose_name = _("notification email")
        verbose_name_plural = _("notification emails")
        indexes = [
            models.Index(fields=["recipient", "delivery", "emailed_on"]),
            models.Index(fields=["delivery", "digest"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.delivery}"


class CapNotice(models.Model):
    """The one email a day telling a person the rest of the day's emails wait for the digest."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()

    class Meta:
        verbose_name = _("email cap notice")
        verbose_name_plural = _("email cap notices")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"], name="notification_cap_notice_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.day)

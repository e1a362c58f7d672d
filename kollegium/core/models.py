import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.core import notices


class AuditEvent(models.Model):
    """Who did what sensitive thing, when. Never written for anonymous questions' authors."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class Notification(models.Model):
    """Something a person should know about, shown in the app (and emailed if they want)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    #: What to say as a message key and parameters (kollegium/core/notices.py), rendered in
    #: the reader's language when read; ``title`` and ``body`` keep the words as sent, in the
    #: recipient's language then (the export, and rows from before messages had keys).
    message = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the active language."""
        text = notices.render(self.message, "title")
        return self.title if text is None else text

    @property
    def display_body(self) -> str:
        """The body in the active language."""
        text = notices.render(self.message, "body")
        return self.body if text is None else text


def _initial_home_version() -> int:
    # A random start: after a database is flushed or restored, no new person's page can match
    # a copy cached for someone who had the same id before.
    return secrets.randbelow(2**62)


class HomeVersion(models.Model):
    """A counter per person, raised in the same transaction as any change to what their home
    page shows. A cached copy of the page is used only under the version it was made with, so
    it is never older than the data (kollegium/core/homepage.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=_initial_home_version)

    class Meta:
        verbose_name = _("home page version")
        verbose_name_plural = _("home page versions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.version}"

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessibilityReport(models.Model):
    """A problem with accessibility someone reported from the accessibility statement's page
    (DOS-lagen: a way to tell the operator). Installation administrators are notified and
    handle it in the admin."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    page = models.CharField(_("page"), max_length=500, blank=True)
    message = models.TextField(_("what is the problem"), max_length=4000)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    reply = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("accessibility report")
        verbose_name_plural = _("accessibility reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.message[:60]}"

"""Privacy (issue 12): exports of a person's data, erasures, retention rules and runs."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_GRACE_DAYS = 30
#: How long a finished export stays downloadable before the retention run removes it.
EXPORT_KEEP_DAYS = 7
#: An erasure still "running" after this was stopped (a crash, a deploy): it may run again.
STALE_RUN = timedelta(hours=1)


class RecordsDecision(models.TextChoices):
    ANONYMISE = "anonymise", _("Keep official records, the person replaced by their role")
    DELETE = "delete", _("Remove the person's own official records too")
    KEEP = "keep", _("Keep official records with the person's name (attributed)")


class OwnerPrivacySettings(models.Model):
    """A school owner's (huvudman's) erasure and retention rules. Without a row: defaults."""

    owner = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "owner"},
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period before an erasure (days)"),
        default=DEFAULT_GRACE_DAYS,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
        help_text=_("An erasure can be cancelled until then."),
    )
    records_default = models.CharField(
        _("official records of an erased person"),
        max_length=12,
        choices=RecordsDecision.choices,
        default=RecordsDecision.ANONYMISE,
    )
    observation_notes_months = models.PositiveSmallIntegerField(
        _("observation notes: months after the debrief"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    notifications_days = models.PositiveSmallIntegerField(
        _("notifications: days"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(3650)],
    )
    sign_ins_months = models.PositiveSmallIntegerField(
        _("sign-in history: months"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    deactivated_months = models.PositiveSmallIntegerField(
        _("deactivated accounts: months before erasure"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("privacy settings")
        verbose_name_plural = _("privacy settings")

    def __str__(self) -> str:
        return str(self.owner_id)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("being made")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


def export_path(instance: "DataExport", filename: str) -> str:
    import uuid

    # A random name: the stored path says nothing about whose data it is.
    return f"privacy/exports/{uuid.uuid4().hex}.zip"


class DataExport(models.Model):
    """One "export my data" request: made in the background, downloaded by the person only."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default="queued")
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    rows = models.PositiveBigIntegerField(default=0)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self) -> str:
        return f"export {self.pk}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def expires_at(self) -> datetime | None:
        return self.finished_at + timedelta(days=EXPORT_KEEP_DAYS) if self.finished_at else None


class ErasureReason(models.TextChoices):
    REQUEST = "request", _("The person asked to be erased")
    LEFT = "left", _("The person has left")
    RETENTION = "retention", _("Deactivated for longer than the retention rule")


class ErasureStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    RUNNING = "running", _("running")
    DONE = "done", _("erased")
    FAILED = "failed", _("stopped: run it again")
    CANCELLED = "cancelled", _("cancelled")


class ErasureRequest(models.Model):
    """An erasure of one person, decided by an administrator, carried out after a grace period.

    The decision and its reason stay after the erasure; the name does not (``person`` then
    points at a row that holds only ``role_label``). ``steps_done`` lists the registered
    models already erased, each in its own transaction, so a run that stops halfway is simply
    run again.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The school it was decided at (its managers see it); none for a retention erasure of
    # someone no longer at any school (installation administrators see those).
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("why"), max_length=12, choices=ErasureReason.choices)
    records = models.CharField(
        _("official records"), max_length=12, choices=RecordsDecision.choices
    )
    records_reason = models.TextField(_("reason for the decision on official records"), blank=True)
    role_label = models.CharField(max_length=200)
    due_at = models.DateTimeField(_("erased on"))
    status = models.CharField(
        max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.SCHEDULED
    )
    steps_done = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["scheduled", "running", "failed"]),
                name="privacy_one_open_erasure_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"erasure {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in {ErasureStatus.SCHEDULED, ErasureStatus.RUNNING, ErasureStatus.FAILED}

    @property
    def labelled_counts(self) -> list[tuple[str, int]]:
        """What the erasure removed or changed, by kind of data (its model's name)."""
        from django.apps import apps

        labelled = []
        for label, count in self.counts.items():
            try:
                name = str(apps.get_model(label)._meta.verbose_name_plural)
            except LookupError:
                name = label
            labelled.append((name, count))
        return labelled

    @property
    def is_due(self) -> bool:
        return self.due_at <= timezone.now()

    @property
    def runnable(self) -> bool:
        """Waiting to run: scheduled, stopped, or "running" long after a run stopped."""
        if self.status == ErasureStatus.RUNNING:
            return self.started_at is None or self.started_at < timezone.now() - STALE_RUN
        return self.status in {ErasureStatus.SCHEDULED, ErasureStatus.FAILED}


RETENTION_KINDS = {
    "notifications": _("notifications"),
    "observation_notes": _("observation notes"),
    "sign_ins": _("sign-ins"),
    "deactivated_accounts": _("deactivated accounts scheduled for erasure"),
    "exports": _("exports"),
    "erasures": _("erasures carried out"),
}


class RetentionRun(models.Model):
    """One nightly run of the retention rules, with what it removed, kind by kind."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"retention {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def labelled_counts(self) -> list[tuple[str, int]]:
        return [(str(RETENTION_KINDS.get(kind, kind)), n) for kind, n in self.counts.items()]


class SignIn(models.Model):
    """When a person signed in (their sign-in history: exported, kept per the owner's rule)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"

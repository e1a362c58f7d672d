"""People, schools, roles and teams from the school owner's own systems (SS 12000).

A `DirectorySource` is one connection, set up by an installation administrator for one school
owner. Each `SyncRun` fetches the source's records, keeps the fields Kollegium uses in
`RemoteRecord` (never a personal identity number), plans the changes against Kollegium
(core/plan.py) and, unless it is a dry run, applies them in one transaction. Records that
cannot be used become `SyncRefusal` rows with their reason; the rest goes on.

Links back to the source live on the foundation's models: `User.external_id` (Person.id),
`Organisation.external_id` (Organisation.id), `Membership.external_id` (the Duty.id that gives
the role; a membership with one was made by the sync, one without by hand) and
`Team.external_id` (Group.id). `PersonIdentity` holds eduPersonPrincipalNames, the key
Skolfederation sign-in uses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.organisations.models import Organisation


def default_role_mapping() -> dict[str, str]:
    from kollegium.directory.mapping import load_default_mapping

    return dict(load_default_mapping()["roles"])


def default_team_group_types() -> list[str]:
    from kollegium.directory.mapping import load_default_mapping

    return list(load_default_mapping()["team_group_types"])


class DirectorySource(models.Model):
    class Kind(models.TextChoices):
        SS12000 = "ss12000", _("SS 12000 API")
        FILE = "file", _("file (CSV or OneRoster)")

    class LeaverContent(models.TextChoices):
        ATTRIBUTED = "attributed", _("keep the person's name on what they shared")
        ANONYMISED = "anonymised", _("show what they shared as by a former colleague")

    owner = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="directory_sources",
        limit_choices_to={"kind": Organisation.Kind.OWNER},
        verbose_name=_("school owner"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SS12000)
    base_url = models.URLField(
        _("address of the SS 12000 API"),
        max_length=300,
        blank=True,
        help_text=_("The base address the vendor gives, e.g. https://api.example.se/ss12000/v2"),
    )
    token = models.TextField(
        _("access token"),
        blank=True,
        help_text=_("The bearer token (JWT) the vendor issued. It is never shown again."),
    )
    client_certificate = models.CharField(
        _("client certificate file"),
        max_length=300,
        blank=True,
        help_text=_("For mutual TLS: the path of a PEM file on the server."),
    )
    client_key = models.CharField(
        _("client key file"),
        max_length=300,
        blank=True,
        help_text=_("For mutual TLS: the path of the certificate's private key on the server."),
    )
    role_mapping = models.JSONField(_("duty roles to roles"), default=default_role_mapping)
    team_group_types = models.JSONField(
        _("group types that become teams"), default=default_team_group_types
    )
    leaver_content = models.CharField(
        _("what leavers shared"),
        max_length=20,
        choices=LeaverContent.choices,
        default=LeaverContent.ATTRIBUTED,
    )
    is_enabled = models.BooleanField(_("sync on schedule"), default=True)
    sync_timetables = models.BooleanField(
        _("lessons from the school's timetable"),
        default=True,
        help_text=_(
            "Teachers' lessons from the system's calendar events replace their timetable "
            "upload (their own uploads stay)."
        ),
    )
    # The time the last successful run started: the next delta asks for what changed after it.
    changes_after = models.DateTimeField(null=True, blank=True)
    applied_once = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SS 12000 source")
        verbose_name_plural = _("SS 12000 sources")
        ordering = ["owner__name", "name"]

    def __str__(self) -> str:
        return self.name


class RemoteRecord(models.Model):
    """The source's record as last fetched, only the fields the sync uses."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        PERSON = "person", _("person")
        DUTY = "duty", _("duty")
        GROUP = "group", _("group")

    source = models.ForeignKey(DirectorySource, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    remote_id = models.CharField(max_length=64)
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "remote_id"], name="remote_record_once_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.remote_id}"


class PersonIdentity(models.Model):
    """An eduPersonPrincipalName of a person: the stable key of Skolfederation sign-in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities"
    )
    eppn = models.CharField(max_length=254, unique=True)

    def __str__(self) -> str:
        return self.eppn


class HeldName(models.Model):
    """A leader's name kept aside while they are shown as "a former colleague" (the source's
    "anonymised" choice for what leavers shared); given back if they return."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_name"
    )
    full_name = models.CharField(max_length=150)
    held_since = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.full_name


class SyncRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    source = models.ForeignKey(DirectorySource, on_delete=models.CASCADE, related_name="runs")
    dry_run = models.BooleanField(_("dry run"), default=True)
    full = models.BooleanField(_("everything, not only changes"), default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=30, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    # A dry run's planned changes, for the administrator to read (names, not personal data
    # beyond what the person list shows anyway); capped per kind.
    diff = models.JSONField(default=dict)
    # A file's records as read (a preview keeps them, so applying it needs no second upload).
    file_name = models.CharField(max_length=200, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    applied_by_run = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error_code = models.CharField(max_length=40, blank=True)
    error_params = models.JSONField(default=dict)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["source", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.source} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def count(self, key: str) -> Any:
        return self.counts.get(key, 0)


class SyncRefusal(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        PERSON = "person", _("person")
        DUTY = "duty", _("duty")
        GROUP = "group", _("group")
        ACTIVITY = "activity", _("activity")
        EVENT = "event", _("calendar event")
        ROW = "row", _("row of the file")

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="refusals")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    remote_id = models.CharField(max_length=64, blank=True)
    code = models.CharField(max_length=40)
    params = models.JSONField(default=dict)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.remote_id}: {self.code}"


class SignInConnection(models.Model):
    """A school owner's Entra ID tenant or Google Workspace domain (OIDC sign-in, issue 11).

    The client id and secret live in allauth's `SocialApp` (provider "openid_connect", its
    own `provider_id`), which this row owns. A sign-in links to a person on the tenant and
    object id (Entra: the app's one tenant, checked in every token, and the `oid` claim) or on
    Google's `sub` within the owner's domain (the `hd` claim, checked here)."""

    class Kind(models.TextChoices):
        ENTRA = "entra", _("Microsoft Entra ID")
        GOOGLE = "google", _("Google Workspace")

    owner = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="sign_in_connections",
        limit_choices_to={"kind": Organisation.Kind.OWNER},
        verbose_name=_("school owner"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.PROTECT, related_name="kollegium_connection"
    )
    #: Entra: the directory (tenant) id, a GUID. Empty for Google.
    tenant_id = models.CharField(_("tenant id"), max_length=64, blank=True)
    #: Google: the Workspace domain (the `hd` claim). Entra: the owner's sign-in domain (the
    #: user principal names' suffix), used to match people the first time.
    domain = models.CharField(_("domain"), max_length=253)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("school sign-in")
        verbose_name_plural = _("school sign-ins")
        ordering = ["owner__name", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.tenant_id or self.domain}"

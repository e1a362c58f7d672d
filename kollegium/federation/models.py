"""Sign-in through Skolfederation (SAML 2.0, issue 11).

A `FederationFeed` is the federation's signed metadata feed: its address and the certificate
it must be signed with. `federation_refresh` fetches it, verifies the signature and keeps the
verified XML here (`metadata`): sign-in never fetches anything. A failed refresh keeps the last
good metadata and records why it failed (`status`, `error_code`).

A `FederationIdp` is an identity provider of the feed that an installation administrator has
allowed for one school owner: people it signs in may only land in that owner's schools. Its
part of the metadata (`entity_xml`) is copied at each refresh, so sign-in reads a few small
rows, never the whole feed.

`SignInRefusal` is where the administrator sees sign-ins that could not be let in (a school
unit code the installation does not know, no staff affiliation, ...): no name, no identifier,
only the IdP, the reason and the codes. `SeenAssertion` remembers assertion ids until they
expire, so a captured response cannot be used twice.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.organisations.models import Organisation


class FederationFeed(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("not fetched yet")
        OK = "ok", _("verified")
        FAILED = "failed", _("the last refresh failed")

    name = models.CharField(_("name"), max_length=120, default="Skolfederation")
    url = models.URLField(
        _("address of the metadata feed"),
        max_length=300,
        help_text=_(
            "The federation's signed metadata, e.g. https://fed.skolfederation.se/prod/md/skolfederation-3_1.xml"
        ),
    )
    certificate = models.TextField(
        _("signing certificate of the feed"),
        help_text=_(
            "The federation's metadata signing certificate (PEM, begins with "
            "-----BEGIN CERTIFICATE-----). A feed not signed with it is refused."
        ),
    )
    metadata = models.TextField(blank=True)  # the last verified feed
    valid_until = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)  # last verified fetch
    checked_at = models.DateTimeField(null=True, blank=True)  # last attempt
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    error_code = models.CharField(max_length=40, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    # The identity providers of the last verified feed: [{entity_id, name_sv, name_en}].
    idps = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("federation feed")
        verbose_name_plural = _("federation feeds")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class FederationIdp(models.Model):
    feed = models.ForeignKey(FederationFeed, on_delete=models.CASCADE, related_name="allowed")
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="federation_idps",
        limit_choices_to={"kind": Organisation.Kind.OWNER},
        verbose_name=_("school owner"),
    )
    entity_id = models.CharField(_("identity provider"), max_length=300)
    slug = models.SlugField(
        _("short name for the direct link"),
        max_length=60,
        unique=True,
        help_text=_("Letters, digits and hyphens, e.g. the municipality's name."),
    )
    # Copied from the verified feed at each refresh.
    name_sv = models.CharField(max_length=300, blank=True)
    name_en = models.CharField(max_length=300, blank=True)
    sso_url = models.URLField(max_length=500, blank=True)
    scopes = models.JSONField(default=list, blank=True)
    entity_xml = models.TextField(blank=True)
    in_feed = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("allowed identity provider")
        verbose_name_plural = _("allowed identity providers")
        ordering = ["owner__name", "entity_id"]
        constraints = [
            models.UniqueConstraint(fields=["entity_id", "owner"], name="federation_idp_once")
        ]

    def __str__(self) -> str:
        return self.name_sv or self.entity_id


class SignInRefusal(models.Model):
    idp_entity_id = models.CharField(max_length=300)
    code = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return f"{self.idp_entity_id}: {self.code}"


class SeenAssertion(models.Model):
    assertion_id = models.CharField(max_length=200, unique=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.assertion_id

"""Connections to the school owner's systems: create and change them (issue 11)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kollegium.core.services import audit_record
from kollegium.directory import permissions
from kollegium.directory.mapping import DUTY_ROLES, GROUP_TYPES, SYNC_ROLES
from kollegium.directory.models import DirectorySource
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Organisation

# --- Sources ----------------------------------------------------------------------------------


def _clean_base_url(value: str) -> str:
    value = (value or "").strip()
    parsed = urlparse(value)
    loopback = parsed.hostname in ("127.0.0.1", "localhost", "::1")
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        raise ValidationError({"base_url": _("Enter the API's full address, starting https://.")})
    if parsed.scheme == "http" and not loopback:
        raise ValidationError(
            {"base_url": _("The address must use https: people's data may not travel unencrypted.")}
        )
    return value.rstrip("/")


def _clean_mapping(role_mapping: Any, team_group_types: Any) -> tuple[dict[str, str], list[str]]:
    if not isinstance(role_mapping, dict):
        raise ValidationError({"role_mapping": _("Choose a role for each duty role.")})
    roles: dict[str, str] = {}
    for duty, role in role_mapping.items():
        if duty not in DUTY_ROLES:
            raise ValidationError(
                {"role_mapping": _("Unknown duty role: %(role)s") % {"role": duty}}
            )
        if role and role not in SYNC_ROLES:
            raise ValidationError({"role_mapping": _("Unknown role: %(role)s") % {"role": role}})
        roles[duty] = role or ""
    if not isinstance(team_group_types, list | tuple) or any(
        t not in GROUP_TYPES for t in team_group_types
    ):
        raise ValidationError({"team_group_types": _("Choose group types from the list.")})
    return roles, list(team_group_types)


@transaction.atomic
def source_create(
    *,
    actor: Actor,
    owner: Organisation,
    name: str,
    base_url: str,
    token: str = "",
    client_certificate: str = "",
    client_key: str = "",
) -> DirectorySource:
    permissions.require_manage_sources(actor)
    if owner.kind != Organisation.Kind.OWNER:
        raise ValidationError({"owner": _("Choose a school owner, not a school.")})
    name = " ".join((name or "").split())[:120]
    if not name:
        raise ValidationError({"name": _("Give the connection a name.")})
    source = DirectorySource(
        owner=owner,
        name=name,
        base_url=_clean_base_url(base_url),
        token=(token or "").strip(),
        client_certificate=(client_certificate or "").strip(),
        client_key=(client_key or "").strip(),
    )
    source.full_clean()
    source.save()
    audit_record(actor=actor, action="directory.source_created", target=source)
    return source


@transaction.atomic
def source_update(
    *,
    actor: Actor,
    source: DirectorySource,
    name: str,
    base_url: str,
    token: str = "",
    client_certificate: str = "",
    client_key: str = "",
    role_mapping: dict[str, str],
    team_group_types: list[str],
    leaver_content: str,
    is_enabled: bool,
    sync_timetables: bool = True,
) -> DirectorySource:
    permissions.require_manage_sources(actor)
    source = DirectorySource.objects.select_for_update().get(pk=source.pk)
    name = " ".join((name or "").split())[:120]
    if not name:
        raise ValidationError({"name": _("Give the connection a name.")})
    if leaver_content not in DirectorySource.LeaverContent.values:
        raise ValidationError({"leaver_content": _("Choose what happens to what leavers shared.")})
    source.name = name
    if source.kind == DirectorySource.Kind.SS12000:
        source.base_url = _clean_base_url(base_url)
        if token.strip():  # blank keeps the stored token: it is never shown again
            source.token = token.strip()
        source.client_certificate = (client_certificate or "").strip()
        source.client_key = (client_key or "").strip()
    source.role_mapping, source.team_group_types = _clean_mapping(role_mapping, team_group_types)
    source.leaver_content = leaver_content
    source.is_enabled = is_enabled
    source.sync_timetables = sync_timetables
    source.full_clean()
    source.save()
    audit_record(actor=actor, action="directory.source_updated", target=source)
    return source

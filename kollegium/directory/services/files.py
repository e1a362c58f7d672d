"""Staff and schools from a file (Swedish Excel CSV or OneRoster 1.2), for owners without
SS 12000 (issue 11). The same planner and the same one-transaction apply as the SS 12000
sync: a preview shows the changes (every run of a file starts as one), applying it saves them.
A file with any unusable row is refused as a whole, with every such row's line and reason.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.core.services import audit_record
from kollegium.directory import permissions
from kollegium.directory.core.files import FileRefused, read_oneroster, read_staff_csv
from kollegium.directory.mapping import DUTY_ROLES
from kollegium.directory.models import DirectorySource, SyncRefusal, SyncRun
from kollegium.directory.services.sync import (
    apply_plan,
    diff_of,
    finish,
    plan_from,
    stored_records,
    to_json,
)
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation


@transaction.atomic
def file_source_create(*, actor: Actor, owner: Organisation, name: str) -> DirectorySource:
    permissions.require_manage_sources(actor)
    if owner.kind != Organisation.Kind.OWNER:
        raise ValidationError({"owner": _("Choose a school owner, not a school.")})
    name = " ".join((name or "").split())[:120]
    if not name:
        raise ValidationError({"name": _("Give the connection a name.")})
    source = DirectorySource.objects.create(
        owner=owner, name=name, kind=DirectorySource.Kind.FILE, base_url=""
    )
    audit_record(actor=actor, action="directory.source_created", target=source)
    return source


def _read(source: DirectorySource, file_name: str, data: bytes) -> dict[str, dict[str, dict]]:
    owner_key = f"owner-{source.owner_id}"
    if data[:2] == b"PK" or file_name.lower().endswith(".zip"):
        records = read_oneroster(data, owner_key=owner_key)
    else:
        records = read_staff_csv(data, owner_key=owner_key, duty_roles=frozenset(DUTY_ROLES))
    return {
        "organisation": {r.id: to_json(r) for r in records.organisations},
        "person": {r.id: to_json(r) for r in records.persons},
        "duty": {r.id: to_json(r) for r in records.duties},
        "group": {r.id: to_json(r) for r in records.groups},
    }


@transaction.atomic
def file_preview(
    *,
    actor: Actor,
    source: DirectorySource,
    file_name: str,
    data: bytes,
    today: date | None = None,
) -> SyncRun:
    """Read a file and show what applying it would change; nothing else changes. A refused
    file gives a failed run listing every problem by line."""
    permissions.require_manage_sources(actor)
    if source.kind != DirectorySource.Kind.FILE:
        raise ValidationError(_("This connection reads an SS 12000 API, not files."))
    file_name = (file_name or "")[:200]
    now = timezone.now()
    run = SyncRun.objects.create(
        source=source,
        dry_run=True,
        full=True,
        status=SyncRun.Status.RUNNING,
        file_name=file_name,
        started_by=as_actor(actor).person,
        started_at=now,
    )
    try:
        merged = _read(source, file_name, data)
    except FileRefused as refused:
        SyncRefusal.objects.bulk_create(
            SyncRefusal(run=run, kind="row", remote_id=str(line), code=code, params=params)
            for line, code, params in refused.problems
        )
        SyncRun.objects.filter(pk=run.pk).update(
            status=SyncRun.Status.FAILED,
            error_code="file_refused",
            error_params={"count": str(len(refused.problems))},
            counts={"refused": len(refused.problems)},
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        return run
    plan = plan_from(source, merged, today or timezone.localdate())
    SyncRun.objects.filter(pk=run.pk).update(payload=merged)
    finish(run, plan, diff=diff_of(plan, merged, source))
    audit_record(
        actor=actor, action="directory.file_previewed", target=run, data={"file": file_name}
    )
    run.refresh_from_db()
    return run


@transaction.atomic
def file_apply(*, actor: Actor, run: SyncRun, today: date | None = None) -> SyncRun:
    """Apply a previewed file, planned again against Kollegium as it is now."""
    permissions.require_manage_sources(actor)
    preview = SyncRun.objects.select_for_update().select_related("source").get(pk=run.pk)
    source = preview.source
    if (
        source.kind != DirectorySource.Kind.FILE
        or not preview.dry_run
        or preview.status != SyncRun.Status.DONE
        or not preview.payload
    ):
        raise ValidationError(_("Only a file preview without problems can be applied."))
    if preview.applied_by_run_id:
        raise ValidationError(_("This file has already been applied."))
    if source.runs.filter(dry_run=True, file_name__gt="", pk__gt=preview.pk).exists():
        raise ValidationError(_("A newer file has been previewed since: apply that one."))
    began = timezone.now()
    applied = SyncRun.objects.create(
        source=source,
        dry_run=False,
        full=True,
        status=SyncRun.Status.RUNNING,
        file_name=preview.file_name,
        started_by=as_actor(actor).person,
        started_at=began,
    )
    plan = plan_from(source, preview.payload, today or timezone.localdate())
    apply_plan(applied, source, plan, stored_records(source), preview.payload, began)
    SyncRun.objects.filter(pk=preview.pk).update(applied_by_run=applied)
    applied.refresh_from_db()
    return applied

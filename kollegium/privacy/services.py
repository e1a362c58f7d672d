"""Every write of the privacy app: exports, erasures, the owner's rules, retention runs.

The pages' actions (an export asked for, an erasure scheduled, cancelled or run) are one
service call each. The background work (tasks.py, the nightly command) records its status and
progress through the ``*_start``/``*_progress``/``*_finish``/``*_fail`` services, each its own
short transaction, so the pages that poll see it move and a failure leaves nothing half-done.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.core.aggregates import MAX_ALLOWED, MIN_ALLOWED
from kollegium.core.homepage import home_changed, home_changed_everyone
from kollegium.core.registry import Erasure
from kollegium.core.services import audit_record
from kollegium.core.tasks import enqueue_on_commit
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Membership, Organisation
from kollegium.privacy import erasing
from kollegium.privacy.models import (
    EXPORT_KEEP_DAYS,
    DataExport,
    ErasureReason,
    ErasureRequest,
    ErasureStatus,
    ExportStatus,
    OwnerPrivacySettings,
    RecordsDecision,
    RetentionRun,
    SignIn,
)
from kollegium.privacy.permissions import (
    can_erase,
    can_export,
    can_manage_erasure,
    can_set_rules,
)
from kollegium.privacy.selectors import settings_for_owner


def sign_in_record(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """Receives ``user_logged_in``: one row of the person's sign-in history."""
    if user is not None and user.pk:
        SignIn.objects.create(user_id=user.pk)


# --- Export ---------------------------------------------------------------------------------


@transaction.atomic
def export_request(*, actor: Actor) -> DataExport:
    """Ask for an export of everything about oneself; it is made in the background."""
    from kollegium.privacy.tasks import build_export

    if not can_export(actor):
        raise PermissionDenied(_("Sign in to export your data."))
    person = as_actor(actor).person
    busy = DataExport.objects.select_for_update().filter(
        person=person, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
    )
    if busy.exists():
        raise ValidationError(_("Your export is already being made. It is ready in a moment."))
    export = DataExport.objects.create(person=person)
    audit_record(actor=actor, action="privacy.export_requested", target=export)
    enqueue_on_commit(build_export, export_id=export.pk)
    return export


@transaction.atomic
def export_start(*, export_id: int, steps_total: int) -> DataExport | None:
    export = DataExport.objects.select_for_update().filter(pk=export_id).first()
    if export is None or export.status != ExportStatus.QUEUED:
        return None  # gone (the person was erased) or already taken by another run
    export.status = ExportStatus.RUNNING
    export.steps_total = steps_total
    export.save(update_fields=["status", "steps_total"])
    return export


@transaction.atomic
def export_progress(*, export_id: int, steps_done: int, rows: int) -> None:
    DataExport.objects.filter(pk=export_id).update(steps_done=steps_done, rows=rows)


@transaction.atomic
def export_finish(*, export_id: int, content: Any, size: int) -> None:
    export = DataExport.objects.select_for_update().filter(pk=export_id).first()
    if export is None:
        return
    export.file.save(f"{export.pk}.zip", File(content), save=False)
    export.status = ExportStatus.DONE
    export.steps_done = export.steps_total
    export.size = size
    export.finished_at = timezone.now()
    export.save()
    audit_record(
        actor=as_actor(export.person),
        action="privacy.export_made",
        target=export,
        data={"rows": export.rows, "bytes": size},
    )


@transaction.atomic
def export_fail(*, export_id: int, code: str) -> None:
    DataExport.objects.filter(pk=export_id).update(
        status=ExportStatus.FAILED, error=code[:80], finished_at=timezone.now()
    )


def export_delete_files(exports: Any) -> int:
    """Remove the files of these exports (rows stay for the caller to delete)."""
    count = 0
    for name in exports.exclude(file="").values_list("file", flat=True):
        default_storage.delete(name)
        count += 1
    return count


# --- Erasure --------------------------------------------------------------------------------

RECORDS_REASON_MAX = 2000


@transaction.atomic
def erasure_schedule(
    *,
    actor: Actor,
    school: Organisation,
    person_id: int,
    reason: str,
    records: str = "",
    records_reason: str = "",
) -> ErasureRequest:
    """Schedule the erasure of someone at the school, after the owner's grace period."""
    if not can_erase(actor, school, person_id):
        raise PermissionDenied(_("You cannot erase this person."))
    if reason not in ErasureReason.values or reason == ErasureReason.RETENTION:
        raise ValidationError({"reason": _("Choose why the person is erased.")})
    rules = settings_for_owner(school.parent_id)
    records = records or rules.records_default
    if records not in RecordsDecision.values:
        raise ValidationError({"records": _("Choose what happens to the official records.")})
    records_reason = records_reason.strip()
    if records != rules.records_default and not records_reason:
        raise ValidationError(
            {"records_reason": _("Say why the official records are handled otherwise.")}
        )
    if len(records_reason) > RECORDS_REASON_MAX:
        raise ValidationError(
            {"records_reason": _("Keep the reason under %(n)s characters.") % {"n": 2000}}
        )
    if ErasureRequest.objects.filter(
        person_id=person_id, status__in=["scheduled", "running", "failed"]
    ).exists():
        raise ValidationError(_("An erasure of this person is already scheduled."))
    membership = Membership.objects.select_related("user").get(school=school, user_id=person_id)
    erasure = ErasureRequest.objects.create(
        person_id=person_id,
        school=school,
        requested_by=as_actor(actor).person,
        reason=reason,
        records=records,
        records_reason=records_reason or _("The owner's rule."),
        role_label=erasing.role_label(membership.role, school.name),
        due_at=timezone.now() + timedelta(days=rules.grace_days),
    )
    audit_record(
        actor=actor,
        action="privacy.erasure_scheduled",
        target=erasure,
        school=school,
        data={"reason": reason, "records": records, "due": erasure.due_at.date().isoformat()},
    )
    return erasure


@transaction.atomic
def erasure_cancel(*, actor: Actor, erasure: ErasureRequest) -> ErasureRequest:
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if not can_manage_erasure(actor, erasure):
        raise PermissionDenied(_("You cannot erase this person."))
    if erasure.status != ErasureStatus.SCHEDULED:
        raise ValidationError(_("Only a scheduled erasure that has not started can be cancelled."))
    erasure.status = ErasureStatus.CANCELLED
    erasure.finished_at = timezone.now()
    erasure.save(update_fields=["status", "finished_at"])
    audit_record(
        actor=actor, action="privacy.erasure_cancelled", target=erasure, school=erasure.school
    )
    return erasure


@transaction.atomic
def erasure_run(*, actor: Actor, erasure: ErasureRequest) -> ErasureRequest:
    """Carry out a due erasure now, or run again one that stopped halfway."""
    from kollegium.privacy.tasks import run_erasure

    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if not can_manage_erasure(actor, erasure):
        raise PermissionDenied(_("You cannot erase this person."))
    if not erasure.runnable:
        raise ValidationError(_("This erasure is not waiting to be run."))
    if erasure.status == ErasureStatus.SCHEDULED and erasure.due_at > timezone.now():
        raise ValidationError(
            _("The grace period ends on %(date)s; it can be cancelled until then.")
            % {"date": timezone.localtime(erasure.due_at).date().isoformat()}
        )
    audit_record(actor=actor, action="privacy.erasure_run", target=erasure, school=erasure.school)
    enqueue_on_commit(run_erasure, erasure_id=erasure.pk)
    return erasure


@transaction.atomic
def erasure_begin(*, erasure_id: int) -> ErasureRequest | None:
    """The background run takes the erasure (None: not due, cancelled, done or taken)."""
    erasure = ErasureRequest.objects.select_for_update().filter(pk=erasure_id).first()
    if erasure is None:
        return None
    if not erasure.runnable or (erasure.status == ErasureStatus.SCHEDULED and not erasure.is_due):
        return None
    erasure.status = ErasureStatus.RUNNING
    erasure.error = ""
    erasure.started_at = erasure.started_at or timezone.now()
    erasure.save(update_fields=["status", "error", "started_at"])
    return erasure


@transaction.atomic
def erasure_step(*, erasure_id: int, model: str) -> int:
    """One registered model's part of the erasure, recorded as done in the same transaction."""
    erasure = ErasureRequest.objects.select_for_update().select_related("person").get(pk=erasure_id)
    if model in erasure.steps_done:
        return 0
    entry = next(e for e in erasing.steps() if e.model == model)
    person = erasure.person
    count = erasing.erase_step(
        entry,
        Erasure(
            person=person,
            role_label=erasure.role_label,
            records=erasure.records,
            replacements=erasing.replacements(
                person,
                erasure.role_label,
                keep_name=erasure.records == RecordsDecision.KEEP and entry.official,
            ),
        ),
    )
    erasure.steps_done = [*erasure.steps_done, model]
    if count:
        erasure.counts = {**erasure.counts, model: erasure.counts.get(model, 0) + count}
    erasure.save(update_fields=["steps_done", "counts"])
    return count


@transaction.atomic
def erasure_finish(*, erasure_id: int, school_ids: list[int]) -> None:
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure_id)
    erasure.status = ErasureStatus.DONE
    erasure.finished_at = timezone.now()
    erasure.save(update_fields=["status", "finished_at"])
    # Anyone's kept home page or page frame may show the name (colleagues at other schools,
    # a network's groups, and after a run that stopped halfway the person's memberships are
    # already gone): everyone's are made anew, and this process drops what it keeps.
    home_changed_everyone()
    audit_record(
        actor=None,
        action="privacy.erasure_done",
        target=erasure,
        school=erasure.school,
        data={"records": erasure.records, "counts": erasure.counts},
    )


@transaction.atomic
def erasure_fail(*, erasure_id: int, code: str) -> None:
    ErasureRequest.objects.filter(pk=erasure_id).update(
        status=ErasureStatus.FAILED, error=code[:80]
    )


# --- The owner's rules ----------------------------------------------------------------------

RULE_FIELDS = (
    "grace_days",
    "records_default",
    "observation_notes_months",
    "notifications_days",
    "sign_ins_months",
    "deactivated_months",
)


@transaction.atomic
def owner_rules_update(
    *, actor: Actor, owner: Organisation, min_group_size: int | None = None, **values: Any
) -> OwnerPrivacySettings:
    """The owner's data rules: erasure and retention, and the minimum group size of every
    figure its leaders and staff see (kept on the owner, ``Organisation.min_group_size``)."""
    if not can_set_rules(actor, owner):
        raise PermissionDenied(_("You cannot change this owner's rules."))
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown setting."))
    if min_group_size is not None:
        if not MIN_ALLOWED <= min_group_size <= MAX_ALLOWED:
            raise ValidationError(
                {
                    "min_group_size": _("Choose a number from %(low)s to %(high)s.")
                    % {"low": MIN_ALLOWED, "high": MAX_ALLOWED}
                }
            )
        previous = owner.min_group_size
        Organisation.objects.filter(pk=owner.pk, kind=Organisation.Kind.OWNER).update(
            min_group_size=min_group_size
        )
        owner.min_group_size = min_group_size
        if previous != min_group_size:
            audit_record(
                actor=actor,
                action="privacy.min_group_size_changed",
                target=owner,
                data={"from": previous, "to": min_group_size},
            )
    rules, _created = OwnerPrivacySettings.objects.select_for_update().get_or_create(owner=owner)
    for name, value in values.items():
        setattr(rules, name, value)
    rules.updated_by = as_actor(actor).person
    rules.updated_at = timezone.now()
    rules.full_clean(exclude=["owner", "updated_by"])
    rules.save()
    audit_record(
        actor=actor,
        action="privacy.rules_updated",
        target=rules,
        data={name: getattr(rules, name) for name in RULE_FIELDS},
    )
    return rules


# --- Retention ------------------------------------------------------------------------------


@transaction.atomic
def _retention_delete(queryset: Any, people: str = "") -> int:
    """Delete what a rule found; raise the home versions of ``people`` (a field naming the
    person each row is shown to) once, rather than row by row."""
    if people:
        home_changed(user_ids=queryset.values(people))
    return erasing.fast_delete(queryset)


def retention_run(*, now: datetime | None = None, echo: Any = None) -> RetentionRun:
    """The nightly run: each owner's rules over its people and schools, the defaults for
    everyone at no owner's school, old exports, and the erasures that are due. Each kind is
    its own transaction; the run is logged with its counts (and in the audit log)."""
    from kollegium.privacy import retention
    from kollegium.privacy.tasks import erase

    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now)
    counts: dict[str, int] = {}

    def add(kind: str, count: int) -> None:
        counts[kind] = counts.get(kind, 0) + count
        if echo is not None:
            echo(kind, count)

    for rules, people, schools in retention.scopes():
        for kind, queryset, shown_to in retention.expired(rules, people, schools, now):
            add(kind, _retention_delete(queryset, shown_to))
        for person_id, school_id in retention.long_deactivated(rules, people, now):
            add("deactivated_accounts", _retention_erasure(person_id, school_id, rules, now))
    old_exports = DataExport.objects.filter(created_at__lt=now - timedelta(days=EXPORT_KEEP_DAYS))
    export_delete_files(old_exports)
    add("exports", _retention_delete(old_exports))
    for erasure_id in retention.due_erasures(now):
        add("erasures", 1 if erase(erasure_id) == "done" else 0)
    with transaction.atomic():
        run.finished_at = timezone.now()
        run.counts = counts
        run.save(update_fields=["finished_at", "counts"])
        audit_record(actor=None, action="privacy.retention_run", target=run, data=counts)
    return run


@transaction.atomic
def _retention_erasure(
    person_id: int, school_id: int | None, rules: OwnerPrivacySettings, now: datetime
) -> int:
    """Schedule, due at once, the erasure of an account deactivated for longer than the rule."""
    if ErasureRequest.objects.filter(person_id=person_id).exclude(status="cancelled").exists():
        return 0
    membership = (
        Membership.objects.filter(user_id=person_id, school_id=school_id)
        .select_related("school")
        .first()
    )
    label = (
        erasing.role_label(membership.role, membership.school.name)
        if membership
        else erasing.former_user_label()
    )
    erasure = ErasureRequest.objects.create(
        person_id=person_id,
        school_id=school_id,
        reason=ErasureReason.RETENTION,
        records=rules.records_default,
        records_reason=_("The owner's rule."),
        role_label=label,
        due_at=now,
    )
    audit_record(
        actor=None, action="privacy.erasure_scheduled", target=erasure, data={"reason": "retention"}
    )
    return 1

"""Writes of the records app: reading the audit log is itself recorded in it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kollegium.core.models import AuditEvent
from kollegium.core.services import audit_record
from kollegium.groups.models import LearningGroup
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation
from kollegium.records.permissions import can_answer_records_requests, can_read_audit


def _filters(*, who: str, action: str, since: date | None, until: date | None) -> dict[str, Any]:
    # The text searched for is not stored (only that there was one): the log keeps what was
    # looked at, not a free text that could name a person outside it.
    data: dict[str, Any] = {"who": bool(who)}
    if action:
        data["action"] = action
    if since:
        data["since"] = since.isoformat()
    if until:
        data["until"] = until.isoformat()
    return data


@transaction.atomic
def audit_access_record(
    *,
    actor: Actor,
    export: bool,
    rows: int,
    school: Organisation | None = None,
    who: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> AuditEvent:
    """Records that the person read (or exported, ``export``) the audit log with these filters."""
    person = as_actor(actor)
    if not can_read_audit(person):
        raise PermissionDenied
    if school is not None and not (
        person.is_installation_admin or school.pk in person.managed_school_ids
    ):
        school = None
    data = _filters(who=who, action=action, since=since, until=until)
    data["rows"] = rows
    return audit_record(
        actor=person,
        action="records.audit_exported" if export else "records.audit_viewed",
        school=school,
        data=data,
    )


@transaction.atomic
def records_request_record(
    *,
    actor: Actor,
    school: Organisation,
    group: LearningGroup | None,
    since: date,
    until: date,
    export_format: str,
    records: int,
) -> AuditEvent:
    """Records that official records were exported in answer to a request (what, for which
    period, how many documents)."""
    person = as_actor(actor)
    if not can_answer_records_requests(person, school):
        raise PermissionDenied
    if group is not None and group.school_id != school.pk:
        raise PermissionDenied
    return audit_record(
        actor=person,
        action="records.request_exported",
        target=group,
        school=school,
        data={
            "since": since.isoformat(),
            "until": until.isoformat(),
            "format": export_format,
            "records": records,
        },
    )

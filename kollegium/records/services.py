"""Writes of the records app: reading the audit log is itself recorded in it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollegium.accounts.models import User
from kollegium.core.models import AuditEvent
from kollegium.core.services import audit_record, notification_send
from kollegium.groups.models import LearningGroup
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation
from kollegium.records.models import AccessibilityReport
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


@transaction.atomic
def accessibility_report_create(*, actor: Actor, page: str, message: str) -> AccessibilityReport:
    """Stores a reported accessibility problem and tells every installation administrator
    (in the app, and by email if they want it)."""
    person = as_actor(actor)
    if not person.is_authenticated:
        raise PermissionDenied
    page, message = page.strip(), message.strip()
    if not message:
        raise ValidationError({"message": _("Describe the problem.")})
    if len(message) > 4000:
        raise ValidationError({"message": _("Keep it under 4,000 characters.")})
    if len(page) > 500:
        raise ValidationError({"page": _("Keep it under 500 characters.")})
    report = AccessibilityReport.objects.create(reporter=person.person, page=page, message=message)
    url = reverse("admin:records_accessibilityreport_change", args=[report.pk])
    for admin in User.objects.filter(is_staff=True, is_active=True).order_by("pk"):
        notification_send(
            recipient=admin,
            kind="records.accessibility_report",
            title=gettext_lazy("An accessibility problem was reported"),
            body=(f"{page}\n\n" if page else "") + message,
            url=url,
        )
    return report

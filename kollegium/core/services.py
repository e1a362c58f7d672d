"""Cross-cutting writes: the audit log and notifications."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kollegium.core.acting import ActingPerson
from kollegium.core.homepage import home_changed
from kollegium.core.models import AuditEvent, Notification
from kollegium.core.tasks import enqueue_on_commit, send_email


def audit_record(
    *,
    actor: ActingPerson | None,
    action: str,
    target: models.Model | None = None,
    school: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        school=school,
        data=data or {},
    )


def email_send_to_person(
    *, recipient: AbstractBaseUser, subject_template: str, body_template: str, context: dict
) -> None:
    """Renders an email in the recipient's language and sends it after the transaction commits."""
    language = getattr(recipient, "preferred_language", None) or "sv"
    with translation.override(language):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    email = recipient.email  # type: ignore[attr-defined]
    enqueue_on_commit(send_email, to=[email], subject=subject, body=body)


def notification_send(
    *,
    recipient: Any,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> Notification:
    """Shows a notification in the app, and emails it if the person wants email.

    `title` and `body` should already be in the recipient's language: build them inside
    `translation.override(recipient.preferred_language)`.
    """
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, title=title[:200], body=body, url=url
    )
    if email and recipient.wants_email_notifications and recipient.is_active:
        email_send_to_person(
            recipient=recipient,
            subject_template="core/email/notification_subject.txt",
            body_template="core/email/notification_body.txt",
            context={
                "notification": notification,
                "recipient": recipient,
                "site_url": settings.SITE_URL,
            },
        )
    return notification


def notifications_mark_read(*, actor: ActingPerson, ids: list[int] | None = None) -> int:
    queryset = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    marked = queryset.update(read_at=timezone.now())
    if marked:
        home_changed(user_ids=[actor.pk])
    return marked

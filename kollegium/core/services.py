"""Cross-cutting writes: the audit log and notifications."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kollegium.core import notices
from kollegium.core.acting import ActingPerson
from kollegium.core.homepage import home_changed
from kollegium.core.models import AuditEvent, Notification
from kollegium.core.registry import notification_delivery
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
    title: notices.Text,
    body: notices.Text = "",
    params: Mapping[str, Any] | None = None,
    url: str = "",
    email: bool = True,
) -> Notification:
    """Shows a notification in the app, and hands it on to be emailed as the person chose
    for its kind (at once, in a daily or weekly digest, or not at all).

    ``title`` and ``body``: a ``gettext_lazy`` string with ``%(name)s`` placeholders filled
    from ``params`` when read, in the reader's language then; or text someone wrote, shown
    as it is. A parameter that reads differently per language (a date, skill names) is given
    as ``notices.in_each_language(lambda: ...)`` (kollegium/core/notices.py).
    """
    message = notices.encode(title, body, params)
    language = getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        rendered_title = notices.render(message, "title") or ""
        rendered_body = notices.render(message, "body") or ""
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=rendered_title[:200],
        body=rendered_body,
        url=url,
        message=message,
    )
    deliver = notification_delivery()
    if deliver is not None:
        deliver(notification, email=email)
    return notification


def notifications_mark_read(*, actor: ActingPerson, ids: list[int] | None = None) -> int:
    queryset = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    marked = queryset.update(read_at=timezone.now())
    if marked:
        home_changed(user_ids=[actor.pk])
    return marked

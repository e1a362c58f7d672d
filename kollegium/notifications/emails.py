"""The notification emails: one notification at once, a digest, the cap's notice. Each is
rendered in the recipient's saved language, as plain text and HTML, and carries a signed
one-click unsubscribe link (RFC 8058 headers) and a link to the settings page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kollegium.core.models import Notification
from kollegium.core.tasks import enqueue_on_commit
from kollegium.notifications.kinds import catalogue, kind_for
from kollegium.notifications.tasks import send_notification_email
from kollegium.notifications.tokens import make_token


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def unsubscribe_url(user_id: int, kinds: Sequence[str]) -> str:
    return _absolute(reverse("notifications:unsubscribe", args=[make_token(user_id, kinds)]))


def _send(recipient: Any, template: str, context: dict[str, Any], kinds: Sequence[str]) -> None:
    language = getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE
    unsubscribe = unsubscribe_url(recipient.pk, kinds) if kinds else ""
    context = {
        **context,
        "recipient": recipient,
        "site_url": settings.SITE_URL.rstrip("/"),
        "settings_url": _absolute(reverse("notifications:settings")),
        "unsubscribe_url": unsubscribe,
    }
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
        html_body = render_to_string(f"{template}_body.html", context)
    headers = {}
    if unsubscribe:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    enqueue_on_commit(
        send_notification_email,
        to=[recipient.email],
        subject=subject,
        body=body,
        html_body=html_body,
        headers=headers,
    )


def send_immediate(notification: Notification) -> None:
    recipient = notification.recipient
    kind = kind_for(notification.kind)
    _send(
        recipient,
        "notifications/email/immediate",
        {"notification": notification, "kind": kind},
        [notification.kind],
    )


def send_cap_notice(recipient: Any, cap: int) -> None:
    _send(recipient, "notifications/email/cap", {"cap": cap}, [])


def digest_sections(
    notifications: Sequence[Notification], *, recipient_id: int | None = None
) -> list[dict[str, Any]]:
    """``notifications`` grouped by kind, in the order of the kinds' file, oldest first in
    each; with ``recipient_id``, each group gets its one-click unsubscribe link."""
    order = {k.key: i for i, k in enumerate(catalogue().kinds)}
    groups: dict[str, list[Notification]] = {}
    for notification in sorted(notifications, key=lambda n: (n.created_at, n.pk)):
        groups.setdefault(notification.kind, []).append(notification)
    return [
        {
            "kind": kind_for(key),
            "notifications": groups[key],
            "unsubscribe_url": unsubscribe_url(recipient_id, [key]) if recipient_id else "",
        }
        for key in sorted(groups, key=lambda k: (order.get(k, len(order)), k))
    ]


def send_digest(recipient: Any, period: str, notifications: list[Notification]) -> None:
    """One email listing ``notifications`` grouped by kind."""
    sections = digest_sections(notifications, recipient_id=recipient.pk)
    _send(
        recipient,
        "notifications/email/digest",
        {"period": period, "sections": sections, "count": len(notifications)},
        [section["kind"].key for section in sections],
    )

"""The core's personal data (issue 12): notifications, the audit log, home-page versions."""

import json
from typing import Any

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from kollegium.core.models import AuditEvent, Notification
from kollegium.core.registry import Erasure, PersonalData, register_personal_data


def replace_in_json(value: Any, old: str, new: str) -> Any:
    """``value`` with every string in it (keys too) holding ``old`` changed to hold ``new``."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [replace_in_json(v, old, new) for v in value]
    if isinstance(value, dict):
        return {
            replace_in_json(k, old, new): replace_in_json(v, old, new) for k, v in value.items()
        }
    return value


def json_holding(model: Any, field: str, text: str) -> Any:
    """Rows whose JSON ``field`` holds ``text`` (SQLite stores non-ASCII escaped)."""
    escaped = json.dumps(text)[1:-1]
    return model.objects.annotate(_text=Cast(field, TextField())).filter(
        Q(_text__contains=text) | Q(_text__contains=escaped)
    )


def _scrub_audit(erasure: Erasure) -> int:
    """Names and email addresses inside the audit events' data become the role (the events
    themselves are kept: the log says what happened, the person's row is anonymised)."""
    changed = 0
    for old, new in erasure.replacements:
        for event in json_holding(AuditEvent, "data", old).only("pk", "data"):
            event.data = replace_in_json(event.data, old, new)
            event.save(update_fields=["data"])
            changed += 1
    return changed


def _erase_notifications(erasure: Erasure) -> int:
    """The person's notifications go; names in other people's (a message's parameters, kept
    to render it in the reader's language) become the role, as in the texts."""
    own = Notification.objects.filter(recipient=erasure.person)
    # One statement, as privacy's fast_delete does: nothing points at a notification.
    changed = int(own._raw_delete(own.db))  # type: ignore[attr-defined]
    for old, new in erasure.replacements:
        for notification in json_holding(Notification, "message", old).only("pk", "message"):
            notification.message = replace_in_json(notification.message, old, new)
            notification.save(update_fields=["message"])
            changed += 1
    return changed


register_personal_data(
    PersonalData(
        model="core.Notification",
        person_fields=("recipient",),
        export_fields=("kind", "title", "body", "url", "created_at", "read_at"),
        text_fields=("title", "body"),
        erase=_erase_notifications,
    ),
    PersonalData(
        model="core.AuditEvent",
        person_fields=("actor",),
        export_fields=("action", "target_type", "target_id", "created_at"),
        erase=_scrub_audit,
        kept=(
            "The audit log says what was done; the person who did it is replaced by the role, "
            "and names in the log's data are replaced too."
        ),
    ),
    PersonalData(
        model="core.HomeVersion",
        person_fields=("user",),
        exempt="A number that changes when a person's home page does; it says nothing else.",
        erase="keep",
        kept="A number with nothing about the person in it.",
    ),
)

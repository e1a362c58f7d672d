from functools import cache
from typing import Any

from django.http import HttpRequest

from kollegium.core import frame


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation and the unread count, for every page.

    `nav_items` is computed only when a template asks for it: the header is kept rendered
    (kollegium/core/frame.py), and the items' visibility may cost queries.
    The current school comes from kollegium.organisations.context_processors.school.
    """
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}

    @cache
    def nav_items() -> list[dict[str, Any]]:
        path = request.path
        return [
            {**item, "current": frame.is_current(path, item["url"], item["prefix"])}
            for item in frame.nav_items(request)
        ]

    return {
        "nav_items": nav_items,
        "unread_notifications": _unread_count(request),
    }


def _unread_count(request: HttpRequest) -> int:
    from kollegium.core.models import Notification

    cached = getattr(request, "_kollegium_unread", None)
    if cached is None:
        # Read with the session and the person, in the one statement every signed-in request
        # makes (kollegium/accounts/signed_in.py); asked here only when the person came
        # another way.
        cached = getattr(request.user, "unread_notifications", None)
    if cached is None:
        cached = Notification.objects.filter(
            recipient_id=request.user.pk, read_at__isnull=True
        ).count()
        request._kollegium_unread = cached  # type: ignore[attr-defined]
    return cached

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from kollegium.core import registry


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation and the unread count, for every page.

    The current school comes from kollegium.organisations.context_processors.school.
    """
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = []
    for item in registry.nav_items():
        if item.visible is not None and not item.visible(request):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        prefix = item.match_prefix or url
        current = path == url if url == "/" else path.startswith(prefix)
        items.append({"url": url, "label": item.label, "current": current})
    return {
        "nav_items": items,
        "unread_notifications": _unread_count(request),
    }


def _unread_count(request: HttpRequest) -> int:
    from kollegium.core.models import Notification

    cached = getattr(request, "_kollegium_unread", None)
    if cached is None:
        cached = Notification.objects.filter(
            recipient_id=request.user.pk, read_at__isnull=True
        ).count()
        request._kollegium_unread = cached  # type: ignore[attr-defined]
    return cached

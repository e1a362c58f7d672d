from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from kollegium.core import registry
from kollegium.organisations.current import current_membership
from kollegium.organisations.selectors import memberships_for_user


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation, the current school and the unread count, for every page."""
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
    membership = current_membership(request)
    return {
        "nav_items": items,
        "current_membership": membership,
        "current_school": membership.school if membership else None,
        "all_memberships": memberships_for_user(request.user),
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

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from kollegium.core import registry

# The navigation's addresses, reversed once per process: they take no arguments, and reversing
# them on every page cost more than some pages' own work (issue 10).
_nav_urls: dict[tuple[str, str, Any, str], str] = {}


def _nav_url(name: str) -> str:
    key = (name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    url = _nav_urls.get(key)
    if url is None:
        url = _nav_urls[key] = reverse(name)
    return url


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
            url = _nav_url(item.url_name)
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

"""The person's current school and memberships, for every page (settings.TEMPLATES)."""

from typing import Any

from django.http import HttpRequest

from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_membership


def school(request: HttpRequest) -> dict[str, Any]:
    """`current_membership`, `current_school` and `all_memberships` (the school switcher).

    Each is read only when a template asks for it (the template engine calls them; each
    reads the memberships once per request): the kept header (kollegium/core/frame.py) needs
    none of them, so a page that shows no school runs no query for them.
    """
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}

    def membership() -> Any:
        return current_membership(request)

    def school() -> Any:
        found = current_membership(request)
        return found.school if found else None

    def memberships() -> Any:
        return actor_of(request).memberships

    return {
        "current_membership": membership,
        "current_school": school,
        "all_memberships": memberships,
    }

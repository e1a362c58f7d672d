"""The person's current school and memberships, for every page (settings.TEMPLATES)."""

from typing import Any

from django.http import HttpRequest

from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_membership


def school(request: HttpRequest) -> dict[str, Any]:
    """`current_membership`, `current_school` and `all_memberships` (the school switcher)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = current_membership(request)
    return {
        "current_membership": membership,
        "current_school": membership.school if membership else None,
        "all_memberships": actor_of(request).memberships,
    }

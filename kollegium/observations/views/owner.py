"""A school owner's development staff: counts of observations per school, never content."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kollegium.observations import selectors
from kollegium.organisations.actor import actor_of
from kollegium.organisations.permissions import get_owner_for_staff_or_404
from kollegium.organisations.selectors import min_group_size


@require_GET
def owner_counts(request: HttpRequest, owner_id: int) -> HttpResponse:
    """Planned, held and debriefed observations per school of the owner (404 for others)."""
    owner = get_owner_for_staff_or_404(actor_of(request), owner_id)
    rows = selectors.owner_observation_counts(owner=owner)
    return render(
        request,
        "observations/owner_counts.html",
        {"owner": owner, "rows": rows, "min_group": min_group_size(owner)},
    )

"""Home-page panels of the insights app.

The leader's panel ("where time falls short") and a person's own line are computed from
meetings, observations and the promise. Their home pages are kept fresh by the watches the
groups and observations apps already register (a meeting's members and the school's leaders,
an observation's pair and the school's leaders) and by ``home_changed`` in this app's services
(a promise concerns everyone at the school).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kollegium.core.registry import HomePanel, register_group_plan_check, register_home_panel
from kollegium.organisations.actor import actor_of


def leader_panel(request: HttpRequest) -> dict[str, Any] | None:
    from kollegium.insights.selectors import current_term, headline
    from kollegium.organisations.current import current_membership

    membership = current_membership(request)
    if membership is None or not membership.manages_school:
        return None
    # Kept for the leader's own line further down the same page (no second read).
    return headline(membership.school, current_term(), actor=actor_of(request))


def own_line(request: HttpRequest) -> dict[str, Any] | None:
    from kollegium.insights.selectors import current_term
    from kollegium.insights.selectors.personal import own_current
    from kollegium.organisations.current import current_membership

    actor = actor_of(request)
    owners = actor.staff_owners  # read once per request for the whole home page
    membership = current_membership(request)
    if membership is None:
        return {"owners": owners, "held": None} if owners else None
    return {**own_current(actor, membership.school, current_term()), "owners": owners}


register_home_panel(
    HomePanel("insights/_leader_panel.html", leader_panel, order=30, section="leader")
)
register_home_panel(HomePanel("insights/_home_line.html", own_line, order=85))


def _group_plan_check(**plan: Any) -> list[str]:
    from kollegium.insights.checks import group_plan_check

    return group_plan_check(**plan)


register_group_plan_check(_group_plan_check)

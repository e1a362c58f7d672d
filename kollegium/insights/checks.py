"""Gentle warnings for a group being planned (creating or editing a group).

The groups app sits below this one, so it cannot call in here directly: ``group_plan_check``
is what a registry hook in ``kollegium.core.registry`` hands it. The warnings say what research
suggests and why, with the source; they never stop anyone from saving.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from kollegium.groups.models import GroupMembership
from kollegium.insights import figures
from kollegium.insights.templatetags.insights import finding_message
from kollegium.observations.models import ObservationRound, RoundStatus
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Organisation
from kollegium.organisations.permissions import can_manage_school


def plan_warnings(
    *,
    members: int,
    interval_days: int,
    meeting_minutes: int,
    starts_on: date,
    ends_on: date,
) -> list[str]:
    """The research findings for a plan, each as one sentence: the figure, why, the source."""
    plan = figures.GroupPlan(
        members=members,
        interval_days=interval_days,
        meeting_minutes=meeting_minutes,
        run_days=(ends_on - starts_on).days + 1,
    )
    language = get_language() or "sv"
    return [
        f"{finding_message(f)} {f.rule.reason(language)} ({_('Source:')} {f.rule.source.text})"
        for f in figures.check_plan(plan)
    ]


def load_warning(member_ids: Iterable[int], *, today: date | None = None) -> str | None:
    """How many of these people are already at the research's limit of parallel groups and
    rounds, so that one more group would take them over it (a count, never who). Two queries."""
    today = today or timezone.localdate()
    ids = list(member_ids)
    limit = figures.rhythm().value("parallel_max")
    load: dict[int, int] = dict.fromkeys(ids, 0)
    for row in (
        GroupMembership.objects.filter(
            user_id__in=ids, group__starts_on__lte=today, group__ends_on__gte=today
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
    ):
        load[row["user_id"]] += row["n"]
    for row in (
        ObservationRound.participants.through.objects.filter(
            user_id__in=ids,
            observationround__status=RoundStatus.PUBLISHED,
            observationround__last_day__gte=today,
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
    ):
        load[row["user_id"]] += row["n"]
    over = sum(1 for n in load.values() if n >= limit)
    if not over:
        return None
    return ngettext(
        "%(count)s of the members is already in %(limit)s groups or rounds at once; a new "
        "group would take them over what splinters time.",
        "%(count)s of the members are already in %(limit)s groups or rounds at once; a new "
        "group would take them over what splinters time.",
        over,
    ) % {"count": over, "limit": limit}


def group_plan_check(
    *,
    actor: Actor,
    school: Organisation,
    members: list[int],
    interval_days: int,
    meeting_minutes: int,
    starts_on: date,
    ends_on: date,
) -> list[str]:
    """Everything to say about a group being created or edited: the research's rhythm for
    anyone; the members' load for the school's leaders only (a count, never who)."""
    warnings = plan_warnings(
        members=len(members),
        interval_days=interval_days,
        meeting_minutes=meeting_minutes,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if can_manage_school(actor, school):
        load = load_warning(members)
        if load:
            warnings.append(load)
    return warnings

"""Navigation, home panel and calendar-feed entries of the observations app."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollegium.accounts.models import User
from kollegium.core.homepage import watch
from kollegium.core.registry import (
    CalendarEvent,
    HomePanel,
    NavItem,
    register_calendar_source,
    register_home_panel,
    register_nav_item,
)
from kollegium.observations import lifecycle
from kollegium.observations.models import Observation, ObservationRound, RoundPair
from kollegium.organisations.actor import actor_of, as_actor
from kollegium.organisations.models import Membership, Role

register_nav_item(NavItem("observations:home", gettext_lazy("Observation"), order=50))


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """What is waiting for the person and their next observation (two queries)."""
    from kollegium.observations.models import Observation, RoundPair, RoundStatus

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    # a school owner's development staff: the way to the counts across the owner's schools
    # (the acting person's owners are read once per request, for the whole page)
    owners = actor_of(request).staff_owners
    if owners and not actor_of(request).memberships:
        return {"to_answer": 0, "next": None, "owners": owners, "staff_only": True}
    mine = Observation.objects.filter(Q(observer=user) | Q(observed=user))
    waiting = mine.filter(status=lifecycle.Status.REQUESTED).filter(
        Q(observer=user, awaiting=lifecycle.Role.OBSERVER.value)
        | Q(observed=user, awaiting=lifecycle.Role.OBSERVED.value)
    )
    pairs = RoundPair.objects.filter(
        Q(observer=user, observer_response="pending")
        | Q(observed=user, observed_response="pending"),
        round__status=RoundStatus.PUBLISHED,
        status="proposed",
    )
    upcoming = (
        mine.filter(status=lifecycle.Status.AGREED, end__gte=timezone.now())
        .select_related("observer", "observed")
        .order_by("start")
        .first()
    )
    # One statement for both counts (a query's building costs more than its lookup).
    to_answer = (
        waiting.order_by().values("pk").union(pairs.order_by().values("pk"), all=True).count()
    )
    return {"to_answer": to_answer, "next": upcoming, "owners": owners}


LEADER_PULSE_DAYS = 30


def leader_panel(request: HttpRequest) -> dict[str, Any] | None:
    """For the school's leader: how many observations took place lately (one query)."""
    from kollegium.observations.models import Observation
    from kollegium.organisations.current import current_membership

    membership = current_membership(request)
    if membership is None or not membership.manages_school:
        return None
    since = timezone.now() - timedelta(days=LEADER_PULSE_DAYS)
    held = Observation.objects.filter(
        school_id=membership.school_id,
        status__in=(lifecycle.Status.DONE.value, lifecycle.Status.DEBRIEFED.value),
        start__gte=since,
        start__lte=timezone.now(),
    ).count()
    return {"held": held, "days": LEADER_PULSE_DAYS}


register_home_panel(
    HomePanel("observations/_leader_panel.html", leader_panel, order=40, section="leader")
)


def home_panel_fresh_until(context: dict[str, Any]) -> datetime | None:
    """The next observation is shown until it ends."""
    upcoming = context["next"]
    return upcoming.end if upcoming is not None else None


register_home_panel(
    HomePanel(
        "observations/_home_panel.html",
        home_panel,
        order=50,
        fresh_until=home_panel_fresh_until,
    )
)


def _round_people(round_: Any) -> list[int]:
    return [
        person
        for pair in RoundPair.objects.filter(round=round_).values_list("observer_id", "observed_id")
        for person in pair
    ]


# Whose home page changes: the pair of an observation or of a round's pair; everyone in a
# round when it is sent out.
def _pair_and_leaders(observation: Any) -> Any:
    # The pair, and the school's leaders (the count on their home page).
    return User.objects.filter(
        Q(pk__in=[observation.observer_id, observation.observed_id])
        | Q(
            pk__in=Membership.objects.filter(
                school_id=observation.school_id, role__in=(Role.LEADER, Role.ADMINISTRATOR)
            ).values("user_id")
        )
    ).values("pk")


watch(Observation, users=_pair_and_leaders)
watch(RoundPair, users=lambda pair: [pair.observer_id, pair.observed_id])
watch(ObservationRound, users=_round_people)


def calendar_events(
    user: AbstractBaseUser, start: datetime, end: datetime
) -> Iterable[CalendarEvent]:
    """The person's observations and booked debriefs, for their private calendar feed.

    Declined and cancelled observations stay in the feed as cancelled (STATUS:CANCELLED) so
    calendars remove them. Notes and feedback never go into a feed.
    """
    from kollegium.observations.models import Observation

    rows = (
        Observation.objects.filter(Q(observer=user) | Q(observed=user))
        .filter(start__lt=end, end__gt=start)
        .select_related("observer", "observed")
    )
    for obs in rows:
        yield from _observation_events(obs, as_actor(user).person)


def calendar_events_for_many(
    users: Sequence[AbstractBaseUser], start: datetime, end: datetime
) -> dict[int, list[CalendarEvent]]:
    """Observations of many people at once (free-time finder, rounds): one query."""
    from kollegium.observations.models import Observation

    by_id = {user.pk: user for user in users}
    rows = Observation.objects.filter(
        Q(observer_id__in=list(by_id)) | Q(observed_id__in=list(by_id)),
        start__lt=end,
        end__gt=start,
    ).select_related("observer", "observed")
    events: dict[int, list[CalendarEvent]] = {}
    for obs in rows:
        for person_id in {obs.observer_id, obs.observed_id}:
            if person_id in by_id:
                events.setdefault(person_id, []).extend(
                    _observation_events(obs, as_actor(by_id[person_id]).person)
                )
    return events


def _observation_events(obs: Observation, user: User) -> Iterable[CalendarEvent]:
    base = settings.SITE_URL
    cancelled = obs.status in (lifecycle.Status.DECLINED, lifecycle.Status.CANCELLED)
    if obs.observer_id == user.pk:
        title = _("Observing %(name)s") % {"name": obs.observed.full_name}
    else:
        title = _("%(name)s observes your lesson") % {"name": obs.observer.full_name}
    url = base + reverse("observations:detail", args=[obs.pk])
    focus = obs.focus
    yield CalendarEvent(
        uid=f"observation-{obs.pk}@kollegium",
        title=title,
        start=obs.start,
        end=obs.end,
        location=obs.lesson_label,
        description=(_("Focus: %(focus)s") % {"focus": focus.title.get(user.preferred_language)})
        if focus
        else "",
        url=url,
        sequence=obs.sequence,
        cancelled=cancelled,
        last_modified=obs.updated_at,
        categories=(str(_("Peer observation")),),
    )
    if obs.debrief_start and obs.debrief_end:
        yield CalendarEvent(
            uid=f"observation-debrief-{obs.pk}@kollegium",
            title=_("Debrief with %(name)s") % {"name": obs.other_person(user).full_name},
            start=obs.debrief_start,
            end=obs.debrief_end,
            url=url,
            sequence=obs.sequence,
            cancelled=cancelled,
            last_modified=obs.updated_at,
            categories=(str(_("Peer observation")),),
        )


register_calendar_source(calendar_events, batch=calendar_events_for_many)

"""Reads for the observations app, always scoped to the acting person.

Content (notes, feedback) is read only in :func:`observation_detail`, which is only reached
through ``get_observation_for_pair_or_404``. Statistics read who/when/status and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.accounts.models import User
from kollegium.core.aggregates import shown as figure_shown
from kollegium.observations import lifecycle
from kollegium.observations.models import (
    Observation,
    ObservationFeedback,
    ObservationRound,
    ObservationStatus,
    RoundPair,
    RoundStatus,
    SharedLearning,
)
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Membership, Organisation, Team, TeamMembership
from kollegium.organisations.selectors import min_group_size, owner_schools

PAST_LIMIT = 30

RULE_TEXT = {
    "k_observe": _("%(people)s cannot observe %(k)s colleague(s) under the other rules."),
    "k_observed": _("%(people)s cannot be observed %(k)s time(s) under the other rules."),
    "subject_mode": _("The subject rule leaves too few suitable lessons for %(people)s."),
    "no_repeat": _(
        "Not repeating pairs from the previous round leaves too few colleagues for %(people)s."
    ),
    "max_per_day": _("At most %(per_day)s observation(s) per day is too tight for %(people)s."),
    "observer_free": _("%(people)s are not free during enough of their colleagues' lessons."),
}
#: what relaxing a blocking rule would give (the solver's ``relax`` codes)
RELAX_TEXT = {
    "max_per_day": _(
        "Allowing %(n)s observation(s) per person and day would remove this obstacle."
    ),
    "k": _("With %(n)s observation(s) per person this obstacle would go away."),
    "subject_mode": _("Allowing lessons in any subject would remove this obstacle."),
    "no_repeat": _("Allowing pairs from the previous round would remove this obstacle."),
    "observer_free": _(
        "Leaving them out of the round, or not requiring the observer to be free, would remove "
        "this obstacle."
    ),
}
NAMES_SHOWN = 12

RULE_NAME = {
    "k_observe": _("observations per person"),
    "k_observed": _("observations per person"),
    "subject_mode": _("subjects"),
    "no_repeat": _("no pair repeated from the previous round"),
    "max_per_day": _("at most per person and day"),
    "observer_free": _("the observer must be free"),
}


def colleagues_for(*, actor: Actor, school: Organisation) -> QuerySet[User]:
    """The people at ``school`` other than the actor, for choosing an observer."""
    return (
        User.objects.filter(memberships__school=school, is_active=True)
        .exclude(pk=actor.pk)
        .order_by("full_name")
        .distinct()
    )


def teachers_at(*, school: Organisation) -> QuerySet[User]:
    """Everyone at the school who can take part in a round (any role teaches in Sweden)."""
    return (
        User.objects.filter(memberships__school=school, is_active=True)
        .order_by("full_name")
        .distinct()
    )


@dataclass
class MyObservations:
    to_answer: list[Observation]
    upcoming: list[Observation]
    past: list[Observation]
    pairs_to_answer: list[RoundPair]


def observations_for_user(*, actor: Actor) -> MyObservations:
    """The actor's own observations (as observer or observed) and round pairs to answer."""
    now = timezone.now()
    rows = list(
        Observation.objects.filter(Q(observer_id=actor.pk) | Q(observed_id=actor.pk))
        .select_related("observer", "observed")
        .order_by("start")
    )
    to_answer, upcoming, past = [], [], []
    for obs in rows:
        role = obs.role_of(actor)
        if obs.status == lifecycle.Status.REQUESTED and role and obs.awaiting == role.value:
            to_answer.append(obs)
        elif obs.status in (lifecycle.Status.REQUESTED, lifecycle.Status.AGREED) and (
            obs.end >= now or obs.status == lifecycle.Status.AGREED
        ):
            upcoming.append(obs)
        else:
            past.append(obs)
    past.sort(key=lambda o: o.start, reverse=True)
    pairs = list(
        RoundPair.objects.filter(Q(observer_id=actor.pk) | Q(observed_id=actor.pk))
        .filter(round__status=RoundStatus.PUBLISHED, status__in=["proposed", "declined"])
        .select_related("round", "observer", "observed")
        .order_by("start")
    )
    return MyObservations(to_answer, upcoming, past[:PAST_LIMIT], pairs)


@dataclass
class ObservationDetail:
    notes: list[Any]
    feedback: Any
    learnings: list[SharedLearning]


def observation_detail(*, actor: Actor, observation: Observation) -> ObservationDetail:
    """Notes, feedback and shared learnings of one observation. Call only for the pair."""
    if observation.role_of(actor) is None:  # defence in depth: views use the 404 helper
        raise PermissionError("only the pair may read an observation's content")
    feedback = ObservationFeedback.objects.filter(observation=observation).first()
    return ObservationDetail(
        notes=list(observation.notes.select_related("author")),
        feedback=feedback,
        learnings=list(observation.shared_learnings.select_related("team")),
    )


def teams_of(*, actor: Actor, school: Organisation) -> QuerySet[Team]:
    return Team.objects.filter(school=school, team_memberships__user_id=actor.pk).order_by("name")


def shared_learnings_for(*, actor: Actor, school: Organisation | None) -> list[SharedLearning]:
    """Learnings shared with the whole school, or with a team the actor is in."""
    if school is None:
        return []
    team_ids = TeamMembership.objects.filter(user_id=actor.pk, team__school=school).values(
        "team_id"
    )
    return list(
        SharedLearning.objects.filter(school=school)
        .filter(Q(team__isnull=True) | Q(team_id__in=team_ids))
        .select_related("author", "team")
        .order_by("-created_at")[:20]
    )


def rounds_for_school(*, actor: Actor, school: Organisation) -> QuerySet[ObservationRound]:
    """Rounds at a school for its facilitators (the caller checks the permission)."""
    del actor
    return (
        ObservationRound.objects.filter(school=school)
        .select_related("team")
        .annotate(
            participant_count=Count("participants", distinct=True),
            pair_count=Count("pairs", distinct=True),
        )
        .order_by("-first_day", "-pk")
    )


@dataclass
class Blocking:
    rule: str
    rule_name: str
    text: str
    relax: str = ""


@dataclass
class RoundView:
    pairs: list[RoundPair]
    participants: list[User]
    blocking: list[Blocking]
    counts: dict[str, int]
    preferred: list[tuple[Any, Any]]


def _names(ids: list[str], people: dict[str, Any], everyone: bool = False) -> str:
    """The people a blocking rule concerns: everyone, or the names (the first few of many)."""
    if everyone:
        return str(_("Everyone in the round (%(n)s people)") % {"n": len(ids)})
    names = [
        people[i].full_name if i in people else str(_("someone outside the round"))
        for i in ids[:NAMES_SHOWN]
    ]
    if len(ids) > NAMES_SHOWN:
        names.append(str(_("%(n)s more") % {"n": len(ids) - NAMES_SHOWN}))
    return ", ".join(names)


def _relax_text(code: str) -> str:
    """The sentence for a solver ``relax`` code such as "max_per_day=2" or "k=1"."""
    key, _sep, value = code.partition("=")
    text = RELAX_TEXT.get(key)
    if text is None:
        return ""
    if key in ("max_per_day", "k"):
        if not value.isdigit():
            return ""
        if key == "k" and int(value) == 0:
            return ""
        return str(text % {"n": int(value)})
    return str(text)


def round_view(*, actor: Actor, round_: ObservationRound) -> RoundView:
    """Everything the round page shows (facilitators only), in a fixed number of queries."""
    del actor
    participants = list(round_.participants.order_by("full_name"))
    people = {str(p.pk): p for p in participants}
    pairs = list(round_.pairs.select_related("observer", "observed").order_by("start", "pk"))
    blocking = []
    for item in round_.blocking or []:
        rule = item.get("rule", "")
        if rule not in RULE_TEXT:
            continue
        text = RULE_TEXT[rule] % {
            "people": _names(list(item.get("people", [])), people, bool(item.get("everyone"))),
            "k": round_.k,
            "per_day": round_.max_per_day,
        }
        blocking.append(
            Blocking(
                rule=rule,
                rule_name=str(RULE_NAME[rule]),
                text=str(text),
                relax=_relax_text(str(item.get("relax", ""))),
            )
        )
    counts: dict[str, int] = defaultdict(int)
    for pair in pairs:
        counts[pair.status] += 1
    by_id = {p.pk: p for p in participants}
    preferred = [
        (by_id[o], by_id[d]) for o, d in round_.preferred_pairs if o in by_id and d in by_id
    ]
    return RoundView(
        pairs=pairs,
        participants=participants,
        blocking=blocking,
        counts=dict(counts),
        preferred=preferred,
    )


@dataclass
class StatisticsRow:
    """A team's progress in a round; below the owner's minimum group size only ``team`` and
    ``round`` are filled (``shown`` False): no count and no name reaches the page or export."""

    team: str
    round: str
    people: int | None
    planned: int | None
    took_place: int | None
    debriefed: int | None
    declined: int | None
    cancelled: int | None
    not_observed: list[str]
    observed_percent: int | None
    shown: bool = True


def statistics_for_school(*, actor: Actor, school: Organisation) -> list[StatisticsRow]:
    """How many observations took place per team and round, and who has not been observed.

    Reads only who observed whom, in which round and with what status: never a note, a piece
    of feedback, a focus or a lesson. The caller checks that the actor may see statistics.
    A row about fewer people than the school owner's minimum group size carries neither
    numbers nor names (core/aggregates.py).
    """
    del actor
    minimum = min_group_size(school)
    teams: dict[Any, str] = {t.pk: t.name for t in Team.objects.filter(school=school)}
    team_members: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in TeamMembership.objects.filter(team__school=school).values_list(
        "team_id", "user_id"
    ):
        team_members[team_id].append(user_id)
    rounds: dict[Any, str] = {r.pk: r.title for r in ObservationRound.objects.filter(school=school)}
    round_people: dict[int, list[int]] = {pk: [] for pk in rounds}
    through = ObservationRound.participants.through
    for round_id, user_id in through.objects.filter(observationround__school=school).values_list(
        "observationround_id", "user_id"
    ):
        round_people[round_id].append(user_id)
    records = [
        lifecycle.ObservationRecord(observer, observed, lifecycle.Status(status), round_id)
        for observer, observed, status, round_id in Observation.objects.filter(
            school=school
        ).values_list("observer_id", "observed_id", "status", "round_pair__round_id")
    ]
    rows = lifecycle.round_progress(
        teams={tid: team_members.get(tid, []) for tid in teams},
        rounds=round_people,
        records=records,
    )
    wanted = {p for row in rows if figure_shown(row.people, minimum) for p in row.not_observed}
    # Asked even when no row shows names (an id that is never used), so the page runs the same
    # queries whether its groups are below the minimum or not.
    names: dict[Any, str] = dict(
        User.objects.filter(pk__in=sorted(wanted) or [0]).values_list("pk", "full_name")
    )
    everyone = str(_("Everyone in the round"))
    outside = str(_("Outside rounds"))
    out = []
    for row in rows:
        team = teams.get(row.team_id, everyone) if row.team_id is not None else everyone
        round_name = rounds.get(row.round_id, outside) if row.round_id is not None else outside
        if not figure_shown(row.people, minimum):
            out.append(_hidden_row(team, round_name))
            continue
        out.append(_statistics_row(team, round_name, row, names))
    return out


def _hidden_row(team: str, round_name: str) -> StatisticsRow:
    return StatisticsRow(
        team=team,
        round=round_name,
        people=None,
        planned=None,
        took_place=None,
        debriefed=None,
        declined=None,
        cancelled=None,
        not_observed=[],
        observed_percent=None,
        shown=False,
    )


def _statistics_row(
    team: str, round_name: str, row: lifecycle.ProgressRow, names: dict[Any, str]
) -> StatisticsRow:
    return StatisticsRow(
        team=team,
        round=round_name,
        people=row.people,
        planned=row.planned,
        took_place=row.took_place,
        debriefed=row.debriefed,
        declined=row.declined,
        cancelled=row.cancelled,
        not_observed=sorted(names.get(p, "") for p in row.not_observed),
        observed_percent=round(row.observed_share * 100),
    )


# --- a school owner's counts -----------------------------------------------------------------

_PLANNED = (
    ObservationStatus.AGREED,
    ObservationStatus.DONE,
    ObservationStatus.DEBRIEFED,
)


@dataclass
class OwnerSchoolCounts:
    """A school's counts; None below the owner's minimum group size (``shown`` False)."""

    school: Organisation
    shown: bool
    planned: int | None
    happened: int | None
    debriefed: int | None


def owner_observation_counts(*, owner: Organisation) -> list[OwnerSchoolCounts]:
    """Per school of the owner: how many observations were planned (agreed or later), happened
    and were debriefed. Counts only, in three queries whatever the number of schools; a school
    with fewer people taking part than the owner's minimum group size is marked not shown (the
    page says "too few to show" and the numbers never reach it)."""
    minimum = min_group_size(owner)
    schools = list(owner_schools(owner=owner).order_by("name", "pk"))
    planned = Observation.objects.filter(
        school__in=owner_schools(owner=owner).values("pk"), status__in=_PLANNED
    ).order_by()
    counts = {
        row["school_id"]: row
        for row in planned.values("school_id").annotate(
            planned=Count("pk"),
            happened=Count(
                "pk",
                filter=Q(status__in=(ObservationStatus.DONE, ObservationStatus.DEBRIEFED)),
            ),
            debriefed=Count("pk", filter=Q(status=ObservationStatus.DEBRIEFED)),
        )
    }
    people: dict[int, int] = defaultdict(int)
    for school_id, _person in planned.values_list("school_id", "observer_id").union(
        planned.values_list("school_id", "observed_id")
    ):
        people[school_id] += 1
    out = []
    for school in schools:
        row = counts.get(school.pk, {})
        visible = figure_shown(people[school.pk], minimum)
        out.append(
            OwnerSchoolCounts(
                school=school,
                shown=visible,
                planned=row.get("planned", 0) if visible else None,
                happened=row.get("happened", 0) if visible else None,
                debriefed=row.get("debriefed", 0) if visible else None,
            )
        )
    return out


# --- network rounds seen from another school of the network -----------------------------------


@dataclass
class NetworkRoundCounts:
    """Counts of a network round for one school; None below the minimum (``shown`` False)."""

    round: ObservationRound
    shown: bool
    people: int | None  # participants from this school
    pairs: int | None  # pairs with someone from this school
    confirmed: int | None


def network_rounds_for_school(*, actor: Actor, school: Organisation) -> list[NetworkRoundCounts]:
    """Rounds run from another school of a network with people from ``school`` taking part:
    counts only for this school's leaders and facilitators (the caller checks), below the
    minimum group size not even those. Three queries."""
    del actor
    minimum = min_group_size(school)
    people = Membership.objects.filter(school=school).values("user_id")
    rounds = list(
        ObservationRound.objects.filter(
            network__isnull=False,
            network__network_memberships__school=school,
            participants__in=people,
        )
        .exclude(school=school)
        .select_related("school", "network")
        .annotate(people=Count("participants", filter=Q(participants__in=people), distinct=True))
        .order_by("-first_day", "-pk")
        .distinct()
    )
    pair_counts = {
        row["round_id"]: row
        for row in RoundPair.objects.filter(round__in=[r.pk for r in rounds])
        .filter(Q(observer_id__in=people) | Q(observed_id__in=people))
        .order_by()
        .values("round_id")
        .annotate(
            pairs=Count("pk"),
            confirmed=Count("pk", filter=Q(status="confirmed")),
        )
    }
    return [
        _network_round_counts(r, r.people, pair_counts.get(r.pk, {}), minimum)  # type: ignore[attr-defined]
        for r in rounds
    ]


def _network_round_counts(
    round_: ObservationRound, people: int, pairs: dict[str, int], minimum: int
) -> NetworkRoundCounts:
    if not figure_shown(people, minimum):
        return NetworkRoundCounts(
            round=round_, shown=False, people=None, pairs=None, confirmed=None
        )
    return NetworkRoundCounts(
        round=round_,
        shown=True,
        people=people,
        pairs=pairs.get("pairs", 0),
        confirmed=pairs.get("confirmed", 0),
    )

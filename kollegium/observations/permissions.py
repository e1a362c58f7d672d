"""Who may see and do what with observations and rounds.

* An observation, its notes and its feedback: the pair only (observer and observed teacher).
  Nobody else, not a leader and not an installation administrator: they get a 404.
* Rounds: facilitators, leaders and administrators of the round's school run them; a
  participant sees only their own pairs, once the round has been sent out.
* Statistics: facilitators and leaders of the school, and only counts and names, never content.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.core.audience import Audience, Part
from kollegium.observations.models import (
    Observation,
    ObservationRound,
    RoundPair,
    RoundStatus,
)
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation
from kollegium.organisations.selectors import membership_at, school_ids_for_user


def is_in_pair(user: Actor, observation: Observation) -> bool:
    return user.is_authenticated and user.pk in (observation.observer_id, observation.observed_id)


def observation_audience(observation: Observation) -> Audience:
    """Who can see the observation, its notes and feedback, in words, as ``is_in_pair``
    decides it (the tests check they agree for each persona)."""
    return Audience(
        (
            Part(
                _("the two of you: %(observer)s (observer) and %(observed)s (observed)")
                % {
                    "observer": observation.observer.full_name,
                    "observed": observation.observed.full_name,
                },
                lambda user: is_in_pair(user, observation),
            ),
        ),
        note=_("Leaders see only that the observation took place, never what was written."),
    )


def can_run_rounds_at(user: Actor, school: Organisation | None) -> bool:
    if school is None or not user.is_authenticated:
        return False
    membership = membership_at(user, school.pk)
    return bool(membership and membership.facilitates)


def can_view_statistics(user: Actor, school: Organisation | None) -> bool:
    return can_run_rounds_at(user, school)


def are_colleagues(user: Actor, other: User, school: Organisation) -> bool:
    """Both people belong to ``school``."""
    return school.pk in school_ids_for_user(user) and school.pk in as_actor(other).school_ids


def get_observation_for_pair_or_404(user: Actor, observation_id: int) -> Observation:
    observation = get_object_or_404(
        Observation.objects.select_related("observer", "observed", "school"), pk=observation_id
    )
    if not is_in_pair(user, observation):
        raise Http404
    return observation


def get_round_for_facilitator_or_404(user: Actor, round_id: int) -> ObservationRound:
    round_ = get_object_or_404(
        ObservationRound.objects.select_related("school", "team", "previous_round"), pk=round_id
    )
    if not can_run_rounds_at(user, round_.school):
        raise Http404
    return round_


def get_pair_for_participant_or_404(user: Actor, pair_id: int) -> RoundPair:
    pair = get_object_or_404(
        RoundPair.objects.select_related("round", "observer", "observed"), pk=pair_id
    )
    if pair.role_of(user) is None or pair.round.status != RoundStatus.PUBLISHED:
        raise Http404
    return pair


def get_pair_for_facilitator_or_404(user: Actor, pair_id: int) -> RoundPair:
    pair = get_object_or_404(
        RoundPair.objects.select_related("round", "round__school", "observer", "observed"),
        pk=pair_id,
    )
    if not can_run_rounds_at(user, pair.round.school):
        raise Http404
    return pair

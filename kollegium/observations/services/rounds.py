"""Writes on observation rounds: create, solve (as a task), publish, answer, move a pair, close."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollegium.accounts.models import User
from kollegium.core.homepage import home_changed
from kollegium.core.services import audit_record, notification_send
from kollegium.core.tasks import enqueue_on_commit
from kollegium.observations import lifecycle
from kollegium.observations.guides import load_guides
from kollegium.observations.models import (
    Observation,
    ObservationRound,
    PairStatus,
    RoundPair,
    RoundStatus,
    SubjectMode,
)
from kollegium.observations.permissions import can_run_rounds_at
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import (
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Team,
)

MAX_ROUND_DAYS = 8 * 7
MAX_K = 5
MAX_PARTICIPANTS = 300
MAX_NETWORK_PARTICIPANTS = 1000
MAX_TRAVEL_MINUTES = 180
DEFAULT_FORM = "stars_and_wish"


def _require_facilitator(actor: Actor, school: Organisation) -> None:
    if not can_run_rounds_at(actor, school):
        raise PermissionDenied


def _notify(recipient: User, kind: str, message: Any, url: str, **params: Any) -> None:
    notification_send(recipient=recipient, kind=kind, title=message, params=params, url=url)


@transaction.atomic
def round_create(
    *,
    actor: Actor,
    school: Organisation,
    title: str,
    participants: list[Any],
    first_day: date,
    last_day: date,
    k: int = 1,
    subject_mode: str = SubjectMode.MIXED,
    team: Team | None = None,
    previous_round: ObservationRound | None = None,
    max_per_day: int = 1,
    require_observer_free: bool = True,
    network: Network | None = None,
    whole_network: bool = False,
    travel_minutes: int = 0,
    other_schools_only: bool = False,
) -> ObservationRound:
    """A round at ``school``, or across the schools of ``network`` (run from ``school``, which
    must be one of them; ``whole_network`` adds everyone at the network's schools). Everyone
    in a round belongs to the school, or to one of the network's schools."""
    _require_facilitator(actor, school)
    title = title.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the round a title.")
    school_ids = [school.pk]
    if network is not None:
        school_ids = list(
            NetworkMembership.objects.filter(network=network).values_list("school_id", flat=True)
        )
        if school.pk not in school_ids:
            errors["network"] = _("Choose a network this school belongs to.")
            school_ids = [school.pk]
    people = {p.pk: p for p in participants}
    if network is not None and whole_network and "network" not in errors:
        for person in User.objects.filter(
            is_active=True, memberships__school_id__in=school_ids
        ).distinct():
            people.setdefault(person.pk, person)
    limit = MAX_NETWORK_PARTICIPANTS if network is not None else MAX_PARTICIPANTS
    if len(people) < 2:
        errors["participants"] = _("A round needs at least two teachers.")
    elif len(people) > limit:
        errors["participants"] = _("A round can have at most %(n)s teachers.") % {"n": limit}
    member_ids = set(
        Membership.objects.filter(school_id__in=school_ids, user_id__in=people).values_list(
            "user_id", flat=True
        )
    )
    if set(people) - member_ids:
        errors["participants"] = (
            _("Everyone in a round must belong to one of the network's schools.")
            if network is not None
            else _("Everyone in a round must belong to the school.")
        )
    if not 0 <= travel_minutes <= MAX_TRAVEL_MINUTES:
        errors["travel_minutes"] = _("Choose between 0 and %(n)s minutes.") % {
            "n": MAX_TRAVEL_MINUTES
        }
    if team is not None and team.school_id != school.pk:
        errors["team"] = _("Choose a team at this school.")
    if last_day < first_day:
        errors["last_day"] = _("The last day must not be before the first day.")
    elif (last_day - first_day).days + 1 > MAX_ROUND_DAYS:
        errors["last_day"] = _("A round can last at most eight weeks.")
    if not 1 <= k <= MAX_K:
        errors["k"] = _("Choose between 1 and %(n)s observations per person.") % {"n": MAX_K}
    if subject_mode not in SubjectMode.values:
        errors["subject_mode"] = _("Choose a subject rule.")
    if not 1 <= max_per_day <= 3:
        errors["max_per_day"] = _("Choose between 1 and 3 observations per day.")
    if previous_round is not None and previous_round.school_id != school.pk:
        errors["previous_round"] = _("Choose a round at this school.")
    if errors:
        raise ValidationError(errors)
    round_ = ObservationRound.objects.create(
        school=school,
        team=team,
        title=title[:200],
        first_day=first_day,
        last_day=last_day,
        k=k,
        subject_mode=subject_mode,
        previous_round=previous_round,
        max_per_day=max_per_day,
        require_observer_free=require_observer_free,
        network=network if network is not None else None,
        travel_minutes=travel_minutes if network is not None else 0,
        other_schools_only=other_schools_only and network is not None,
        created_by=as_actor(actor).person,
    )
    round_.participants.set(list(people.values()))
    audit_record(actor=actor, action="observations.round_created", target=round_, school=school)
    return round_


@transaction.atomic
def round_solve(*, actor: Actor, round_: ObservationRound) -> ObservationRound:
    """Start planning the round: record the request now, solve in a task after commit.

    The round is marked "planning" in this transaction; the solve task is enqueued only when
    it commits (never inside it, so a rollback plans nothing and the task's progress is seen
    by the page while it runs). The page polls the round until the task has stored a result.
    """
    from kollegium.observations.tasks import solve_observation_round

    _require_facilitator(actor, round_.school)
    # Locked, so two clicks on "Plan" at once start one solve, not two.
    current = ObservationRound.objects.select_for_update().get(pk=round_.pk)
    if current.status not in (RoundStatus.DRAFT, RoundStatus.PROPOSED, RoundStatus.INFEASIBLE):
        raise ValidationError(_("This round has already been sent out."), code="status")
    round_.status = RoundStatus.SOLVING
    round_.progress = 0.0
    round_.solve_error = ""
    round_.task_id = ""
    round_.save(update_fields=["status", "progress", "solve_error", "task_id"])
    enqueue_on_commit(solve_observation_round, round_id=round_.pk)
    return round_


# The solve task's writes. Each is its own short transaction, so the page that polls the
# round sees them at once; none is called inside a request.

_WAITING = {"status": RoundStatus.SOLVING}
_RESULT_FIELDS = [  # what a solve writes, besides status and solve_error
    "result_status",
    "objective",
    "best_bound",
    "gap",
    "wall_time_s",
    "blocking",
    "solved_at",
    "progress",
]


@transaction.atomic
def round_solve_start(*, round_id: int, task_id: str) -> ObservationRound | None:
    """The solve task claims its round. None when there is nothing to plan any more: the round
    was deleted, closed, or is already being planned by another run of the task."""
    round_ = (
        ObservationRound.objects.select_for_update()
        .select_related("school")
        .filter(pk=round_id, **_WAITING)
        .first()
    )
    if round_ is None or round_.task_id not in ("", task_id[:64]):
        return None
    round_.task_id = task_id[:64]
    round_.save(update_fields=["task_id"])
    return round_


@transaction.atomic
def round_progress_record(*, round_id: int, progress: float) -> None:
    """How far planning has come, 0–1 (1 is written with the result)."""
    ObservationRound.objects.filter(pk=round_id, **_WAITING).update(
        progress=min(max(progress, 0.0), 0.99)
    )


@transaction.atomic
def round_store_result(*, round_: ObservationRound, result: Any, built: Any) -> ObservationRound:
    """Save a solver result (called by the solve task): the proposed pairs or what blocks.

    All or nothing: if anything fails here, the task records the failure instead
    (:func:`round_solve_fail`). A round closed while it was being planned keeps its state."""
    if not ObservationRound.objects.select_for_update().filter(pk=round_.pk, **_WAITING).exists():
        return round_
    round_.pairs.all().delete()
    round_.result_status = result.status
    round_.objective = result.objective if result.status in ("optimal", "feasible") else None
    round_.best_bound = result.best_bound if result.best_bound != float("inf") else None
    round_.gap = result.gap if result.gap != float("inf") else None
    round_.wall_time_s = result.wall_time_s
    round_.blocking = [
        {
            "rule": b.rule,
            "people": list(b.people),
            "detail": b.detail,
            "relax": b.relax,
            "everyone": b.everyone,
        }
        for b in result.blocking
    ]
    round_.solved_at = timezone.now()
    round_.progress = 1.0
    if result.assignments:
        RoundPair.objects.bulk_create(
            [
                RoundPair(
                    round=round_,
                    observer_id=int(a.observer_id),
                    observed_id=int(a.observed_id),
                    lesson_ref=a.lesson_id,
                    lesson_label=built.labels.get(a.lesson_id, ""),
                    start=built.lessons[a.lesson_id].start,
                    end=built.lessons[a.lesson_id].end,
                )
                for a in result.assignments
            ]
        )
        round_.status = RoundStatus.PROPOSED
    elif result.status == "infeasible":
        round_.status = RoundStatus.INFEASIBLE
    else:
        round_.status = RoundStatus.INFEASIBLE
        round_.solve_error = "no_schedule"
    round_.save(update_fields=[*_RESULT_FIELDS, "status", "solve_error"])
    return round_


@transaction.atomic
def round_solve_fail(*, round_id: int, code: str) -> None:
    """Planning stopped (``code`` is one of ``ObservationRound.SOLVE_ERRORS``): say so, and
    leave no schedule from before, so the page shows the error and "Plan again", nothing else."""
    round_ = ObservationRound.objects.select_for_update().filter(pk=round_id, **_WAITING).first()
    if round_ is None:
        return
    round_.pairs.all().delete()
    round_.status = RoundStatus.INFEASIBLE
    round_.solve_error = code[:300]
    round_.result_status = ""
    round_.objective = round_.best_bound = round_.gap = round_.wall_time_s = None
    round_.blocking = []
    round_.solved_at = timezone.now()
    round_.progress = 1.0
    round_.save(update_fields=[*_RESULT_FIELDS, "status", "solve_error"])


@transaction.atomic
def round_publish(*, actor: Actor, round_: ObservationRound) -> ObservationRound:
    """Send the proposed pairs to the participants, who accept or decline them."""
    _require_facilitator(actor, round_.school)
    if round_.status != RoundStatus.PROPOSED:
        raise ValidationError(_("Only a proposed schedule can be sent out."), code="status")
    round_.status = RoundStatus.PUBLISHED
    round_.save(update_fields=["status"])
    url = reverse("observations:home")
    for person in round_.participants.all():
        _notify(
            person,
            "observation_round",
            gettext_lazy("Observation round “%(title)s”: please answer your proposed pairs"),
            url,
            title=round_.title,
        )
    audit_record(
        actor=actor, action="observations.round_published", target=round_, school=round_.school
    )
    return round_


@transaction.atomic
def round_prefer_pair(
    *, actor: Actor, round_: ObservationRound, observer: User | None, observed: User | None
) -> ObservationRound:
    """A leader-chosen pair the planner should prefer (a soft wish, not a rule)."""
    _require_facilitator(actor, round_.school)
    if round_.status not in (RoundStatus.DRAFT, RoundStatus.PROPOSED, RoundStatus.INFEASIBLE):
        raise ValidationError(_("This round has already been sent out."), code="status")
    people = set(round_.participants.values_list("pk", flat=True))
    if observer is None or observed is None or {observer.pk, observed.pk} - people:
        raise ValidationError(_("Choose two people in the round."), code="people")
    if observer.pk == observed.pk:
        raise ValidationError(_("Choose two different people."), code="people")
    pair = [observer.pk, observed.pk]
    if pair not in round_.preferred_pairs:
        round_.preferred_pairs = [*round_.preferred_pairs, pair]
        round_.save(update_fields=["preferred_pairs"])
    return round_


@transaction.atomic
def round_unprefer_pair(
    *, actor: Actor, round_: ObservationRound, observer_id: int, observed_id: int
) -> ObservationRound:
    _require_facilitator(actor, round_.school)
    round_.preferred_pairs = [p for p in round_.preferred_pairs if p != [observer_id, observed_id]]
    round_.save(update_fields=["preferred_pairs"])
    return round_


@transaction.atomic
def round_close(*, actor: Actor, round_: ObservationRound) -> ObservationRound:
    _require_facilitator(actor, round_.school)
    round_.status = RoundStatus.CLOSED
    round_.save(update_fields=["status"])
    return round_


def _observation_school(pair: RoundPair) -> Any:
    """The school an observation of the round belongs to: the round's, or in a network round
    the observed teacher's school among the network's (where the lesson is)."""
    round_ = pair.round
    if round_.network_id is None:
        return round_.school
    membership = (
        Membership.objects.filter(
            user_id=pair.observed_id,
            school_id__in=NetworkMembership.objects.filter(network_id=round_.network_id).values(
                "school_id"
            ),
        )
        .select_related("school")
        .order_by("school_id")
        .first()
    )
    return membership.school if membership is not None else round_.school


def _confirm(pair: RoundPair) -> Observation:
    observation = Observation(
        school=_observation_school(pair),
        observer=pair.observer,
        observed=pair.observed,
        requested_by=lifecycle.Role.OBSERVED.value,
        lesson_label=pair.lesson_label,
        lesson_ref=pair.lesson_ref,
        form_key=DEFAULT_FORM if DEFAULT_FORM in load_guides().form_keys else "",
        round_pair=pair,
    )
    observation.apply_state(
        lifecycle.ObservationState(
            status=lifecycle.Status.AGREED, start=pair.start, end=pair.end, awaiting=None
        )
    )
    observation.save()
    return observation


@transaction.atomic
def pair_respond(*, actor: Actor, pair: RoundPair, accept: bool, reason: str = "") -> RoundPair:
    """One person accepts or declines a proposed pair. Both accepting creates the observation."""
    role = pair.role_of(actor)
    if role is None or pair.round.status != RoundStatus.PUBLISHED:
        raise PermissionDenied
    field = "observer_response" if role is lifecycle.Role.OBSERVER else "observed_response"
    answer = lifecycle.Response.ACCEPTED if accept else lifecycle.Response.DECLINED
    try:
        new, clean_reason = lifecycle.respond_to_pair(
            lifecycle.Response(getattr(pair, field)), answer, reason=reason
        )
    except lifecycle.TransitionError as err:
        from kollegium.observations.services.observations import transition_message

        raise ValidationError(transition_message(err.code), code=err.code) from err
    setattr(pair, field, new.value)
    if new is lifecycle.Response.DECLINED:
        pair.decline_reason = clean_reason
    pair.status = lifecycle.pair_outcome(
        lifecycle.Response(pair.observer_response), lifecycle.Response(pair.observed_response)
    ).value
    pair.save()
    if (
        pair.status == PairStatus.CONFIRMED
        and not Observation.objects.filter(round_pair=pair).exists()
    ):
        observation = _confirm(pair)
        for person in (pair.observer, pair.observed):
            _notify(
                person,
                "observation_confirmed",
                gettext_lazy("Your observation in the round “%(title)s” is confirmed"),
                reverse("observations:detail", args=[observation.pk]),
                title=pair.round.title,
            )
    elif pair.status == PairStatus.DECLINED:
        Observation.objects.filter(round_pair=pair).exclude(
            status__in=[s.value for s in lifecycle.FINAL | lifecycle.TOOK_PLACE]
        ).update(
            status=lifecycle.Status.CANCELLED.value,
            reason=clean_reason,
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )
        home_changed(user_ids=[pair.observer_id, pair.observed_id])
        if pair.round.created_by is not None:
            _notify(
                pair.round.created_by,
                "observation_pair_declined",
                gettext_lazy("A pair in the round “%(title)s” was declined"),
                reverse("observations:round_detail", args=[pair.round_id]),
                title=pair.round.title,
            )
    return pair


@transaction.atomic
def pair_move(*, actor: Actor, pair: RoundPair, lesson_ref: str) -> RoundPair:
    """Move one pair to another lesson that keeps every rule; the other pairs stay as they are."""
    from kollegium.observations.timetable import pair_alternatives

    round_ = pair.round
    _require_facilitator(actor, round_.school)
    if round_.status not in (RoundStatus.PROPOSED, RoundStatus.PUBLISHED):
        raise ValidationError(_("This round cannot be changed now."), code="status")
    if (
        Observation.objects.filter(round_pair=pair)
        .exclude(status=lifecycle.Status.CANCELLED.value)
        .exists()
    ):
        raise ValidationError(
            _("Both have already accepted this pair; they can reschedule it themselves."),
            code="confirmed",
        )
    options = {alt.lesson_ref: alt for alt in pair_alternatives(pair=pair)}
    choice = options.get(lesson_ref)
    if choice is None:
        raise ValidationError(
            _("That lesson no longer fits the round's rules. Choose another one."),
            code="lesson",
        )
    Observation.objects.filter(round_pair=pair).update(round_pair=None)
    pair.lesson_ref = choice.lesson_ref
    pair.lesson_label = choice.label
    pair.start = choice.start
    pair.end = choice.end
    pair.observer_response = pair.observed_response = lifecycle.Response.PENDING.value
    pair.status = PairStatus.PROPOSED
    pair.decline_reason = ""
    pair.moved_count += 1
    pair.save()
    if round_.status == RoundStatus.PUBLISHED:
        for person in (pair.observer, pair.observed):
            _notify(
                person,
                "observation_pair_moved",
                gettext_lazy("A new lesson is proposed in the round “%(title)s”"),
                reverse("observations:home"),
                title=round_.title,
            )
    return pair

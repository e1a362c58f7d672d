"""Writes on single observations: request, answer, move, hold, debrief, notes, feedback, sharing.

The status rules live in the pure :mod:`kollegium.observations.lifecycle`; these functions load,
check who is acting, apply a transition, save, and tell the other person.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollegium.accounts.models import User
from kollegium.core.services import audit_record, notification_send
from kollegium.observations import lifecycle
from kollegium.observations.guides import load_guides
from kollegium.observations.models import (
    Observation,
    ObservationFeedback,
    ObservationNote,
    SharedLearning,
)
from kollegium.observations.permissions import are_colleagues
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation, Team

MAX_NOTE = 2000
MAX_FEEDBACK_FIELD = 3000
MAX_DETAIL = 1000
MAX_LEARNING = 1500

TRANSITION_MESSAGES = {
    "final_status": gettext_lazy("This observation is closed and can no longer be changed."),
    "wrong_status": gettext_lazy("That is not possible in the observation's current status."),
    "not_your_turn": gettext_lazy("It is the other person's turn to answer."),
    "reason_required": gettext_lazy("Please give a reason."),
    "reason_too_long": gettext_lazy("The reason can be at most 500 characters."),
    "time_required": gettext_lazy("Please give a new date and time."),
    "naive_time": gettext_lazy("Please give a date and time."),
    "end_before_start": gettext_lazy("The end must be after the start."),
    "time_in_past": gettext_lazy("The time must be in the future."),
    "same_time": gettext_lazy("That is already the agreed time."),
    "not_started": gettext_lazy("The lesson has not started yet."),
}


def transition_message(code: str) -> str:
    return str(TRANSITION_MESSAGES.get(code, gettext_lazy("That is not possible right now.")))


def _role(actor: Actor, observation: Observation) -> lifecycle.Role:
    role = observation.role_of(actor)
    if role is None:
        raise PermissionDenied
    return role


def _notify(
    observation: Observation, recipient: User, kind: str, title: Any, **params: Any
) -> None:
    """Tell one person of the pair (in the language they read it in). Titles never contain
    notes or feedback."""
    notification_send(
        recipient=recipient,
        kind=kind,
        title=title,
        params=params,
        url=reverse("observations:detail", args=[observation.pk]),
    )


def _apply(
    *,
    actor: Actor,
    observation: Observation,
    action: lifecycle.Action,
    now: datetime | None = None,
    **kwargs: Any,
) -> Observation:
    role = _role(actor, observation)
    try:
        state = lifecycle.transition(
            observation.state, action, role=role, now=now or timezone.now(), **kwargs
        )
    except lifecycle.TransitionError as err:
        raise ValidationError(transition_message(err.code), code=err.code) from err
    observation.apply_state(state)
    observation.save()
    return observation


def _check_focus_and_form(focus_key: str, form_key: str, detail: str) -> None:
    guides = load_guides()
    if focus_key and focus_key not in guides.focus_keys:
        raise ValidationError(_("Choose one of the focus areas."), code="focus")
    if form_key not in guides.form_keys:
        raise ValidationError(_("Choose one of the feedback forms."), code="form")
    if len(detail) > MAX_DETAIL:
        raise ValidationError(
            _("Keep it to at most %(n)s characters.") % {"n": MAX_DETAIL}, code="detail"
        )


@transaction.atomic
def observation_request(
    *,
    actor: Actor,
    school: Organisation,
    observer: User | None,
    start: datetime,
    end: datetime,
    focus_key: str,
    form_key: str,
    focus_detail: str = "",
    lesson_label: str = "",
    lesson_ref: str = "",
    now: datetime | None = None,
) -> Observation:
    """The actor asks ``observer`` to observe one of the actor's lessons, with a focus."""
    if observer is None or observer.pk == actor.pk:
        raise ValidationError(_("Choose a colleague to observe your lesson."), code="observer")
    if not are_colleagues(actor, observer, school):
        raise ValidationError(_("You can only ask colleagues at your school."), code="observer")
    if not focus_key:
        raise ValidationError(_("Choose what your colleague should look for."), code="focus")
    focus_detail = focus_detail.strip()
    _check_focus_and_form(focus_key, form_key, focus_detail)
    try:
        state = lifecycle.request(
            by=lifecycle.Role.OBSERVED, start=start, end=end, now=now or timezone.now()
        )
    except lifecycle.TransitionError as err:
        raise ValidationError(transition_message(err.code), code=err.code) from err
    observation = Observation(
        school=school,
        observer=observer,
        observed=as_actor(actor).person,
        requested_by=lifecycle.Role.OBSERVED.value,
        focus_key=focus_key,
        focus_detail=focus_detail,
        form_key=form_key,
        lesson_label=lesson_label.strip()[:200],
        lesson_ref=lesson_ref[:64],
    )
    observation.apply_state(state)
    observation.save()
    _notify(
        observation,
        observer,
        "observation_requested",
        gettext_lazy("%(name)s asks you to observe a lesson"),
        name=as_actor(actor).person.full_name,
    )
    return observation


@transaction.atomic
def observation_agree(*, actor: Actor, observation: Observation) -> Observation:
    _apply(actor=actor, observation=observation, action=lifecycle.Action.AGREE)
    _notify(
        observation,
        observation.other_person(actor),
        "observation_agreed",
        gettext_lazy("%(name)s agreed to the observation"),
        name=as_actor(actor).person.full_name,
    )
    return observation


@transaction.atomic
def observation_decline(*, actor: Actor, observation: Observation, reason: str) -> Observation:
    _apply(actor=actor, observation=observation, action=lifecycle.Action.DECLINE, reason=reason)
    _notify(
        observation,
        observation.other_person(actor),
        "observation_declined",
        gettext_lazy("%(name)s declined the observation"),
        name=as_actor(actor).person.full_name,
    )
    return observation


@transaction.atomic
def observation_reschedule(
    *,
    actor: Actor,
    observation: Observation,
    start: datetime,
    end: datetime,
    lesson_label: str | None = None,
    now: datetime | None = None,
) -> Observation:
    _apply(
        actor=actor,
        observation=observation,
        action=lifecycle.Action.RESCHEDULE,
        start=start,
        end=end,
        now=now,
    )
    if lesson_label is not None:
        observation.lesson_label = lesson_label.strip()[:200]
        observation.lesson_ref = ""
    observation.debrief_start = observation.debrief_end = None
    observation.save()
    _notify(
        observation,
        observation.other_person(actor),
        "observation_rescheduled",
        gettext_lazy("%(name)s proposes a new time for the observation"),
        name=as_actor(actor).person.full_name,
    )
    return observation


@transaction.atomic
def observation_cancel(*, actor: Actor, observation: Observation, reason: str = "") -> Observation:
    _apply(actor=actor, observation=observation, action=lifecycle.Action.CANCEL, reason=reason)
    _notify(
        observation,
        observation.other_person(actor),
        "observation_cancelled",
        gettext_lazy("%(name)s cancelled the observation"),
        name=as_actor(actor).person.full_name,
    )
    return observation


@transaction.atomic
def observation_mark_done(
    *, actor: Actor, observation: Observation, now: datetime | None = None
) -> Observation:
    return _apply(actor=actor, observation=observation, action=lifecycle.Action.MARK_DONE, now=now)


@transaction.atomic
def observation_mark_debriefed(*, actor: Actor, observation: Observation) -> Observation:
    return _apply(actor=actor, observation=observation, action=lifecycle.Action.MARK_DEBRIEFED)


@transaction.atomic
def observation_set_focus(
    *,
    actor: Actor,
    observation: Observation,
    focus_key: str,
    form_key: str,
    focus_detail: str = "",
    now: datetime | None = None,
) -> Observation:
    """Only the observed teacher chooses the focus and the form, before the lesson starts."""
    role = _role(actor, observation)
    if not lifecycle.may_choose_focus(observation.state, role, now or timezone.now()):
        raise PermissionDenied
    if not focus_key:
        raise ValidationError(_("Choose what your colleague should look for."), code="focus")
    focus_detail = focus_detail.strip()
    _check_focus_and_form(focus_key, form_key, focus_detail)
    observation.focus_key = focus_key
    observation.form_key = form_key
    observation.focus_detail = focus_detail
    observation.updated_at = timezone.now()
    observation.save(update_fields=["focus_key", "form_key", "focus_detail", "updated_at"])
    _notify(
        observation,
        observation.observer,
        "observation_focus",
        gettext_lazy("%(name)s chose the focus for the observation"),
        name=as_actor(actor).person.full_name,
    )
    return observation


@transaction.atomic
def observation_note_add(*, actor: Actor, observation: Observation, body: str) -> ObservationNote:
    role = _role(actor, observation)
    if not lifecycle.may_write_notes(observation.state, role):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ValidationError(_("Write something first."), code="empty")
    if len(body) > MAX_NOTE:
        raise ValidationError(
            _("A note can be at most %(n)s characters.") % {"n": MAX_NOTE}, code="too_long"
        )
    return ObservationNote.objects.create(
        observation=observation, author=as_actor(actor).person, body=body
    )


@transaction.atomic
def observation_feedback_save(
    *,
    actor: Actor,
    observation: Observation,
    answers: dict[str, str],
    now: datetime | None = None,
) -> ObservationFeedback:
    """The observer's feedback, in the agreed form, field by field."""
    role = _role(actor, observation)
    if not lifecycle.may_write_feedback(observation.state, role, now or timezone.now()):
        raise PermissionDenied
    form = observation.form
    if form is None:
        raise ValidationError(_("Choose one of the feedback forms."), code="form")
    cleaned = {key: (answers.get(key) or "").strip() for key in form.field_keys}
    if not any(cleaned.values()):
        raise ValidationError(_("Write something first."), code="empty")
    for value in cleaned.values():
        if len(value) > MAX_FEEDBACK_FIELD:
            raise ValidationError(
                _("Each part can be at most %(n)s characters.") % {"n": MAX_FEEDBACK_FIELD},
                code="too_long",
            )
    feedback, created = ObservationFeedback.objects.update_or_create(
        observation=observation,
        defaults={"form_key": form.key, "answers": cleaned, "updated_at": timezone.now()},
    )
    if created:
        _notify(
            observation,
            observation.observed,
            "observation_feedback",
            gettext_lazy("%(name)s wrote feedback on your lesson"),
            name=as_actor(actor).person.full_name,
        )
    return feedback


@transaction.atomic
def observation_debrief_set(
    *, actor: Actor, observation: Observation, start: datetime, end: datetime
) -> Observation:
    """Book the debrief (either person), after the lesson has begun."""
    _role(actor, observation)
    if observation.status not in (lifecycle.Status.AGREED, lifecycle.Status.DONE):
        raise ValidationError(transition_message("wrong_status"), code="wrong_status")
    if end <= start:
        raise ValidationError(transition_message("end_before_start"), code="end_before_start")
    if start < observation.start:
        raise ValidationError(
            _("The debrief must be after the lesson has started."), code="debrief_early"
        )
    observation.debrief_start = start
    observation.debrief_end = end
    observation.sequence += 1
    observation.updated_at = timezone.now()
    observation.save(update_fields=["debrief_start", "debrief_end", "sequence", "updated_at"])
    _notify(
        observation,
        observation.other_person(actor),
        "observation_debrief",
        gettext_lazy("%(name)s booked the debrief"),
        name=as_actor(actor).person.full_name,
    )
    return observation


@transaction.atomic
def learning_share(
    *, actor: Actor, observation: Observation, body: str, team: Team | None = None
) -> SharedLearning:
    """The observed teacher shares a short learning they write themselves; never the notes."""
    role = _role(actor, observation)
    if not lifecycle.may_share_summary(observation.state, role):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ValidationError(_("Write something first."), code="empty")
    if len(body) > MAX_LEARNING:
        raise ValidationError(
            _("Keep it to at most %(n)s characters.") % {"n": MAX_LEARNING}, code="too_long"
        )
    if team is not None and (
        team.school_id != observation.school_id
        or not team.team_memberships.filter(user_id=actor.pk).exists()
    ):
        raise ValidationError(_("You can only share with a team you belong to."), code="team")
    learning = SharedLearning.objects.create(
        observation=observation,
        school=observation.school,
        team=team,
        author=as_actor(actor).person,
        focus_key=observation.focus_key,
        body=body,
    )
    audit_record(
        actor=actor,
        action="observations.learning_shared",
        target=learning,
        school=observation.school,
    )
    return learning


@transaction.atomic
def learning_withdraw(*, actor: Actor, learning: SharedLearning) -> None:
    if learning.author_id != actor.pk:
        raise PermissionDenied
    audit_record(
        actor=actor,
        action="observations.learning_withdrawn",
        target=learning,
        school=learning.school,
    )
    learning.delete()

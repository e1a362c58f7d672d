"""Thin views for single observations: parse, check access, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.core.forms import apply_validation_error
from kollegium.observations import lifecycle, selectors, services, timetable
from kollegium.observations.forms import (
    DebriefForm,
    FeedbackAnswersForm,
    FocusForm,
    NoteForm,
    ObservationRequestForm,
    OptionalReasonForm,
    PairAnswerForm,
    ReasonForm,
    RescheduleForm,
    ShareForm,
)
from kollegium.observations.guides import judgement_words_in, load_guides
from kollegium.observations.models import SharedLearning
from kollegium.observations.permissions import (
    can_run_rounds_at,
    get_observation_for_pair_or_404,
)
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_school


def _school_or_404(request: HttpRequest) -> Any:
    school = current_school(request)
    if school is None:
        raise Http404
    return school


def home(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    return render(
        request,
        "observations/home.html",
        {
            "mine": selectors.observations_for_user(actor=actor_of(request)),
            "learnings": selectors.shared_learnings_for(actor=actor_of(request), school=school),
            "can_run_rounds": can_run_rounds_at(actor_of(request), school),
            "answer_form": PairAnswerForm(),
        },
    )


def guide(request: HttpRequest) -> HttpResponse:
    return render(request, "observations/guide.html", {"guides": load_guides()})


def request_new(request: HttpRequest) -> HttpResponse:
    school = _school_or_404(request)
    lessons = timetable.upcoming_lessons(user=actor_of(request))
    form = ObservationRequestForm(
        request.POST or None,
        colleagues=selectors.colleagues_for(actor=actor_of(request), school=school),
        lessons=lessons,
    )

    def send() -> Any:
        data = form.cleaned_data
        return services.observation_request(
            actor=actor_of(request),
            school=school,
            observer=data["observer"],
            start=data["start"],
            end=data["end"],
            focus_key=data["focus_key"],
            form_key=data["form_key"],
            focus_detail=data.get("focus_detail", ""),
            lesson_label=data.get("lesson_label", ""),
            lesson_ref=data.get("lesson") or "",
        )

    done = form_action(
        request,
        form,
        send,
        success=_("Your request has been sent."),
        redirect_to=lambda observation: ("observations:detail", observation.pk),
    )
    return done or render(
        request,
        "observations/request.html",
        {"form": form, "has_lessons": bool(lessons), "guides": load_guides()},
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    return render(request, "observations/detail.html", _detail_context(request, observation))


def _detail_context(request: HttpRequest, observation: Any, **forms: Any) -> dict[str, Any]:
    now = timezone.now()
    role = observation.role_of(actor_of(request))
    state = observation.state
    content = selectors.observation_detail(actor=actor_of(request), observation=observation)
    guide_form = observation.form
    feedback_form = forms.get("feedback_form")
    if feedback_form is None and guide_form is not None:
        initial = content.feedback.answers if content.feedback else None
        feedback_form = FeedbackAnswersForm(initial=initial, guide_form=guide_form)
    focus_form = forms.get("focus_form") or FocusForm(
        initial={
            "focus_key": observation.focus_key,
            "form_key": observation.form_key,
            "focus_detail": observation.focus_detail,
        }
    )
    hints: tuple[str, ...] = ()
    if content.feedback and guide_form is not None and role is lifecycle.Role.OBSERVER:
        hints = judgement_words_in(
            " ".join(map(str, content.feedback.answers.values())), guide_form
        )
    return {
        "observation": observation,
        "judgement_words": hints if guide_form and guide_form.judgement_words["sv"] else (),
        "role": role.value if role else "",
        "other": observation.other_person(actor_of(request)),
        "actions": {a.value for a in lifecycle.allowed_actions(state, role, now)}
        if role
        else set(),
        "may_choose_focus": role and lifecycle.may_choose_focus(state, role, now),
        "may_write_notes": role and lifecycle.may_write_notes(state, role),
        "may_write_feedback": role and lifecycle.may_write_feedback(state, role, now),
        "may_share": role and lifecycle.may_share_summary(state, role),
        "content": content,
        "note_form": forms.get("note_form") or NoteForm(),
        "feedback_form": feedback_form,
        "focus_form": focus_form,
        "decline_form": forms.get("decline_form") or ReasonForm(),
        "cancel_form": forms.get("cancel_form") or OptionalReasonForm(),
        "reschedule_form": forms.get("reschedule_form") or RescheduleForm(),
        "debrief_form": forms.get("debrief_form") or DebriefForm(),
        "share_form": forms.get("share_form")
        or ShareForm(teams=selectors.teams_of(actor=actor_of(request), school=observation.school)),
        "debrief_slots": timetable.debrief_slots(actor=actor_of(request), observation=observation)
        if observation.status in ("agreed", "done") and not observation.debrief_start
        else [],
    }


def _rerender(request: HttpRequest, observation: Any, **forms: Any) -> HttpResponse:
    context = _detail_context(request, observation, **forms)
    return render(request, "observations/detail.html", context, status=400)


def _span(form: Any) -> tuple[datetime, datetime]:
    span = form.time_range()
    assert span is not None  # the date and both times are required: a valid form has them
    return span


def _step(request: HttpRequest, observation: Any, call: Callable[[], Any]) -> HttpResponse:
    """One step of an observation's life (agree, decline, cancel, done, debriefed): on a refusal
    the page is shown again with the reason, as it now stands."""

    def refused(_nothing: None) -> HttpResponse:
        observation.refresh_from_db()
        return _rerender(request, observation)

    return post_action(
        request,
        call,
        success=_("Saved."),
        redirect_to=("observations:detail", observation.pk),
        error_redirect_to=refused,
    )


@require_POST
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    return _step(
        request,
        observation,
        lambda: services.observation_agree(actor=actor_of(request), observation=observation),
    )


@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _rerender(request, observation, decline_form=form)
    return _step(
        request,
        observation,
        lambda: services.observation_decline(
            actor=actor_of(request), observation=observation, reason=form.cleaned_data["reason"]
        ),
    )


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    form = OptionalReasonForm(request.POST)
    if not form.is_valid():
        return _rerender(request, observation, cancel_form=form)
    return _step(
        request,
        observation,
        lambda: services.observation_cancel(
            actor=actor_of(request), observation=observation, reason=form.cleaned_data["reason"]
        ),
    )


@require_POST
def mark_done(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    return _step(
        request,
        observation,
        lambda: services.observation_mark_done(actor=actor_of(request), observation=observation),
    )


@require_POST
def mark_debriefed(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    return _step(
        request,
        observation,
        lambda: services.observation_mark_debriefed(
            actor=actor_of(request), observation=observation
        ),
    )


def _on_detail(
    request: HttpRequest,
    observation: Any,
    form: Any,
    call: Callable[[], Any],
    *,
    form_name: str,
    success: str,
    on_error: Callable[[Any, ValidationError], None] = apply_validation_error,
) -> HttpResponse:
    """A form on the observation page: saved and back to the page, or the page again (400)."""
    done = form_action(
        request,
        form,
        call,
        success=success,
        redirect_to=("observations:detail", observation.pk),
        on_error=on_error,
    )
    return done or _rerender(request, observation, **{form_name: form})


@require_POST
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    form = RescheduleForm(request.POST)

    def refused(form: Any, error: ValidationError) -> None:
        apply_validation_error(form, error)
        observation.refresh_from_db()

    return _on_detail(
        request,
        observation,
        form,
        lambda: services.observation_reschedule(
            actor=actor_of(request),
            observation=observation,
            start=_span(form)[0],
            end=_span(form)[1],
            lesson_label=form.cleaned_data.get("lesson_label") or None,
        ),
        form_name="reschedule_form",
        success=_("A new time has been proposed."),
        on_error=refused,
    )


@require_POST
def focus(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    form = FocusForm(request.POST)
    return _on_detail(
        request,
        observation,
        form,
        lambda: services.observation_set_focus(
            actor=actor_of(request), observation=observation, **form.cleaned_data
        ),
        form_name="focus_form",
        success=_("The focus has been saved."),
    )


@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    form = NoteForm(request.POST)

    def notes_part(saved: bool) -> HttpResponse:
        context = _detail_context(request, observation, note_form=NoteForm() if saved else form)
        status = 200 if saved else 400
        return render(request, "observations/detail.html#notes", context, status=status)

    done = form_action(
        request,
        form,
        lambda: services.observation_note_add(
            actor=actor_of(request), observation=observation, body=form.cleaned_data["body"]
        ),
        redirect_to=("observations:detail", observation.pk),
        partial=notes_part,
    )
    return done or _rerender(request, observation, note_form=form)


@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    if observation.form is None:
        raise Http404
    form = FeedbackAnswersForm(request.POST, guide_form=observation.form)
    return _on_detail(
        request,
        observation,
        form,
        lambda: services.observation_feedback_save(
            actor=actor_of(request), observation=observation, answers=form.cleaned_data
        ),
        form_name="feedback_form",
        success=_("Your feedback has been saved."),
    )


@require_POST
def debrief(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    form = DebriefForm(request.POST)
    return _on_detail(
        request,
        observation,
        form,
        lambda: services.observation_debrief_set(
            actor=actor_of(request),
            observation=observation,
            start=_span(form)[0],
            end=_span(form)[1],
        ),
        form_name="debrief_form",
        success=_("The debrief has been booked."),
    )


@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_observation_for_pair_or_404(actor_of(request), pk)
    form = ShareForm(
        request.POST, teams=selectors.teams_of(actor=actor_of(request), school=observation.school)
    )
    return _on_detail(
        request,
        observation,
        form,
        lambda: services.learning_share(
            actor=actor_of(request),
            observation=observation,
            body=form.cleaned_data["body"],
            team=form.cleaned_data["team"],
        ),
        form_name="share_form",
        success=_("Your learning has been shared."),
    )


@require_POST
def learning_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    learning = get_object_or_404(SharedLearning, pk=pk, author_id=actor_of(request).pk)
    return post_action(
        request,
        lambda: services.learning_withdraw(actor=actor_of(request), learning=learning),
        success=_("The shared learning has been removed."),
        redirect_to="observations:home",
    )

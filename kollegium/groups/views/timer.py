"""The meeting's shared timer: its state for everyone in the meeting, and its two buttons."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from kollegium.core.actions import post_action
from kollegium.groups import forms, permissions, selectors, services
from kollegium.organisations.actor import actor_of


@require_GET
def meeting_timer(request: HttpRequest, pk: int) -> HttpResponse:
    """The timer's state as JSON; the meeting page asks for it every few seconds."""
    meeting = permissions.get_meeting_for_user_or_404(actor_of(request), pk)
    response = JsonResponse(selectors.meeting_timer_state(meeting=meeting))
    response["Cache-Control"] = "no-store"
    return response


def _agenda(pk: int) -> str:
    return f"{reverse('groups:meeting', args=[pk])}#agenda-heading"


@require_POST
def meeting_timer_run(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user_or_404(actor_of(request), pk)
    form = forms.TimerRunForm(request.POST)
    return post_action(
        request,
        lambda: services.meeting_timer_run(
            actor=actor_of(request), meeting=meeting, running=form.cleaned_data["running"]
        ),
        form=form,
        redirect_to=_agenda(pk),
    )


@require_POST
def meeting_timer_step(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user_or_404(actor_of(request), pk)
    form = forms.TimerStepForm(request.POST)
    return post_action(
        request,
        lambda: services.meeting_timer_step(
            actor=actor_of(request), meeting=meeting, step=form.cleaned_data["step"]
        ),
        form=form,
        redirect_to=_agenda(pk),
    )

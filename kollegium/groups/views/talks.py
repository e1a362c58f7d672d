"""Speaker sign-up: sign up for a talk, change or withdraw it; the facilitator arranges the
running order, moves or removes talks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.core.params import safe_next_url
from kollegium.groups import forms, permissions, selectors, services
from kollegium.groups.views.common import _language
from kollegium.organisations.actor import actor_of


def _back(request: HttpRequest, meeting_id: int, anchor: str = "") -> HttpResponse:
    """Back to the page the form was on (the meeting, or a planning meeting's speaker list)."""
    target = safe_next_url(
        request, request.POST.get("next"), reverse("groups:meeting", args=[meeting_id])
    )
    target = target.split("#", 1)[0]
    return redirect(f"{target}#{anchor}" if anchor else target)


def _form_page(
    request: HttpRequest, meeting: Any, form: forms.TalkForm, talk: Any = None
) -> HttpResponse:
    return render(
        request,
        "groups/talk_form.html",
        {"meeting": meeting, "group": meeting.group, "form": form, "talk": talk},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def talk_signup(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user_or_404(actor_of(request), pk)
    if not permissions.can_take_part(actor_of(request), meeting.group):
        raise PermissionDenied
    talks, slots = selectors.meeting_talks(meeting, _language())
    if not slots:
        raise Http404
    mine = next((t for t in talks if t.speaker_id == request.user.pk), None)
    if mine is not None and request.method == "GET":
        return redirect("groups:talk_edit", mine.pk)
    form = forms.TalkForm(
        request.POST if request.method == "POST" else None, slots=slots, prefix="talk"
    )
    done = form_action(
        request,
        form,
        lambda: services.talk_signup(actor=actor_of(request), meeting=meeting, **form.cleaned_data),
        success=_("You are on the speaker list. Thank you!"),
        redirect_to=lambda talk: f"{reverse('groups:meeting', args=[meeting.pk])}#talk-{talk.pk}",
    )
    return done or _form_page(request, meeting, form)


@require_http_methods(["GET", "POST"])
def talk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    talk = permissions.get_talk_for_user_or_404(actor_of(request), pk)
    if not permissions.is_speaker(actor_of(request), talk):
        raise PermissionDenied
    meeting = talk.meeting
    _talks, slots = selectors.meeting_talks(meeting, _language())
    form = forms.TalkForm(
        request.POST if request.method == "POST" else None,
        slots=slots,
        current=talk.step_key,
        prefix="talk",
        initial={"step_key": talk.step_key, "title": talk.title, "description": talk.description},
    )
    done = form_action(
        request,
        form,
        lambda: services.talk_update(actor=actor_of(request), talk=talk, **form.cleaned_data),
        success=_("Your talk has been saved."),
        redirect_to=f"{reverse('groups:meeting', args=[meeting.pk])}#talk-{talk.pk}",
    )
    return done or _form_page(request, meeting, form, talk)


@require_POST
def talk_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    talk = permissions.get_talk_for_user_or_404(actor_of(request), pk)
    return post_action(
        request,
        lambda: services.talk_withdraw(actor=actor_of(request), talk=talk),
        success=_("Your talk has been withdrawn."),
        redirect_to=_back(request, talk.meeting_id, "speak"),
    )


@require_POST
def talk_move(request: HttpRequest, pk: int) -> HttpResponse:
    """To another talk slot of the meeting (``step``)."""
    talk = permissions.get_talk_for_user_or_404(actor_of(request), pk)
    return post_action(
        request,
        lambda: services.talk_move(
            actor=actor_of(request), talk=talk, step_key=request.POST.get("step", "")
        ),
        success=_("Your talk has been moved.")
        if talk.speaker_id == request.user.pk
        else _("The talk has been moved, and the speaker has been told."),
        redirect_to=_back(request, talk.meeting_id, f"talk-{talk.pk}"),
    )


@require_POST
def talk_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """Up or down in the running order (``direction``)."""
    talk = permissions.get_talk_for_user_or_404(actor_of(request), pk)
    return post_action(
        request,
        lambda: services.talk_reorder(
            actor=actor_of(request), talk=talk, direction=request.POST.get("direction", "")
        ),
        success=_("The running order has been changed."),
        redirect_to=_back(request, talk.meeting_id, f"talk-{talk.pk}"),
    )


@require_POST
def talk_remove(request: HttpRequest, pk: int) -> HttpResponse:
    talk = permissions.get_talk_for_user_or_404(actor_of(request), pk)
    form = forms.TalkRemoveForm(request.POST)
    form.is_valid()
    step_key, own = talk.step_key, talk.speaker_id == request.user.pk
    return post_action(
        request,
        lambda: services.talk_remove(
            actor=actor_of(request), talk=talk, message=form.cleaned_data.get("message", "")
        ),
        success=_("Your talk has been removed.")
        if own
        else _("The talk has been removed, and the speaker has been told."),
        redirect_to=_back(request, talk.meeting_id, f"speakers-{step_key}"),
        error_redirect_to=_back(request, talk.meeting_id, f"talk-{pk}"),
    )


def talk_context(request: HttpRequest, meeting: Any, page: dict[str, Any]) -> dict[str, Any]:
    """What the meeting page shows about talks: my talk, the sign-up form, who may arrange."""
    user = actor_of(request)
    slots = page["talk_slots"]
    is_open = services.talks_open(meeting)
    mine, mine_slot, mine_number = None, None, 0
    for slot in slots:
        for number, talk in enumerate(slot.talks, start=1):
            if talk.speaker_id == user.pk:
                mine, mine_slot, mine_number = talk, slot, number
    for item in page["steps"]:
        listing = item.get("speaker_list")
        if listing and listing["meeting"] is not None:
            listing["open"] = services.talks_open(listing["meeting"])
    can_sign_up = (
        bool(slots) and is_open and mine is None and permissions.is_member(user, meeting.group)
    )
    return {
        "talks_open": is_open,
        "my_talk": mine,
        "my_talk_slot": mine_slot,
        "my_talk_number": mine_number,
        "talks_full": bool(slots) and all(slot.is_full for slot in slots),
        "talk_form": forms.TalkForm(slots=slots, prefix="talk") if can_sign_up else None,
        "can_arrange": permissions.can_arrange_talks(user, meeting.group),
        "talk_draw": selectors.latest_talk_draw(
            meeting, [talk for slot in slots for talk in slot.talks]
        )
        if slots
        else None,
    }


@require_POST
def talk_draw(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw the speaking order at random (``seed``: optional, chosen by the room)."""
    meeting = permissions.get_meeting_for_user_or_404(actor_of(request), pk)
    return post_action(
        request,
        lambda: services.talk_order_draw(
            actor=actor_of(request), meeting=meeting, seed=request.POST.get("seed", "")
        ),
        success=lambda draw: (
            _("The speaking order has been drawn with the seed %(seed)s.") % {"seed": draw.seed}
        ),
        redirect_to=_back(request, meeting.pk, "talk-draw"),
    )

"""Meetings: scheduling and the meeting run page (agenda, timer, minutes, commitments).

The page is a GET; each thing a person does on it posts to its own URL and view, which calls
one service: apologies, cancel, minutes, attendance, a commitment, a reflection.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.core.forms import apply_validation_error
from kollegium.core.textmerge import EditConflict
from kollegium.groups import forms, permissions, selectors, services
from kollegium.groups.models import Commitment
from kollegium.groups.views.common import _language, _person_choices
from kollegium.groups.views.talks import talk_context
from kollegium.organisations.actor import actor_of


def _time_error(form: Any, error: ValidationError) -> None:
    """The service's error about the start time belongs to the form's date field."""
    if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
        error = ValidationError({"date": error.error_dict.pop("starts_at"), **error.error_dict})
    apply_validation_error(form, error)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user_or_404(actor_of(request), pk)
    if not permissions.can_manage_group(actor_of(request), group):
        raise PermissionDenied
    guide = group.guide.parsed
    phases = [(p.key, p.title.get(_language())) for p in guide.phases]
    form = forms.MeetingForm(
        request.POST if request.method == "POST" else None,
        phases=phases,
        initial={"phase_key": services.phase_for_next_meeting(group)},
    )

    def schedule() -> Any:
        data = form.cleaned_data
        return services.meeting_schedule(
            actor=actor_of(request),
            group=group,
            starts_at=form.starts_at(),
            duration_minutes=data["duration_minutes"],
            place=data["place"],
            video_url=data["video_url"],
            phase_key=data["phase_key"] or None,
        )

    done = form_action(
        request,
        form,
        schedule,
        redirect_to=lambda meeting: ("groups:meeting", meeting.pk),
        success=_("The meeting has been scheduled."),
        on_error=_time_error,
    )
    if done is not None:
        return done
    return render(request, "groups/meeting_form.html", {"form": form, "group": group})


def _meeting_forms(request: HttpRequest, meeting: Any, page: dict[str, Any]) -> dict[str, Any]:
    members = _person_choices(m.user for m in page["members"])
    present = [pk for pk, was in page["attendance"].items() if was]
    return {
        "notes": forms.NotesForm(
            initial={
                "minutes": meeting.minutes,
                "decisions": meeting.decisions,
                "version": meeting.minutes_revision,
            },
            prefix="notes",
        ),
        "attendance": forms.AttendanceForm(
            people=members,
            initial={"present": present or [pk for pk, _name in members]},
            prefix="attendance",
        ),
        "commitment": forms.CommitmentForm(
            prefix="commitment",
            initial={
                "due_on": forms.default_due_date(meeting.starts_at, meeting.group.interval_days)
            },
        ),
    }


def _render_meeting(
    request: HttpRequest, meeting: Any, bound: dict[str, Any] | None = None
) -> HttpResponse:
    """The meeting page; ``bound`` holds a submitted form that did not save (shown, 422)."""
    bound = bound or {}
    group = meeting.group
    page = selectors.meeting_page(meeting=meeting, language=_language())
    meeting_forms = _meeting_forms(request, meeting, page)
    meeting_forms.update({k: v for k, v in bound.items() if not k.startswith("reflect-")})
    reflect_forms = {
        c.pk: bound.get(f"reflect-{c.pk}") or forms.ReflectionForm(prefix=f"reflect-{c.pk}")
        for step in page["steps"]
        for c in step["commitments"]
        if c.user_id == request.user.pk and c.reflected_at is None
    }
    for step in page["steps"]:
        step["rows"] = [(c, reflect_forms.get(c.pk)) for c in step["commitments"]]
    return render(
        request,
        "groups/meeting.html",
        {
            "meeting": meeting,
            "group": group,
            "with_minutes": permissions.can_view_minutes(actor_of(request), group),
            "is_member": permissions.is_member(actor_of(request), group),
            "can_manage": permissions.can_manage_group(actor_of(request), group),
            "forms": meeting_forms,
            "status_choices": meeting.Status,
            "timer": selectors.meeting_timer_state(meeting=meeting),
            **page,
            **talk_context(request, meeting, page),
        },
        status=422 if bound else 200,
    )


def _back(meeting: Any, anchor: str) -> HttpResponse:
    return redirect(f"{reverse('groups:meeting', args=[meeting.pk])}#{anchor}")


def _show_error(request: HttpRequest, form: Any, error: ValidationError) -> None:
    """A field's error goes on the form; one about the meeting (cancelled, say) is a message,
    since the form may not be on the page any more."""
    if hasattr(error, "error_dict"):
        apply_validation_error(form, error)
    else:
        messages.error(request, " ".join(error.messages))


def _member_meeting(request: HttpRequest, pk: int) -> Any:
    """The meeting, for a member of its group (404 to others who may not see the group)."""
    meeting = permissions.get_meeting_for_user_or_404(actor_of(request), pk)
    if not permissions.can_take_part(actor_of(request), meeting.group):
        raise PermissionDenied
    return meeting


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user_or_404(actor_of(request), pk)
    return _render_meeting(request, meeting)


@require_POST
def meeting_apologies(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _member_meeting(request, pk)
    return post_action(
        request,
        lambda: services.meeting_send_apologies(actor=actor_of(request), meeting=meeting),
        redirect_to=("groups:meeting", meeting.pk),
        success=_("Your apologies have been noted."),
    )


@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user_or_404(actor_of(request), pk)
    return post_action(
        request,
        lambda: services.meeting_cancel(actor=actor_of(request), meeting=meeting),
        redirect_to=("groups:meeting", meeting.pk),
        success=_("The meeting has been cancelled."),
    )


@require_POST
def meeting_minutes_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the minutes from the version the form started from: merged, or a conflict page."""
    meeting = _member_meeting(request, pk)
    form = forms.NotesForm(request.POST, prefix="notes")
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.meeting_notes_save(
                actor=actor_of(request),
                meeting=meeting,
                minutes=data["minutes"],
                decisions=data["decisions"],
                base_revision=form.base_revision(),
            )
        except EditConflict as conflict:
            return _minutes_conflict(request, meeting, conflict)
        except ValidationError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _minutes_saved_message(saved))
            return _back(meeting, "minutes-heading")
    return _render_meeting(request, meeting, {"notes": form})


def _minutes_saved_message(saved: services.MinutesSaved) -> str:
    if not saved.merged:
        return _("The minutes have been saved.")
    if saved.merged_with:
        return _(
            "The minutes have been saved, merged with the changes %(names)s made meanwhile."
        ) % {"names": ", ".join(saved.merged_with)}
    return _("The minutes have been saved, merged with changes saved meanwhile.")


def _minutes_conflict(request: HttpRequest, meeting: Any, conflict: EditConflict) -> HttpResponse:
    labels = {"minutes": _("Minutes"), "decisions": _("Decisions")}
    fields = [(labels[f.name], f) for f in conflict.fields]
    combined = forms.NotesForm(
        initial={f.name: f.merge.text for f in conflict.fields} | {"version": conflict.version},
        prefix="notes",
    )
    return render(
        request,
        "groups/minutes_conflict.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "conflict": conflict,
            "fields": fields,
            "combined": combined,
            "editors": ", ".join(conflict.editors),
        },
        status=409,
    )


@require_GET
def meeting_minutes_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every saved version of the minutes: who, when, the text. Those who may read them."""
    meeting = permissions.get_meeting_for_user_or_404(actor_of(request), pk)
    if not permissions.can_view_minutes(actor_of(request), meeting.group):
        raise Http404
    revisions = selectors.minutes_revisions(meeting=meeting)
    return render(
        request,
        "groups/minutes_history.html",
        {"meeting": meeting, "group": meeting.group, "revisions": revisions},
    )


@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _member_meeting(request, pk)
    members = selectors.meeting_page(meeting=meeting, language=_language())["members"]
    form = forms.AttendanceForm(
        request.POST, people=_person_choices(m.user for m in members), prefix="attendance"
    )
    if form.is_valid():
        try:
            services.meeting_attendance_record(
                actor=actor_of(request), meeting=meeting, present_ids=form.cleaned_data["present"]
            )
        except ValidationError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("Attendance has been saved."))
            return _back(meeting, "attendance-heading")
    return _render_meeting(request, meeting, {"attendance": form})


@require_POST
def meeting_commitment_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _member_meeting(request, pk)
    form = forms.CommitmentForm(request.POST, prefix="commitment")
    if form.is_valid():
        try:
            services.commitment_create(
                actor=actor_of(request), meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("Your commitment has been saved."))
            return _back(meeting, "commitment-form")
    return _render_meeting(request, meeting, {"commitment": form})


@require_POST
def commitment_reflect(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    """Reflect on one's own commitment at this meeting (someone else's: 404)."""
    meeting = permissions.get_meeting_for_user_or_404(actor_of(request), pk)
    commitment = get_object_or_404(
        Commitment, pk=commitment_pk, group=meeting.group, user=request.user
    )
    form = forms.ReflectionForm(request.POST, prefix=f"reflect-{commitment.pk}")
    if form.is_valid():
        try:
            services.commitment_reflect(
                actor=actor_of(request), commitment=commitment, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, _("Thank you for your reflection."))
            return _back(meeting, f"commitment-{commitment.pk}")
    return _render_meeting(request, meeting, {f"reflect-{commitment.pk}": form})


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user_or_404(actor_of(request), pk)
    if not permissions.can_manage_group(actor_of(request), meeting.group):
        raise PermissionDenied
    local = timezone.localtime(meeting.starts_at)
    form = forms.MeetingForm(
        request.POST if request.method == "POST" else None,
        phases=[],
        initial={
            "date": local.date(),
            "time": local.time(),
            "duration_minutes": int(meeting.duration.total_seconds() // 60),
            "place": meeting.place,
            "video_url": meeting.video_url,
        },
    )
    del form.fields["phase_key"]

    def reschedule() -> Any:
        data = form.cleaned_data
        return services.meeting_reschedule(
            actor=actor_of(request),
            meeting=meeting,
            starts_at=form.starts_at(),
            duration_minutes=data["duration_minutes"],
            place=data["place"],
            video_url=data["video_url"],
        )

    done = form_action(
        request,
        form,
        reschedule,
        redirect_to=("groups:meeting", meeting.pk),
        success=_("The meeting has been moved."),
        on_error=_time_error,
    )
    if done is not None:
        return done
    return render(
        request,
        "groups/meeting_form.html",
        {"form": form, "group": meeting.group, "meeting": meeting},
    )

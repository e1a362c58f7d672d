"""Meetings: scheduling and the meeting run page (agenda, timer, minutes, commitments)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kollegium.core.forms import apply_validation_error
from kollegium.groups import forms, permissions, selectors, services
from kollegium.groups.models import Commitment
from kollegium.groups.views.common import _language, _person_choices
from kollegium.groups.views.talks import talk_context


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user_or_404(request.user, pk)
    if not permissions.can_manage_group(request.user, group):
        raise PermissionDenied
    guide = group.guide.parsed
    phases = [(p.key, p.title.get(_language())) for p in guide.phases]
    form = forms.MeetingForm(
        request.POST if request.method == "POST" else None,
        phases=phases,
        initial={"phase_key": services.phase_for_next_meeting(group)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                actor=request.user,
                group=group,
                starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_url=data["video_url"],
                phase_key=data["phase_key"] or None,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
                error = ValidationError(
                    {"date": error.error_dict.pop("starts_at"), **error.error_dict}
                )
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The meeting has been scheduled."))
            return redirect("groups:meeting", meeting.pk)
    return render(request, "groups/meeting_form.html", {"form": form, "group": group})


def _meeting_forms(request: HttpRequest, meeting: Any, page: dict[str, Any]) -> dict[str, Any]:
    members = _person_choices(m.user for m in page["members"])
    present = [pk for pk, was in page["attendance"].items() if was]
    return {
        "notes": forms.NotesForm(
            initial={"minutes": meeting.minutes, "decisions": meeting.decisions}, prefix="notes"
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


def _meeting_post(request: HttpRequest, meeting: Any, page: dict[str, Any], bound: dict) -> bool:
    action = request.POST.get("action", "")
    user = request.user
    if action == "apologies":
        services.meeting_send_apologies(actor=user, meeting=meeting)
        messages.success(request, _("Your apologies have been noted."))
        return True
    if action == "cancel":
        services.meeting_cancel(actor=user, meeting=meeting)
        messages.success(request, _("The meeting has been cancelled."))
        return True
    if action == "reflect":
        commitment_id = request.POST.get("commitment", "")
        if not commitment_id.isdigit():
            raise Http404
        commitment = get_object_or_404(
            Commitment, pk=int(commitment_id), group=meeting.group, user=user
        )
        form = forms.ReflectionForm(request.POST, prefix=f"reflect-{commitment.pk}")
        bound[f"reflect-{commitment.pk}"] = form
        if form.is_valid():
            services.commitment_reflect(
                actor=user, commitment=commitment, meeting=meeting, **form.cleaned_data
            )
            messages.success(request, _("Thank you for your reflection."))
            return True
        return False
    form_classes = {
        "notes": (forms.NotesForm, {}),
        "attendance": (
            forms.AttendanceForm,
            {"people": _person_choices(m.user for m in page["members"])},
        ),
        "commitment": (forms.CommitmentForm, {}),
    }
    if action not in form_classes:
        raise Http404
    form_class, extra = form_classes[action]
    form = form_class(request.POST, prefix=action, **extra)
    bound[action] = form
    if not form.is_valid():
        return False
    if action == "notes":
        services.meeting_notes_save(actor=user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("The minutes have been saved."))
    elif action == "attendance":
        services.meeting_attendance_record(
            actor=user, meeting=meeting, present_ids=form.cleaned_data["present"]
        )
        messages.success(request, _("Attendance has been saved."))
    else:
        services.commitment_create(actor=user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("Your commitment has been saved."))
    return True


@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user_or_404(request.user, pk)
    group = meeting.group
    with_minutes = permissions.can_view_minutes(request.user, group)
    page = selectors.meeting_page(meeting=meeting, language=_language())
    bound: dict[str, Any] = {}
    if request.method == "POST":
        try:
            if _meeting_post(request, meeting, page, bound):
                anchor = slugify(request.POST.get("next_anchor", ""))
                return redirect(f"{request.path}#{anchor}" if anchor else request.path)
        except ValidationError as error:
            target = next(iter(bound.values()), None)
            if target is None:
                messages.error(request, " ".join(error.messages))
                return redirect(request.path)
            apply_validation_error(target, error)
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
            "with_minutes": with_minutes,
            "is_member": permissions.is_member(request.user, group),
            "can_manage": permissions.can_manage_group(request.user, group),
            "forms": meeting_forms,
            "status_choices": meeting.Status,
            **page,
            **talk_context(request, meeting, page),
        },
        status=422 if bound and request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user_or_404(request.user, pk)
    if not permissions.can_manage_group(request.user, meeting.group):
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_reschedule(
                actor=request.user,
                meeting=meeting,
                starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_url=data["video_url"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
                error = ValidationError(
                    {"date": error.error_dict.pop("starts_at"), **error.error_dict}
                )
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The meeting has been moved."))
            return redirect("groups:meeting", meeting.pk)
    return render(
        request,
        "groups/meeting_form.html",
        {"form": form, "group": meeting.group, "meeting": meeting},
    )

"""Thin views: parse the request, check access, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kollegium.core.forms import apply_validation_error
from kollegium.groups import forms, permissions, selectors, services
from kollegium.groups import guides as guide_core
from kollegium.groups.evidence import ChartLabels, evidence_chart_svg, summarise
from kollegium.groups.models import Commitment, Conclusion, LessonVersion, MethodGuide
from kollegium.groups.services.groups import eligible_members
from kollegium.organisations.current import current_school
from kollegium.organisations.models import DevelopmentFocus, Network
from kollegium.organisations.selectors import managed_school_ids_for_user


def _language() -> str:
    return get_language() or "sv"


def _person_choices(users: Any) -> list[tuple[int, str]]:
    return [(u.pk, u.full_name or u.email) for u in users]


# --------------------------------------------------------------------------- groups


@require_http_methods(["GET"])
def group_list(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    return render(
        request,
        "groups/list.html",
        {
            "groups": selectors.groups_for_member(request.user),
            "can_create": school is not None
            and permissions.can_create_group_at(request.user, school.pk),
            "is_leader": bool(managed_school_ids_for_user(request.user)),
        },
    )


def _group_form(request: HttpRequest, school: Any, data: Any = None) -> forms.GroupForm:
    guides = [
        (f"shipped:{slug}", guide.title.get(_language()))
        for slug, (guide, _text) in services.shipped_guide_files().items()
    ]
    seen: set[str] = set()
    for adapted in selectors.guides_for_school(school.pk):
        if adapted.slug not in seen:
            seen.add(adapted.slug)
            guides.append((f"adapted:{adapted.pk}", f"{adapted.title} ({school.display_name})"))
    return forms.GroupForm(
        data,
        guides=guides,
        focus_areas=[
            (f.pk, f.title) for f in DevelopmentFocus.objects.filter(school=school, is_active=True)
        ],
        networks=[
            (n.pk, n.name) for n in Network.objects.filter(network_memberships__school=school)
        ],
        people=_person_choices(eligible_members(school, None).exclude(pk=request.user.pk)),
        initial={"guide": request.GET.get("guide", "shipped:tlc")},
    )


def _resolve_guide(value: str, school: Any) -> MethodGuide:
    kind, _sep, key = value.partition(":")
    if kind == "adapted" and key.isdigit():
        return get_object_or_404(MethodGuide, pk=int(key), school=school)
    return services.shipped_guide(key)


@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    if school is None or not permissions.can_create_group_at(request.user, school.pk):
        raise PermissionDenied
    form = _group_form(request, school, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        network = None
        if data["network"]:
            network = Network.objects.filter(pk=data["network"]).first()
        focus = DevelopmentFocus.objects.filter(pk=data["focus"]).first() if data["focus"] else None
        try:
            group = services.group_create(
                actor=request.user,
                school=school,
                name=data["name"],
                guide=_resolve_guide(data["guide"], school),
                purpose=data["purpose"],
                focus=focus,
                network=network,
                member_ids=data["members"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                interval_days=data["interval_days"],
                minutes_sharing=data["minutes_sharing"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The group has been created."))
            return redirect("groups:detail", group.pk)
    return render(request, "groups/group_form.html", {"form": form, "school": school})


@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user_or_404(request.user, pk)
    with_minutes = permissions.can_view_minutes(request.user, group)
    material_form = forms.MaterialForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and material_form.is_valid():
        try:
            services.material_add(actor=request.user, group=group, **material_form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(material_form, error)
        else:
            messages.success(request, _("The material has been added."))
            return redirect("groups:detail", group.pk)
    context = selectors.group_page(group=group, with_minutes=with_minutes)
    context.update(
        group=group,
        with_minutes=with_minutes,
        is_member=permissions.is_member(request.user, group),
        can_manage=permissions.can_manage_group(request.user, group),
        material_form=material_form,
        language=_language(),
    )
    return render(request, "groups/detail.html", context)


@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user_or_404(request.user, pk)
    if not permissions.can_manage_group(request.user, group):
        raise PermissionDenied
    current = {m.user_id for m in group.memberships.all()}
    form = forms.GroupForm(
        request.POST if request.method == "POST" else None,
        guides=[],
        focus_areas=[
            (f.pk, f.title)
            for f in DevelopmentFocus.objects.filter(school=group.school, is_active=True)
        ],
        networks=[],
        people=_person_choices(eligible_members(group)),
        with_guide=False,
        initial={
            "name": group.name,
            "purpose": group.purpose,
            "focus": group.focus_id,
            "members": sorted(current),
            "starts_on": group.starts_on,
            "ends_on": group.ends_on,
            "interval_days": group.interval_days,
            "minutes_sharing": group.minutes_sharing,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wanted = set(data["members"])
        focus = DevelopmentFocus.objects.filter(pk=data["focus"]).first() if data["focus"] else None
        try:
            services.group_settings_update(
                actor=request.user,
                group=group,
                name=data["name"],
                purpose=data["purpose"],
                focus=focus,
                interval_days=data["interval_days"] or group.interval_days,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                minutes_sharing=data["minutes_sharing"],
            )
            services.group_members_update(
                actor=request.user,
                group=group,
                add_ids=wanted - current,
                remove_ids=current - wanted,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The group has been saved."))
            return redirect("groups:detail", group.pk)
    return render(request, "groups/group_edit.html", {"form": form, "group": group})


@require_http_methods(["GET"])
def overview(request: HttpRequest) -> HttpResponse:
    school_ids = managed_school_ids_for_user(request.user)
    if not school_ids:
        raise PermissionDenied
    rows = selectors.leader_overview(school_ids=school_ids)
    return render(request, "groups/overview.html", {"rows": rows})


# --------------------------------------------------------------------------- meetings


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
        commitment = get_object_or_404(
            Commitment, pk=request.POST.get("commitment"), group=meeting.group, user=user
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
        },
        status=422 if bound and request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- outcomes


@require_http_methods(["GET", "POST"])
def conclusion_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user_or_404(request.user, pk)
    if not permissions.can_take_part(request.user, group):
        raise PermissionDenied
    form = forms.ConclusionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conclusion_create(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The proven practice has been saved with the group."))
            return redirect("groups:detail", group.pk)
    return render(request, "groups/conclusion_form.html", {"form": form, "group": group})


@require_POST
def conclusion_publish(request: HttpRequest, pk: int) -> HttpResponse:
    conclusion = get_object_or_404(Conclusion.objects.select_related("group"), pk=pk)
    group = permissions.get_group_for_user_or_404(request.user, conclusion.group_id)
    if not permissions.can_take_part(request.user, group):
        raise PermissionDenied
    try:
        services.conclusion_publish_to_library(
            actor=request.user,
            conclusion=conclusion,
            visibility=request.POST.get("visibility") or None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The proven practice has been published to the library."))
    return redirect("groups:detail", group.pk)


@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user_or_404(request.user, pk)
    if not permissions.can_view_minutes(request.user, group):
        raise Http404
    lessons, versions = selectors.evidence_for(group)
    choices = [(lesson.pk, lesson.label) for lesson in lessons]
    action = request.POST.get("action") if request.method == "POST" else None
    lesson_form = forms.LessonVersionForm(
        request.POST if action == "lesson" else None, prefix="lesson"
    )
    result_form = forms.TestResultForm(
        request.POST if action == "result" else None, lessons=choices, prefix="result"
    )
    form = {"lesson": lesson_form, "result": result_form}.get(action or "")
    if form is not None and form.is_valid():
        try:
            if action == "lesson":
                services.lesson_version_create(actor=request.user, group=group, **form.cleaned_data)
            else:
                data = dict(form.cleaned_data)
                lesson = get_object_or_404(LessonVersion, pk=data.pop("lesson"), group=group)
                services.test_result_save(actor=request.user, lesson=lesson, **data)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("groups:evidence", group.pk)
    labels = ChartLabels(
        title=_("Share of correct answers before and after each lesson version"),
        description=_(
            "For each test item and lesson version: a hollow circle at the pre-test share "
            "and a filled circle at the post-test share. The same numbers are in the table."
        ),
        pre=_("Pre-test"),
        post=_("Post-test"),
        version=_("Lesson {label}"),
    )
    has_results = any(v.items for v in versions)
    return render(
        request,
        "groups/evidence.html",
        {
            "group": group,
            "lessons": lessons,
            "summary": summarise(versions),
            "chart": evidence_chart_svg(versions, labels) if has_results else "",
            "lesson_form": lesson_form,
            "result_form": result_form,
            "can_edit": permissions.can_take_part(request.user, group),
        },
        status=422 if form is not None and request.method == "POST" else 200,
    )


@require_http_methods(["GET"])
def export(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    group = permissions.get_group_for_user_or_404(request.user, pk)
    if not permissions.can_view_minutes(request.user, group):
        raise Http404
    context = {"group": group, **selectors.export_data(group=group)}
    if fmt == "md":
        body = render_to_string("groups/export.md", context, request=request)
        response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
        filename = slugify(group.name) or "group"
        response["Content-Disposition"] = f'attachment; filename="{filename}.md"'
        return response
    return render(request, "groups/export.html", context)


# --------------------------------------------------------------------------- guides


@require_http_methods(["GET"])
def guide_list(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    return render(
        request,
        "groups/guides.html",
        {
            "shipped": [g for g, _t in services.shipped_guide_files().values()],
            "adapted": selectors.guides_for_school(school.pk if school else None),
            "language": _language(),
        },
    )


def _guide_for_view(request: HttpRequest, slug: str | None, pk: int | None) -> tuple[Any, Any]:
    """(parsed guide, MethodGuide row or None) for a shipped slug or one of the school's rows."""
    if pk is not None:
        school = current_school(request)
        row = get_object_or_404(MethodGuide, pk=pk, school_id=school.pk if school else -1)
        return row.parsed, row
    files = services.shipped_guide_files()
    if slug not in files:
        raise Http404
    return files[slug][0], None


@require_http_methods(["GET"])
def guide_detail(
    request: HttpRequest, slug: str | None = None, pk: int | None = None
) -> HttpResponse:
    guide, row = _guide_for_view(request, slug, pk)
    school = current_school(request)
    language = _language()
    meeting_types = [
        {
            "type": mt,
            "agenda": guide_core.generate_agenda(guide, meeting_type=mt.key, language=language),
        }
        for mt in guide.meeting_types
    ]
    return render(
        request,
        "groups/guide.html",
        {
            "guide": guide,
            "row": row,
            "meeting_types": meeting_types,
            "language": language,
            "can_adapt": school is not None
            and permissions.can_adapt_guides_at(request.user, school.pk),
        },
    )


@require_http_methods(["GET", "POST"])
def guide_adapt(
    request: HttpRequest, slug: str | None = None, pk: int | None = None
) -> HttpResponse:
    school = current_school(request)
    if school is None or not permissions.can_adapt_guides_at(request.user, school.pk):
        raise PermissionDenied
    guide, row = _guide_for_view(request, slug, pk)
    source = row.source if row is not None else services.shipped_guide_files()[guide.slug][1]
    form = forms.GuideAdaptForm(
        request.POST if request.method == "POST" else None, initial={"source": source}
    )
    if request.method == "POST" and form.is_valid():
        base = row if row is not None else services.shipped_guide(guide.slug)
        try:
            adapted = services.guide_adapt(
                actor=request.user, school=school, base=base, source=form.cleaned_data["source"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)s of the guide has been saved.")
                % {"version": adapted.version},
            )
            return redirect("groups:guide_adapted", adapted.pk)
    return render(
        request,
        "groups/guide_adapt.html",
        {
            "form": form,
            "guide": guide,
            "row": row,
            "step_types": ", ".join(sorted(guide_core.STEP_TYPES)),
        },
    )

"""Outcomes: proven practice, learning-study evidence, documentation export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kollegium.core.forms import apply_validation_error
from kollegium.groups import forms, permissions, selectors, services
from kollegium.groups.evidence import ChartLabels, evidence_chart_svg, summarise
from kollegium.groups.models import Conclusion, LessonVersion
from kollegium.organisations.actor import actor_of


@require_http_methods(["GET", "POST"])
def conclusion_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user_or_404(actor_of(request), pk)
    if not permissions.can_take_part(actor_of(request), group):
        raise PermissionDenied
    form = forms.ConclusionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conclusion_create(actor=actor_of(request), group=group, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The proven practice has been saved with the group."))
            return redirect("groups:detail", group.pk)
    return render(request, "groups/conclusion_form.html", {"form": form, "group": group})


@require_POST
def conclusion_publish(request: HttpRequest, pk: int) -> HttpResponse:
    conclusion = get_object_or_404(Conclusion.objects.select_related("group"), pk=pk)
    group = permissions.get_group_for_user_or_404(actor_of(request), conclusion.group_id)
    if not permissions.can_take_part(actor_of(request), group):
        raise PermissionDenied
    try:
        services.conclusion_publish_to_library(
            actor=actor_of(request),
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
    group = permissions.get_group_for_user_or_404(actor_of(request), pk)
    if not permissions.can_view_group_work(actor_of(request), group):
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
                services.lesson_version_create(
                    actor=actor_of(request), group=group, **form.cleaned_data
                )
            else:
                data = dict(form.cleaned_data)
                lesson = get_object_or_404(LessonVersion, pk=data.pop("lesson"), group=group)
                services.test_result_save(actor=actor_of(request), lesson=lesson, **data)
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
            "can_edit": permissions.can_take_part(actor_of(request), group),
        },
        status=422 if form is not None and request.method == "POST" else 200,
    )


@require_http_methods(["GET"])
def export(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    group = permissions.get_group_for_user_or_404(actor_of(request), pk)
    if not permissions.can_view_group_work(actor_of(request), group):
        raise Http404
    context = {"group": group, **selectors.export_data(group=group)}
    if fmt == "md":
        body = render_to_string("groups/export.md", context, request=request)
        response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
        filename = slugify(group.name) or "group"
        response["Content-Disposition"] = f'attachment; filename="{filename}.md"'
        return response
    return render(request, "groups/export.html", context)

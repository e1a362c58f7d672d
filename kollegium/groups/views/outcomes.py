"""Outcomes: proven practice, learning-study evidence, documentation export."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kollegium.core.actions import form_action, post_action
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
    done = form_action(
        request,
        form,
        lambda: services.conclusion_create(
            actor=actor_of(request), group=group, **form.cleaned_data
        ),
        success=_("The proven practice has been saved with the group."),
        redirect_to=("groups:detail", group.pk),
    )
    return done or render(request, "groups/conclusion_form.html", {"form": form, "group": group})


@require_POST
def conclusion_publish(request: HttpRequest, pk: int) -> HttpResponse:
    conclusion = get_object_or_404(Conclusion.objects.select_related("group"), pk=pk)
    group = permissions.get_group_for_user_or_404(actor_of(request), conclusion.group_id)
    if not permissions.can_take_part(actor_of(request), group):
        raise PermissionDenied
    return post_action(
        request,
        lambda: services.conclusion_publish_to_library(
            actor=actor_of(request),
            conclusion=conclusion,
            visibility=request.POST.get("visibility") or None,
        ),
        success=_("The proven practice has been published to the library."),
        redirect_to=("groups:detail", group.pk),
    )


def _evidence_group(request: HttpRequest, pk: int) -> Any:
    group = permissions.get_group_for_user_or_404(actor_of(request), pk)
    if not permissions.can_view_group_work(actor_of(request), group):
        raise Http404
    return group


def _lesson_choices(group: Any) -> list[tuple[int, str]]:
    lessons, _versions = selectors.evidence_for(group)
    return [(lesson.pk, lesson.label) for lesson in lessons]


def _evidence_page(
    request: HttpRequest, group: Any, *, lesson_form: Any = None, result_form: Any = None
) -> HttpResponse:
    """The evidence page; with a bound form that was refused, shown again with its errors."""
    lessons, versions = selectors.evidence_for(group)
    choices = [(lesson.pk, lesson.label) for lesson in lessons]
    refused = lesson_form is not None or result_form is not None
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
            "lesson_form": lesson_form or forms.LessonVersionForm(prefix="lesson"),
            "result_form": result_form or forms.TestResultForm(lessons=choices, prefix="result"),
            "can_edit": permissions.can_take_part(actor_of(request), group),
        },
        status=422 if refused else 200,
    )


@require_http_methods(["GET"])
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    return _evidence_page(request, _evidence_group(request, pk))


@require_POST
def evidence_lesson_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _evidence_group(request, pk)
    form = forms.LessonVersionForm(request.POST, prefix="lesson")
    done = form_action(
        request,
        form,
        lambda: services.lesson_version_create(
            actor=actor_of(request), group=group, **form.cleaned_data
        ),
        success=_("Saved."),
        redirect_to=("groups:evidence", group.pk),
    )
    return done or _evidence_page(request, group, lesson_form=form)


@require_POST
def evidence_result_save(request: HttpRequest, pk: int) -> HttpResponse:
    group = _evidence_group(request, pk)
    form = forms.TestResultForm(request.POST, lessons=_lesson_choices(group), prefix="result")

    def save() -> Any:
        data = dict(form.cleaned_data)
        lesson = get_object_or_404(LessonVersion, pk=data.pop("lesson"), group=group)
        return services.test_result_save(actor=actor_of(request), lesson=lesson, **data)

    done = form_action(
        request, form, save, success=_("Saved."), redirect_to=("groups:evidence", group.pk)
    )
    return done or _evidence_page(request, group, result_form=form)


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

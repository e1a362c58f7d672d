"""Method guides: read, and adapt for a school."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kollegium.core.actions import form_action
from kollegium.groups import forms, permissions, selectors, services
from kollegium.groups import guides as guide_core
from kollegium.groups.models import MethodGuide
from kollegium.groups.views.common import _language
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_school


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
            and permissions.can_adapt_guides_at(actor_of(request), school.pk),
        },
    )


@require_http_methods(["GET", "POST"])
def guide_adapt(
    request: HttpRequest, slug: str | None = None, pk: int | None = None
) -> HttpResponse:
    school = current_school(request)
    if school is None or not permissions.can_adapt_guides_at(actor_of(request), school.pk):
        raise PermissionDenied
    guide, row = _guide_for_view(request, slug, pk)
    source = row.source if row is not None else services.shipped_guide_files()[guide.slug][1]
    form = forms.GuideAdaptForm(
        request.POST if request.method == "POST" else None, initial={"source": source}
    )
    done = form_action(
        request,
        form,
        lambda: services.guide_adapt(
            actor=actor_of(request),
            school=school,
            base=row if row is not None else services.shipped_guide(guide.slug),
            source=form.cleaned_data["source"],
        ),
        success=lambda adapted: (
            _("Version %(version)s of the guide has been saved.") % {"version": adapted.version}
        ),
        redirect_to=lambda adapted: ("groups:guide_adapted", adapted.pk),
    )
    return done or render(
        request,
        "groups/guide_adapt.html",
        {
            "form": form,
            "guide": guide,
            "row": row,
            "step_types": ", ".join(sorted(guide_core.STEP_TYPES)),
        },
    )

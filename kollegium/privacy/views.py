"""The privacy pages: my data and its export; erasures for a school's managers; the owner's
rules. Thin: access, one service call, render."""

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.organisations.actor import actor_of
from kollegium.privacy import exporting, permissions, selectors, services
from kollegium.privacy.forms import ErasureForm, RulesForm
from kollegium.privacy.models import ExportStatus


def index(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "privacy/index.html",
        {
            "exports": list(selectors.exports_for(actor)),
            "erasure_schools": selectors.erasure_schools_for(actor),
            "rule_owners": selectors.rule_owners_for(actor),
        },
    )


@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    return post_action(
        request,
        lambda: services.export_request(actor=actor_of(request)),
        success=_("Your export is being made."),
        redirect_to=lambda export: ("privacy:export_detail", export.pk),
        error_redirect_to="privacy:index",
    )


def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = permissions.get_export_for_person_or_404(actor_of(request), pk)
    template = "privacy/export_detail.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(request, template, {"export": export})


def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    export = permissions.get_export_for_person_or_404(actor_of(request), pk)
    if export.status != ExportStatus.DONE or not export.file:
        return render(request, "privacy/export_detail.html", {"export": export}, status=404)
    stream = export.file.open("rb")
    name = f"kollegium-{export.created_at:%Y-%m-%d}.zip"
    response = FileResponse(
        exporting.chunks(stream), as_attachment=True, filename=name, content_type="application/zip"
    )
    response["Content-Length"] = str(export.size)
    response["Cache-Control"] = "private, no-store"
    return response


def erasures(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = actor_of(request)
    school = permissions.get_school_for_erasures_or_404(actor, school_id)
    rules = selectors.settings_for_owner(school.parent_id)
    people = list(selectors.people_at(school, actor))
    form = ErasureForm(request.POST or None, people=people, records=rules.records_default)
    done = form_action(
        request,
        form,
        lambda: services.erasure_schedule(
            actor=actor,
            school=school,
            person_id=int(form.cleaned_data["person"]),
            reason=form.cleaned_data["reason"],
            records=form.cleaned_data["records"],
            records_reason=form.cleaned_data["records_reason"],
        ),
        success=_("The erasure is scheduled."),
        redirect_to=lambda erasure: ("privacy:erasure_detail", erasure.pk),
    )
    context = {
        "school": school,
        "form": form,
        "rules": rules,
        "erasures": list(selectors.erasures_at(school)),
    }
    return done or render(request, "privacy/erasures.html", context, status=_status(form))


def _status(form: ErasureForm | RulesForm) -> int:
    return 422 if form.is_bound and form.errors else 200


def erasure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    erasure = permissions.get_erasure_for_manager_or_404(actor_of(request), pk)
    template = "privacy/erasure_detail.html"
    if getattr(request, "htmx", False):
        template += "#status"
    return render(request, template, {"erasure": erasure})


@require_POST
def erasure_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    erasure = permissions.get_erasure_for_manager_or_404(actor, pk)
    return post_action(
        request,
        lambda: services.erasure_cancel(actor=actor, erasure=erasure),
        success=_("The erasure is cancelled."),
        redirect_to=("privacy:erasure_detail", erasure.pk),
    )


@require_POST
def erasure_run(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    erasure = permissions.get_erasure_for_manager_or_404(actor, pk)
    return post_action(
        request,
        lambda: services.erasure_run(actor=actor, erasure=erasure),
        success=_("The erasure is running."),
        redirect_to=("privacy:erasure_detail", erasure.pk),
    )


def rules(request: HttpRequest, owner_id: int) -> HttpResponse:
    actor = actor_of(request)
    owner = permissions.get_owner_for_rules_or_404(actor, owner_id)
    current = selectors.settings_for_owner(owner.pk)
    form = RulesForm(request.POST or None, instance=current, min_group_size=owner.min_group_size)
    done = form_action(
        request,
        form,
        lambda: services.owner_rules_update(actor=actor, owner=owner, **form.cleaned_data),
        success=_("The rules are saved."),
        redirect_to=("privacy:rules", owner.pk),
    )
    context = {"owner": owner, "form": form, "runs": list(selectors.recent_runs())}
    return done or render(request, "privacy/rules.html", context, status=_status(form))

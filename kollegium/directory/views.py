"""The administrator's pages for SS 12000 sources and their runs (issue 11)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.directory import permissions, selectors, services
from kollegium.directory.forms import SourceCreateForm, SourceEditForm
from kollegium.directory.models import DirectorySource, SyncRun
from kollegium.organisations.actor import actor_of


def _require_admin(request: HttpRequest) -> None:
    # Others get the same 404 as for a page that does not exist: nothing to learn here.
    if not permissions.can_manage_sources(actor_of(request)):
        raise Http404


def index(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = SourceCreateForm(request.POST or None)
    done = form_action(
        request,
        form,
        lambda: services.source_create(actor=actor_of(request), **form.cleaned_data),
        success=_("Connected. Start with a dry run to see what would change."),
        redirect_to=lambda source: ("directory:source", source.pk),
    )
    if done:
        return done
    return render(request, "directory/index.html", {"form": form, "sources": selectors.sources()})


def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    _require_admin(request)
    source = get_object_or_404(DirectorySource.objects.select_related("owner"), pk=source_id)
    form = SourceEditForm(request.POST or None, initial=SourceEditForm.initial_for(source))
    done = form_action(
        request,
        form,
        lambda: services.source_update(
            actor=actor_of(request),
            source=source,
            name=form.cleaned_data["name"],
            base_url=form.cleaned_data["base_url"],
            token=form.cleaned_data["token"],
            client_certificate=form.cleaned_data["client_certificate"],
            client_key=form.cleaned_data["client_key"],
            role_mapping=form.role_mapping(),
            team_group_types=form.cleaned_data["team_group_types"],
            leaver_content=form.cleaned_data["leaver_content"],
            is_enabled=form.cleaned_data["is_enabled"],
        ),
        success=_("Saved."),
        redirect_to=("directory:source", source.pk),
    )
    if done:
        return done
    runs = selectors.source_runs(source)
    context = {
        "source": source,
        "form": form,
        "runs": runs,
        "needs_dry_run": not source.applied_once
        and not any(r.dry_run and r.status == SyncRun.Status.DONE for r in runs),
    }
    return render(request, "directory/source.html", context)


@require_POST
def source_dry_run(request: HttpRequest, source_id: int) -> HttpResponse:
    _require_admin(request)
    source = get_object_or_404(DirectorySource, pk=source_id)
    return post_action(
        request,
        lambda: services.sync_request(actor=actor_of(request), source=source, dry_run=True),
        success=_("The dry run has started."),
        redirect_to=lambda run: ("directory:run", run.pk),
        error_redirect_to=("directory:source", source.pk),
    )


@require_POST
def source_sync(request: HttpRequest, source_id: int) -> HttpResponse:
    _require_admin(request)
    source = get_object_or_404(DirectorySource, pk=source_id)
    full = request.POST.get("full") == "1"
    return post_action(
        request,
        lambda: services.sync_request(
            actor=actor_of(request), source=source, dry_run=False, full=full
        ),
        success=_("The sync has started."),
        redirect_to=lambda run: ("directory:run", run.pk),
        error_redirect_to=("directory:source", source.pk),
    )


def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    _require_admin(request)
    run = get_object_or_404(SyncRun.objects.select_related("source__owner"), pk=run_id)
    context = {
        "run": run,
        "source": run.source,
        "phase": selectors.PHASE_LABELS.get(run.phase, ""),
        "counts": [(label, run.count(key)) for key, label in selectors.COUNT_LABELS.items()],
        "diff": [
            (label, run.diff.get(key, []), run.counts.get(_DIFF_COUNT.get(key, ""), 0))
            for key, label in selectors.DIFF_LABELS.items()
            if run.diff.get(key)
        ],
        "refusals": selectors.run_refusals(run) if run.is_finished else [],
        "error": selectors.reason_text(run.error_code, run.error_params) if run.error_code else "",
    }
    if getattr(request, "htmx", False) and not run.is_finished:
        return render(request, "directory/run.html#progress", context)
    return render(request, "directory/run.html", context)


_DIFF_COUNT = {
    "schools_create": "schools_created",
    "schools_update": "schools_updated",
    "people_create": "people_created",
    "people_update": "people_updated",
    "people_deactivate": "people_deactivated",
    "people_reactivate": "people_reactivated",
    "memberships_create": "memberships_created",
    "memberships_change": "memberships_changed",
    "memberships_end": "memberships_ended",
    "teams_create": "teams_created",
    "teams_update": "teams_updated",
}

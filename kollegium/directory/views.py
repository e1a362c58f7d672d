"""The administrator's pages for SS 12000 sources and their runs (issue 11)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.directory import permissions, selectors, services
from kollegium.directory.forms import (
    FileSourceCreateForm,
    FileUploadForm,
    SourceCreateForm,
    SourceEditForm,
)
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
    context = {"form": form, "file_form": FileSourceCreateForm(), "sources": selectors.sources()}
    return render(request, "directory/index.html", context)


def file_source_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = FileSourceCreateForm(request.POST or None)
    done = form_action(
        request,
        form,
        lambda: services.file_source_create(actor=actor_of(request), **form.cleaned_data),
        success=_("Added. Upload the staff list to see what it would change."),
        redirect_to=lambda source: ("directory:source", source.pk),
    )
    if done:
        return done
    context = {"form": SourceCreateForm(), "file_form": form, "sources": selectors.sources()}
    return render(request, "directory/index.html", context)


@require_POST
def source_file_preview(request: HttpRequest, source_id: int) -> HttpResponse:
    _require_admin(request)
    source = get_object_or_404(DirectorySource, pk=source_id)
    form = FileUploadForm(request.POST, request.FILES)
    upload = request.FILES.get("file")
    return post_action(
        request,
        lambda: services.file_preview(
            actor=actor_of(request),
            source=source,
            file_name=(upload.name or "") if upload else "",
            data=b"".join(upload.chunks()) if upload else b"",
        ),
        form=form,
        invalid=_("Choose a file to upload."),
        success=_("The file was read. Nothing has changed yet."),
        redirect_to=lambda run: ("directory:run", run.pk),
        error_redirect_to=("directory:source", source.pk),
    )


@require_POST
def run_apply(request: HttpRequest, run_id: int) -> HttpResponse:
    _require_admin(request)
    run = get_object_or_404(SyncRun, pk=run_id)
    return post_action(
        request,
        lambda: services.file_apply(actor=actor_of(request), run=run),
        success=_("The file has been applied."),
        redirect_to=lambda applied: ("directory:run", applied.pk),
        error_redirect_to=("directory:run", run.pk),
    )


def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    _require_admin(request)
    source = get_object_or_404(DirectorySource.objects.select_related("owner"), pk=source_id)
    is_file = source.kind == DirectorySource.Kind.FILE
    form = SourceEditForm(
        request.POST or None, initial=SourceEditForm.initial_for(source), for_file=is_file
    )
    done = form_action(
        request,
        form,
        lambda: services.source_update(
            actor=actor_of(request),
            source=source,
            name=form.cleaned_data["name"],
            base_url=form.cleaned_data.get("base_url", ""),
            token=form.cleaned_data.get("token", ""),
            client_certificate=form.cleaned_data.get("client_certificate", ""),
            client_key=form.cleaned_data.get("client_key", ""),
            role_mapping=form.role_mapping(),
            team_group_types=form.cleaned_data["team_group_types"],
            leaver_content=form.cleaned_data["leaver_content"],
            is_enabled=form.cleaned_data.get("is_enabled", False),
            sync_timetables=form.cleaned_data.get("sync_timetables", False),
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
        "upload_form": FileUploadForm(),
        "runs": runs,
        "is_file": is_file,
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

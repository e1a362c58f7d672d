"""Thin views: the audit log (a page and a CSV file, each reading recorded in the log) and
records requests (a school's official records for a period as PDF and CSV, audited)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kollegium.core.actions import form_action
from kollegium.core.params import get_page
from kollegium.core.pdf import pdf_response
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_school
from kollegium.records import requests, selectors, services
from kollegium.records.forms import (
    AccessibilityReportForm,
    AuditFilterForm,
    RecordsRequestForm,
)
from kollegium.records.permissions import (
    get_records_group_or_404,
    get_records_school_or_404,
    require_audit_reader,
)

EVENTS_PER_PAGE = 50


def _nav(request: HttpRequest) -> dict[str, Any]:
    """The schools whose records requests the person answers (their memberships, read once)."""
    return {"records_schools": selectors.records_schools(actor=actor_of(request))}


def _filter_form(request: HttpRequest) -> AuditFilterForm:
    actor = require_audit_reader(actor_of(request))
    actions = selectors.audit_action_choices(actor=actor)
    return AuditFilterForm(request.GET or None, actions=actions)


@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    """Who did what and when, for the person's scope; each valid reading is itself recorded."""
    actor = actor_of(request)
    form = _filter_form(request)
    context: dict[str, object] = {"form": form, "page": None, "rows": [], **_nav(request)}
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else {}
        events = selectors.audit_events(actor=actor, **filters)
        page = Paginator(events, EVENTS_PER_PAGE).get_page(get_page(request.GET))
        rows = selectors.audit_rows(page, nobody=_("No person"))
        services.audit_access_record(
            actor=actor, export=False, rows=len(rows), school=current_school(request), **filters
        )
        query = request.GET.copy()
        query.pop("page", None)
        context.update(page=page, rows=rows, query=query.urlencode())
    return render(request, "records/audit.html", context)


def _csv_cell(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(
    header: list[str], rows: Iterator[selectors.AuditRow], language: str
) -> Iterator[str]:
    # The rows are written after the view has returned, when the request's language is no
    # longer active: keep it for the readable action names.
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    with translation.override(language):
        for row in rows:
            yield writer.writerow(
                [
                    row.when.isoformat(),
                    _csv_cell(row.who),
                    _csv_cell(row.who_email),
                    row.action,
                    _csv_cell(row.what),
                    _csv_cell(row.school),
                    row.target,
                    _csv_cell(row.details),
                ]
            )


@require_GET
def audit_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered log as CSV, streamed; the export is recorded before the first row."""
    actor = actor_of(request)
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "records/audit.html", {"form": form, "page": None}, status=400)
    filters = form.filters() if form.is_bound else {}
    events = selectors.audit_events(actor=actor, **filters)
    services.audit_access_record(
        actor=actor,
        export=True,
        rows=events.count(),
        school=current_school(request),
        **filters,
    )
    rows = selectors.audit_rows_streamed(events, nobody=_("No person"))
    header = [_("When"), _("Who"), _("Email"), _("Action"), _("What"), _("School")]
    header += [_("Target"), _("Details")]
    response = StreamingHttpResponse(
        _csv_lines(header, rows, translation.get_language() or "sv"),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


# --- records requests (allmänna handlingar) --------------------------------------------------


def _request_form(request: HttpRequest, school_id: int) -> tuple[Any, RecordsRequestForm]:
    school = get_records_school_or_404(actor_of(request), school_id)
    groups = list(requests.groups_of_school(school=school).values_list("pk", "name"))
    return school, RecordsRequestForm(request.GET or None, groups=groups)


def _request_records(school: Any, form: RecordsRequestForm) -> requests.RecordsRequest:
    data = form.cleaned_data
    group = get_records_group_or_404(school, data["group"]) if data.get("group") else None
    return requests.official_records(
        school=school, group=group, since=data["since"], until=data["until"]
    )


@require_GET
def records_request(request: HttpRequest, school_id: int) -> HttpResponse:
    """Choose the period (and group); see what the export holds before downloading it."""
    school, form = _request_form(request, school_id)
    found = _request_records(school, form) if form.is_bound and form.is_valid() else None
    context = {"school": school, "form": form, "found": found, **_nav(request)}
    return render(request, "records/request.html", context)


def _export(request: HttpRequest, school_id: int, export_format: str) -> Any:
    school, form = _request_form(request, school_id)
    if not form.is_valid():
        context = {"school": school, "form": form, "found": None, **_nav(request)}
        return school, None, render(request, "records/request.html", context, status=400)
    found = _request_records(school, form)
    services.records_request_record(
        actor=actor_of(request),
        school=school,
        group=found.group,
        since=found.since,
        until=found.until,
        export_format=export_format,
        records=found.count,
    )
    return school, found, None


def _filename(found: requests.RecordsRequest) -> str:
    return f"allmanna-handlingar-{found.school.pk}-{found.since}-{found.until}"


@require_GET
def records_request_pdf(request: HttpRequest, school_id: int) -> HttpResponse:
    """The official records as one printable PDF document (the request is audited)."""
    _school, found, refused = _export(request, school_id, "pdf")
    if refused is not None:
        return refused
    context = {"found": found, "made_at": timezone.now()}
    return pdf_response(request, "records/request_pdf.html", context, _filename(found))


@require_GET
def records_request_csv(request: HttpRequest, school_id: int) -> HttpResponse:
    """The official records as CSV, one document a row (the request is audited)."""
    _school, found, refused = _export(request, school_id, "csv")
    if refused is not None:
        return refused
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(found)}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Date"), _("Kind"), _("Group"), _("Title"), _("Text"), _("Decisions")])
    for m in found.minutes:
        writer.writerow(
            [
                timezone.localtime(m.date).date().isoformat(),
                _("Minutes"),
                _csv_cell(m.group),
                "",
                _csv_cell(m.minutes),
                _csv_cell(m.decisions),
            ]
        )
    for c in found.conclusions:
        text = "\n\n".join(
            [
                f"{_('What we tried')}: {c.tried}",
                f"{_('Evidence')}: {c.evidence}",
                f"{_('Conclusion')}: {c.conclusion}",
            ]
        )
        writer.writerow(
            [
                timezone.localtime(c.date).date().isoformat(),
                _("Proven practice"),
                _csv_cell(c.group),
                _csv_cell(c.title),
                _csv_cell(text),
                "",
            ]
        )
    return response


# --- the accessibility statement (tillgänglighetsredogörelse) ---------------------------------


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, public; signed-in people report a problem from here."""
    return render(request, "records/accessibility.html", {"form": AccessibilityReportForm()})


@require_POST
def accessibility_report(request: HttpRequest) -> HttpResponse:
    form = AccessibilityReportForm(request.POST)
    done = form_action(
        request,
        form,
        lambda: services.accessibility_report_create(
            actor=actor_of(request),
            page=form.cleaned_data["page"],
            message=form.cleaned_data["message"],
        ),
        success=_("Thank you. The administrators have your report and will look into it."),
        redirect_to="records:accessibility",
    )
    return done or render(request, "records/accessibility.html", {"form": form}, status=422)

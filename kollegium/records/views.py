"""Thin views: the audit log (a page and a CSV file), each reading recorded in the log."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kollegium.core.params import get_page
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_school
from kollegium.records import selectors, services
from kollegium.records.forms import AuditFilterForm
from kollegium.records.permissions import require_audit_reader

EVENTS_PER_PAGE = 50


def _filter_form(request: HttpRequest) -> AuditFilterForm:
    actor = require_audit_reader(actor_of(request))
    actions = selectors.audit_action_choices(actor=actor)
    return AuditFilterForm(request.GET or None, actions=actions)


@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    """Who did what and when, for the person's scope; each valid reading is itself recorded."""
    actor = actor_of(request)
    form = _filter_form(request)
    context: dict[str, object] = {"form": form, "page": None, "rows": []}
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

"""Thin views of the insights app: parse, check access, call a selector or a service."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.core.pdf import pdf_response
from kollegium.insights import figures, selectors, services, tables
from kollegium.insights.forms import PeriodForm, PromiseForm, term_label
from kollegium.insights.periods import Period
from kollegium.insights.permissions import (
    get_managed_school_or_404,
    get_owner_for_staff_or_404,
    get_promise_for_manager_or_404,
)
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_school
from kollegium.organisations.models import Organisation


def period_label(period: Period) -> str:
    if period.kind == "custom":
        return _("%(start)s to %(end)s") % {"start": period.start, "end": period.end}
    return term_label(period)


def _period(request: HttpRequest) -> PeriodForm:
    return PeriodForm(request.GET or None)


def _school_context(request: HttpRequest, school: Organisation, form: PeriodForm) -> dict[str, Any]:
    data = selectors.school_insights(school, form.period())
    return {
        "school": school,
        "data": data,
        "tables": tables.school_tables(data),
        "period_form": form,
        "period_label": period_label(data.period),
        "query": form.query(),
        "sources": figures.rhythm().sources,
    }


def _school_page(
    request: HttpRequest, school: Organisation, promise_form: PromiseForm
) -> HttpResponse:
    context = _school_context(request, school, _period(request))
    context["promise_form"] = promise_form
    return render(request, "insights/school.html", context)


@require_GET
def school(request: HttpRequest, school_id: int) -> HttpResponse:
    """The leader's page: time, load, the focus chain, equity and whether it lasts."""
    school = get_managed_school_or_404(actor_of(request), school_id)
    return _school_page(request, school, PromiseForm(school=school))


@require_POST
def promise_set(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = actor_of(request)
    school = get_managed_school_or_404(actor, school_id)
    form = PromiseForm(request.POST, school=school)
    done = form_action(
        request,
        form,
        lambda: services.promise_set(actor=actor, school=school, **form.cleaned_data),
        success=_("The promise is saved."),
        redirect_to=reverse("insights:school", args=[school.pk]) + "#promise",
    )
    return done or _school_page(request, school, form)


@require_POST
def promise_remove(request: HttpRequest, school_id: int, promise_id: int) -> HttpResponse:
    actor = actor_of(request)
    school = get_managed_school_or_404(actor, school_id)
    promise = get_promise_for_manager_or_404(actor, school, promise_id)
    return post_action(
        request,
        lambda: services.promise_remove(actor=actor, promise=promise),
        success=_("The promise is removed."),
        redirect_to=reverse("insights:school", args=[school.pk]) + "#promise",
    )


def _csv(table: tables.Table, name: str) -> HttpResponse:
    response = HttpResponse("\ufeff" + table.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_GET
def school_csv(request: HttpRequest, school_id: int, table: str) -> HttpResponse:
    """One of the page's tables as CSV (the same rows as the page)."""
    school = get_managed_school_or_404(actor_of(request), school_id)
    form = _period(request)
    data = selectors.school_insights(school, form.period())
    found = tables.school_tables(data).get(table)
    if found is None:
        raise Http404
    return _csv(found, f"{table}-{data.period.key}")


@require_GET
def report(request: HttpRequest, school_id: int) -> HttpResponse:
    """The term report for the school's quality work (printable)."""
    school = get_managed_school_or_404(actor_of(request), school_id)
    context = _school_context(request, school, _period(request))
    return render(request, "insights/report.html", context)


@require_GET
def report_pdf(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_managed_school_or_404(actor_of(request), school_id)
    context = _school_context(request, school, _period(request))
    context["pdf"] = True
    filename = f"{school.display_name}-{context['data'].period.key}"
    return pdf_response(request, "insights/report_pdf.html", context, filename)


@require_GET
def owner(request: HttpRequest, owner_id: int) -> HttpResponse:
    """A school owner's staff compare the owner's schools."""
    owner = get_owner_for_staff_or_404(actor_of(request), owner_id)
    form = _period(request)
    rows = selectors.owner_comparison(owner, form.period())
    return render(
        request,
        "insights/owner.html",
        {
            "owner": owner,
            "table": tables.owner_table(rows),
            "period_form": form,
            "period_label": period_label(form.period()),
            "query": form.query(),
        },
    )


@require_GET
def owner_csv(request: HttpRequest, owner_id: int) -> HttpResponse:
    owner = get_owner_for_staff_or_404(actor_of(request), owner_id)
    form = _period(request)
    table = tables.owner_table(selectors.owner_comparison(owner, form.period()))
    return _csv(table, f"schools-{form.period().key}")


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The person's own ledger (no one else's figures but their leaders' own participation)."""
    actor = actor_of(request)
    school = current_school(request)
    ledger = selectors.own_ledger(actor, school)
    return render(
        request,
        "insights/mine.html",
        {
            "ledger": ledger,
            "terms": [(term_label(t.period), t) for t in ledger.terms],
            "today": timezone.localdate(),
        },
    )


@require_GET
def research(request: HttpRequest) -> HttpResponse:
    """What research says about the rhythm, with the sources (the data file's content)."""
    rhythm = figures.rhythm()
    language = get_language() or "sv"
    rules = [
        (key, {"value": rule.value, "reason": rule.reason(language), "source": rule.source.text})
        for key, rule in rhythm.rules.items()
    ]
    return render(request, "insights/research.html", {"rhythm": rhythm, "rules": rules})

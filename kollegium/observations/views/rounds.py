"""Thin views for rounds and statistics: parse, check access, call a service, render."""

from __future__ import annotations

import csv
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.observations import selectors, services, timetable
from kollegium.observations.forms import (
    PairAnswerForm,
    PairMoveForm,
    PreferPairForm,
    RoundForm,
)
from kollegium.observations.models import RoundStatus
from kollegium.observations.permissions import (
    can_run_rounds_at,
    can_view_statistics,
    get_pair_for_facilitator_or_404,
    get_pair_for_participant_or_404,
    get_round_for_facilitator_or_404,
)
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_school
from kollegium.organisations.selectors import min_group_size, school_teams

# --- rounds ---------------------------------------------------------------------------------


def _facilitator_school(request: HttpRequest) -> Any:
    school = current_school(request)
    if not can_run_rounds_at(actor_of(request), school):
        raise Http404
    return school


def rounds(request: HttpRequest) -> HttpResponse:
    school = _facilitator_school(request)
    return render(
        request,
        "observations/rounds.html",
        {
            "rounds": selectors.rounds_for_school(actor=actor_of(request), school=school),
            "network_rounds": selectors.network_rounds_for_school(
                actor=actor_of(request), school=school
            ),
            "min_group": min_group_size(school),
        },
    )


def round_new(request: HttpRequest) -> HttpResponse:
    school = _facilitator_school(request)
    people = selectors.teachers_at(school=school)
    form = RoundForm(
        request.POST or None, school=school, teams=school_teams(school=school), people=people
    )

    def create() -> Any:
        data = form.cleaned_data
        return services.round_create(
            actor=actor_of(request),
            school=school,
            title=data["title"],
            participants=form.chosen_people(),
            first_day=data["first_day"],
            last_day=data["last_day"],
            k=data["k"],
            subject_mode=data["subject_mode"],
            team=data["team"],
            previous_round=data["previous_round"],
            max_per_day=data["max_per_day"],
            require_observer_free=data["require_observer_free"],
            network=data["network"],
            whole_network=data["whole_network"],
            travel_minutes=data["travel_minutes"] or 0,
            other_schools_only=data["other_schools_only"],
        )

    done = form_action(
        request,
        form,
        create,
        redirect_to=lambda round_: ("observations:round_detail", round_.pk),
    )
    return done or render(request, "observations/round_new.html", {"form": form})


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_facilitator_or_404(actor_of(request), pk)
    template = "observations/round_detail.html"
    if getattr(request, "htmx", False) and request.GET.get("part") == "progress":
        if round_.status != RoundStatus.SOLVING:
            # Planning finished: reload the whole page so the proposed schedule shows.
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        template += "#progress"
    view = selectors.round_view(actor=actor_of(request), round_=round_)
    prefer_form = PreferPairForm(people=round_.participants.order_by("full_name"))
    return render(request, template, {"round": round_, "view": view, "prefer_form": prefer_form})


@require_POST
def round_prefer(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_facilitator_or_404(actor_of(request), pk)
    form = PreferPairForm(request.POST, people=round_.participants.all())
    return post_action(
        request,
        lambda: services.round_prefer_pair(
            actor=actor_of(request), round_=round_, **form.cleaned_data
        ),
        form=form,
        invalid=_("Choose two people in the round."),
        success=_("The pair is preferred when you plan the round."),
        redirect_to=("observations:round_detail", round_.pk),
    )


@require_POST
def round_unprefer(
    request: HttpRequest, pk: int, observer_id: int, observed_id: int
) -> HttpResponse:
    round_ = get_round_for_facilitator_or_404(actor_of(request), pk)
    return post_action(
        request,
        lambda: services.round_unprefer_pair(
            actor=actor_of(request), round_=round_, observer_id=observer_id, observed_id=observed_id
        ),
        redirect_to=("observations:round_detail", round_.pk),
    )


@require_POST
def round_solve(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_facilitator_or_404(actor_of(request), pk)
    return post_action(
        request,
        lambda: services.round_solve(actor=actor_of(request), round_=round_),
        redirect_to=("observations:round_detail", round_.pk),
    )


@require_POST
def round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_facilitator_or_404(actor_of(request), pk)
    return post_action(
        request,
        lambda: services.round_publish(actor=actor_of(request), round_=round_),
        redirect_to=("observations:round_detail", round_.pk),
    )


@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_facilitator_or_404(actor_of(request), pk)
    return post_action(
        request,
        lambda: services.round_close(actor=actor_of(request), round_=round_),
        redirect_to=("observations:round_detail", round_.pk),
    )


def pair_move(request: HttpRequest, pk: int) -> HttpResponse:
    pair = get_pair_for_facilitator_or_404(actor_of(request), pk)
    options = timetable.pair_alternatives(pair=pair)
    form = PairMoveForm(request.POST or None, options=options)
    done = form_action(
        request,
        form,
        lambda: services.pair_move(
            actor=actor_of(request), pair=pair, lesson_ref=form.cleaned_data["lesson_ref"]
        ),
        success=_("The pair has a new lesson; the other pairs are unchanged."),
        redirect_to=("observations:round_detail", pair.round_id),
    )
    return done or render(
        request, "observations/pair_move.html", {"pair": pair, "form": form, "options": options}
    )


@require_POST
def pair_answer(request: HttpRequest, pk: int) -> HttpResponse:
    pair = get_pair_for_participant_or_404(actor_of(request), pk)
    form = PairAnswerForm(request.POST)
    return post_action(
        request,
        lambda: services.pair_respond(
            actor=actor_of(request),
            pair=pair,
            accept=form.cleaned_data["answer"] == "accept",
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        invalid=_("Choose to accept or decline."),
        denied=_("That is not possible right now."),
        success=_("Thank you for your answer."),
        redirect_to="observations:home",
    )


# --- statistics -----------------------------------------------------------------------------


def _statistics_school(request: HttpRequest) -> Any:
    school = current_school(request)
    if not can_view_statistics(actor_of(request), school):
        raise Http404
    return school


def statistics(request: HttpRequest) -> HttpResponse:
    school = _statistics_school(request)
    rows = selectors.statistics_for_school(actor=actor_of(request), school=school)
    return render(
        request,
        "observations/statistics.html",
        {"rows": rows, "school": school, "min_group": min_group_size(school)},
    )


def statistics_csv(request: HttpRequest) -> HttpResponse:
    school = _statistics_school(request)
    rows = selectors.statistics_for_school(actor=actor_of(request), school=school)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="observations-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Round"),
            _("Team"),
            _("People"),
            _("Planned"),
            _("Took place"),
            _("Debriefed"),
            _("Declined"),
            _("Cancelled"),
            _("Observed at least once (%)"),
            _("Not observed yet"),
        ]
    )
    too_few = _("Too few to show")
    for row in rows:
        if not row.shown:  # below the owner's minimum group size: no count, no name
            writer.writerow([_safe_cell(row.round), _safe_cell(row.team), *[""] * 7, too_few])
            continue
        writer.writerow(
            [
                _safe_cell(row.round),
                _safe_cell(row.team),
                row.people,
                row.planned,
                row.took_place,
                row.debriefed,
                row.declined,
                row.cancelled,
                row.observed_percent,
                _safe_cell("; ".join(row.not_observed)),
            ]
        )
    return response


def _safe_cell(text: str) -> str:
    """Keep a spreadsheet from running a name as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

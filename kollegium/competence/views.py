"""Thin views: parse, check access, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kollegium.accounts.models import User
from kollegium.competence import csvio, selectors, services
from kollegium.competence.explain import explain, level_text
from kollegium.competence.forms import (
    QUICK_CHOICES,
    CsvUploadForm,
    CustomSkillForm,
    HelpSearchForm,
    LevelForm,
    MatrixFilterForm,
    OwnerCoverageFilterForm,
    ProfileSettingsForm,
    QuickStartForm,
    SchoolTypesForm,
)
from kollegium.competence.models import Skill, SkillArea, SkillLevel
from kollegium.competence.permissions import (
    can_use_skill,
    get_matrix_school_or_404,
    get_person_for_user_or_404,
)
from kollegium.competence.selectors.scoped import area_filled, scope
from kollegium.competence.selectors.scoped import quick_start as quick_start_rows
from kollegium.core.actions import form_action, post_action
from kollegium.core.aggregates import shown as figure_shown
from kollegium.core.jinja import render_fragment
from kollegium.core.params import get_int, get_ints
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_membership, current_school
from kollegium.organisations.models import DevelopmentFocus, Network, Subject, Team
from kollegium.organisations.permissions import get_owner_for_staff_or_404
from kollegium.organisations.selectors import min_group_size, owners_for_staff


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _skill_row_context(skills: list[Skill]) -> dict[str, Any]:
    """What every skill row of the profile shares, translated once per page, and each skill's
    address: translating and reversing in each of a hundred rows was most of the page's time
    (issue 10). The rows themselves are a Jinja2 fragment (competence/jinja2/)."""
    url = reverse("competence:level_save", args=[0])
    for skill in skills:
        skill.level_url = url.replace("/0/", f"/{skill.pk}/", 1)  # type: ignore[attr-defined]
    return {
        "row_text": {
            "level": _("Level"),
            "not_set": _("– not set –"),
            "level_1": _("1 – curious (want to learn)"),
            "level_2": _("2 – practising"),
            "level_3": _("3 – confident"),
            "level_4": _("4 – can guide others"),
            "share": _("Willing to share"),
            "learn": _("Want to learn"),
            "evidence": _("Evidence (one line)"),
            "save": _("Save"),
            "saved": _("Saved"),
        }
    }


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    user = actor.person
    prof = selectors.profile_for(user)
    settings_form = ProfileSettingsForm(
        initial={"ask_me_about": user.ask_me_about, "visible_in_network": prof.visible_in_network}
    )
    membership = current_membership(request)
    groups = selectors.profile_editor(user=actor)
    row_context = _skill_row_context([skill for group in groups for skill, _lvl in group.rows])
    return render(
        request,
        "competence/profile.html",
        {
            "groups": [
                (
                    group,
                    render_fragment(
                        "competence/_skill_rows.html", {"rows": group.rows, **row_context}, request
                    ),
                )
                for group in groups
            ],
            "settings_form": settings_form,
            "sole": selectors.sole_holdings(user=actor),
            "upload_form": CsvUploadForm(),
            "membership": membership,
            "level_form": LevelForm(),
            "staff_owners": owners_for_staff(actor),
        },
    )


@require_POST
def level_save(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = get_object_or_404(Skill.objects.select_related("area"), pk=skill_id)
    actor = actor_of(request)
    if not can_use_skill(actor, skill):
        return render(request, "404.html", status=404)
    form = LevelForm(request.POST)

    def save() -> None:
        if form.cleaned_data["level"] is None:
            services.skill_level_remove(actor=actor, skill=skill)
        else:
            services.skill_level_set(actor=actor, skill=skill, **form.cleaned_data)

    def skill_row(saved: bool) -> HttpResponse:
        level = SkillLevel.objects.filter(user_id=actor.pk, skill=skill).first()
        context = {"skill": skill, "lvl": level, "form": form, "saved": saved}
        row = render_fragment(
            "competence/_skill_row.html", {**context, **_skill_row_context([skill])}, request
        )
        # The area's counter in the page's summary follows at once (an out-of-band swap).
        counter = render_to_string(
            "competence/_area_count.html",
            {"area_key": skill.area.key, "filled": area_filled(user=actor, area_id=skill.area_id)},
        )
        return HttpResponse(row + counter, status=200 if saved or form.is_valid() else 422)

    back = reverse("competence:profile") + f"#area-{skill.area.key}"
    done = form_action(
        request,
        form,
        save,
        success=_("Saved: %(skill)s.") % {"skill": skill.name},
        redirect_to=back,
        partial=skill_row,
    )
    if done is None:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return done or redirect(back)


@require_http_methods(["GET", "POST"])
def quick_start(request: HttpRequest) -> HttpResponse:
    """The 8–12 skills most likely relevant, a level each with one tap; every tap saves at once
    with htmx, and the whole form saves with a plain post without JavaScript."""
    actor = actor_of(request)
    available = selectors.skills_for_user(actor).order_by("area__order", "order", "key")
    rows = quick_start_rows(user=actor, available=available)
    form = QuickStartForm(request.POST or None, skills=[row.skill for row in rows])

    def status(saved: bool) -> HttpResponse:
        return render(
            request,
            "competence/quick_start.html#quick_status",
            {"form": form, "saved": saved},
            status=200 if saved else 422,
        )

    done = form_action(
        request,
        form,
        lambda: services.skill_levels_choose(actor=actor, levels=form.chosen_levels()),
        success=lambda count: (
            ngettext(
                "%(count)d skill is saved in your profile.",
                "%(count)d skills are saved in your profile.",
                count,
            )
            % {"count": count}
        ),
        redirect_to="competence:profile",
        partial=status,
    )
    return done or render(
        request,
        "competence/quick_start.html",
        {"rows": rows, "form": form, "choices": QUICK_CHOICES},
        status=422 if request.method == "POST" else 200,
    )


def _type_choices() -> list[tuple[str, str]]:
    language = get_language() or "sv"
    return [(t.key, t.name(language)) for t in scope().school_types]


@require_POST
def school_types(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_matrix_school_or_404(actor_of(request), school_id)
    form = SchoolTypesForm(request.POST, choices=_type_choices())
    return post_action(
        request,
        lambda: services.school_types_set(
            actor=actor_of(request), school=school, types=form.cleaned_data["types"]
        ),
        form=form,
        success=_("The school types are saved."),
        redirect_to=("competence:coverage", school.pk),
    )


@require_POST
def profile_settings(request: HttpRequest) -> HttpResponse:
    form = ProfileSettingsForm(request.POST)
    return post_action(
        request,
        lambda: services.profile_settings_update(actor=actor_of(request), **form.cleaned_data),
        form=form,
        invalid=_("Please check the form."),
        success=_("Your settings are saved."),
        redirect_to="competence:profile",
    )


@require_GET
def profile_export(request: HttpRequest) -> HttpResponse:
    text = csvio.write(selectors.profile_rows(user=actor_of(request)), with_email=False)
    return _csv_response(text, "competence-profile.csv")


@require_POST
def profile_import(request: HttpRequest) -> HttpResponse:
    form = CsvUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = services.profile_import_csv(
                actor=actor_of(request),
                text=form.cleaned_data["file"],
                school=current_school(request),
            )
            messages.success(request, _("Imported %(count)d skills.") % {"count": count})
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            messages.error(request, _("Nothing was imported."))
    else:
        for errors in form.errors.values():
            for form_error in errors:
                messages.error(request, str(form_error))
    return redirect("competence:profile")


@require_GET
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    someone = get_person_for_user_or_404(actor_of(request), person_id)
    return render(
        request,
        "competence/person.html",
        {
            "person": someone,
            "levels": selectors.person_levels(viewer=actor_of(request), person=someone),
            "is_me": someone.pk == request.user.pk,
        },
    )


@require_POST
def endorse(request: HttpRequest, level_id: int) -> HttpResponse:
    level = get_object_or_404(SkillLevel.objects.select_related("user"), pk=level_id)
    actor = actor_of(request)
    get_person_for_user_or_404(actor, level.user_id)
    return post_action(
        request,
        lambda: services.endorsement_add(actor=actor, skill_level=level),
        success=_("Thank you for the endorsement."),
        redirect_to=("competence:person", level.user_id),
    )


@require_POST
def endorse_withdraw(request: HttpRequest, level_id: int) -> HttpResponse:
    level = get_object_or_404(SkillLevel.objects.select_related("user"), pk=level_id)
    actor = actor_of(request)
    get_person_for_user_or_404(actor, level.user_id)
    return post_action(
        request,
        lambda: services.endorsement_remove(actor=actor, skill_level=level),
        redirect_to=("competence:person", level.user_id),
    )


@require_GET
def help_search(request: HttpRequest) -> HttpResponse:
    skills = list(selectors.skills_for_user(actor_of(request)).order_by("area__order", "order"))
    form = HelpSearchForm(request.GET or None, skills=skills)
    own: list[selectors.HelpResult] = []
    network: list[selectors.HelpResult] = []
    searched, skill = False, None
    if form.is_valid() and (form.cleaned_data["skill"] or form.cleaned_data["q"]):
        key = form.cleaned_data["skill"]
        skill = next((s for s in skills if s.key == key), None) if key else None
        own, network = selectors.who_can_help(
            viewer=actor_of(request), skill=skill, text=form.cleaned_data["q"]
        )
        searched = True
    for result in [*own, *network]:
        # The level is shown once, next to the skill; the line gives the other reasons.
        explanation = explain(result.ranked.reasons, without_level=True)
        result.explanation = explanation  # type: ignore[attr-defined]
        if result.level is not None:
            result.level_text = level_text(result.level.level)  # type: ignore[attr-defined]
    return render(
        request,
        "competence/help.html",
        {"form": form, "own": own, "network": network, "searched": searched, "skill": skill},
    )


@require_GET
def matrix(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_matrix_school_or_404(actor_of(request), school_id)
    teams = list(Team.objects.filter(school=school))
    subjects = list(Subject.objects.all())
    areas = list(SkillArea.objects.all())
    form = MatrixFilterForm(request.GET or None, teams=teams, subjects=subjects, areas=areas)
    filters = form.cleaned_data if form.is_valid() else {}
    data = selectors.school_matrix(
        school=school,
        team_id=filters.get("team"),
        subject_id=filters.get("subject"),
        area_key=filters.get("area") or "",
    )
    person_url = reverse("competence:person", args=[0])  # one reverse for all rows
    rows = [
        (p, person_url.replace("/0/", f"/{p.pk}/", 1), _cells_html(data, p)) for p in data.people
    ]
    return render(
        request,
        "competence/matrix.html",
        {
            "school": school,
            "form": form,
            "matrix": data,
            "rows": rows,
            "upload_form": CsvUploadForm(),
        },
    )


def _cell_html(cell: tuple[int, bool, bool] | None) -> str:
    """A matrix cell: "3 D" = level 3, willing to share (en "3 S"); "–" = not filled in. The
    flags are capital letters apart from the level, so "2 L" never reads as 21 (issue 16)."""
    if cell is None:
        return "<td>–</td>"
    level, share, learn = cell
    # Translators: one capital letter in the competence matrix: willing to share ("dela").
    flags = [pgettext("competence matrix", "S")] if share else []
    if learn:
        # Translators: one capital letter in the competence matrix: wants to learn.
        flags.append(pgettext("competence matrix", "L"))
    marks = f' <span class="flags">{" ".join(flags)}</span>' if flags else ""
    return f'<td class="lv{level}">{level}{marks}</td>'


_CELL_KEYS = [
    None,
    *((lv, sh, le) for lv in range(1, 5) for sh in (False, True) for le in (False, True)),
]
# Every cell is one of these few constant strings (levels 1–4, two flags, or empty), per
# language.
_CELLS_BY_LANGUAGE: dict[str, dict[Any, str]] = {}


def _cells_for_language() -> dict[Any, str]:
    language = get_language() or "sv"
    if language not in _CELLS_BY_LANGUAGE:
        _CELLS_BY_LANGUAGE[language] = {cell: _cell_html(cell) for cell in _CELL_KEYS}
    return _CELLS_BY_LANGUAGE[language]


def _cells_html(data: selectors.Matrix, person: User) -> SafeString:
    """A person's row of cells as HTML, joined from the constant cell strings above: the
    matrix has thousands of cells, and three template nodes each were most of the page's time
    (issue 10)."""
    cells, pk, constant = data.cells, person.pk, _cells_for_language()
    return mark_safe("".join([constant[cells.get((pk, s.pk))] for s in data.skills]))


@require_GET
def matrix_export(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_matrix_school_or_404(actor_of(request), school_id)
    text = csvio.write(selectors.matrix_rows(school=school), with_email=True)
    return _csv_response(text, f"competence-matrix-{school.pk}.csv")


@require_POST
def matrix_import(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_matrix_school_or_404(actor_of(request), school_id)
    form = CsvUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = services.matrix_import_csv(
                actor=actor_of(request), school=school, text=form.cleaned_data["file"]
            )
            messages.success(request, _("Imported %(count)d rows.") % {"count": count})
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            messages.error(request, _("Nothing was imported."))
    else:
        for errors in form.errors.values():
            for form_error in errors:
                messages.error(request, str(form_error))
    return redirect("competence:matrix", school_id=school.pk)


@require_GET
def coverage(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_matrix_school_or_404(actor_of(request), school_id)
    data = selectors.school_coverage(school=school)
    skill_by_id = {row.skill.pk: row.skill for row in data.rows}
    focus_links = [
        (
            focus,
            [
                skill_by_id[i]
                for i in sorted(data.focus_skill_ids.get(focus.pk, ()))
                if i in skill_by_id
            ],
        )
        for focus in data.focus_areas
    ]
    text = _coverage_text()
    pairs = {
        "pairs": data.pairs,
        "text": text,
        "pair_start_url": reverse("competence:pair_start", args=[school.pk]),
    }
    minimum = min_group_size(school)
    # The heat map counts people per level: below the owner's minimum group size it would
    # point at individuals, so it is not rendered at all (core/aggregates.py).
    heat_map_shown = figure_shown(data.people, minimum)
    return render(
        request,
        "competence/coverage.html",
        {
            "school": school,
            "data": data,
            "heat_map_shown": heat_map_shown,
            "min_group": minimum,
            "focus_links": focus_links,
            "types_form": SchoolTypesForm(
                initial={"types": sorted(data.school_types)}, choices=_type_choices()
            ),
            # The heat map's hundred rows and the pairs' forms are Jinja2 fragments (issue 10).
            "heat_map_html": render_fragment(
                "competence/_heat_map.html", {"areas": _area_rows(data.rows), "text": text}
            )
            if heat_map_shown
            else "",
            "pairs_html": render_fragment("competence/_transfer_pairs.html", pairs, request),
        },
    )


def _coverage_text() -> dict[str, str]:
    """The coverage page's row labels, translated once per page."""
    return {
        "skill": _("Skill"),
        "status": _("Status"),
        "focus": _("focus"),
        "covered": _("covered"),
        "vulnerable": _("vulnerable"),
        "gap": _("gap"),
        "mentoring": _("Mentoring pair"),
        "workshop": _("Workshop"),
    }


def _area_rows(rows: list[selectors.CoverageRow]) -> list[tuple[SkillArea, str, list]]:
    """The heat map's rows by area, with each table's (translated) caption."""
    grouped: dict[int, tuple[SkillArea, str, list]] = {}
    for row in rows:
        area = row.skill.area
        if area.pk not in grouped:
            caption = _("Number of people per level in %(area)s") % {"area": area.name}
            grouped[area.pk] = (area, caption, [])
        grouped[area.pk][2].append(row)
    return list(grouped.values())


@require_http_methods(["GET", "POST"])
def focus_skills(request: HttpRequest, school_id: int, focus_id: int) -> HttpResponse:
    school = get_matrix_school_or_404(actor_of(request), school_id)
    focus = get_object_or_404(DevelopmentFocus, pk=focus_id, school=school)
    skills = list(selectors.skills_for_school(school).order_by("area__order", "order"))
    chosen = set(focus.focus_skills.values_list("skill_id", flat=True))
    if request.method == "POST":
        wanted = get_ints(request.POST, "skills")
        picked = [s for s in skills if s.pk in set(wanted or ())]
        if wanted is None or len(picked) != len(wanted):
            messages.error(request, _("Choose skills that your school can use."))
        else:
            services.focus_skills_set(actor=actor_of(request), focus=focus, skills=picked)
            messages.success(request, _("The focus area's skills are saved."))
            return redirect("competence:coverage", school_id=school.pk)
    return render(
        request,
        "competence/focus_skills.html",
        {"school": school, "focus": focus, "areas": _group_skills(skills), "chosen": chosen},
    )


def _group_skills(skills: list[Skill]) -> list[tuple[SkillArea, list[Skill]]]:
    grouped: dict[int, tuple[SkillArea, list[Skill]]] = {}
    for skill in skills:
        grouped.setdefault(skill.area_id, (skill.area, []))[1].append(skill)
    return list(grouped.values())


@require_POST
def pair_start(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_matrix_school_or_404(actor_of(request), school_id)
    skill = get_object_or_404(Skill, pk=get_int(request.POST, "skill", 0))
    holder = get_object_or_404(User, pk=get_int(request.POST, "holder", 0))
    learner = get_object_or_404(User, pk=get_int(request.POST, "learner", 0))
    return post_action(
        request,
        lambda: services.transfer_pair_start(
            actor=actor_of(request),
            school=school,
            skill=skill,
            holder=holder,
            learner=learner,
            kind=request.POST.get("kind", "mentoring"),
        ),
        denied=_("Not allowed."),
        success=lambda group: _("The group “%(name)s” is created.") % {"name": group.name},
        redirect_to=lambda group: (
            group.get_absolute_url() if hasattr(group, "get_absolute_url") else "/groups/"
        ),
        error_redirect_to=("competence:coverage", school.pk),
    )


@require_http_methods(["GET", "POST"])
def skill_create(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_matrix_school_or_404(actor_of(request), school_id)
    networks = list(Network.objects.filter(network_memberships__school=school))
    form = CustomSkillForm(request.POST or None, school=school, networks=networks)

    def create() -> Skill:
        data = dict(form.cleaned_data)
        data["network"] = form.networks.get(data.get("network") or 0)
        return services.custom_skill_create(actor=actor_of(request), school=school, **data)

    done = form_action(
        request,
        form,
        create,
        success=lambda skill: _("The skill “%(name)s” is added.") % {"name": skill.name},
        redirect_to=("competence:coverage", school.pk),
    )
    return done or render(request, "competence/skill_form.html", {"school": school, "form": form})


@require_GET
def owner_coverage(request: HttpRequest, owner_id: int) -> HttpResponse:
    """Counts across a school owner's schools for its development staff: no names."""
    owner = get_owner_for_staff_or_404(actor_of(request), owner_id)
    form = OwnerCoverageFilterForm(request.GET or None, areas=list(SkillArea.objects.all()))
    filters = form.cleaned_data if form.is_valid() else {}
    data = selectors.owner_coverage(
        owner=owner,
        area_key=filters.get("area") or "",
        only_focus=bool(filters.get("focus")),
        order=filters.get("order") or "name",
    )
    return render(
        request, "competence/owner_coverage.html", {"owner": owner, "form": form, "data": data}
    )

"""Groups: my groups, create, the group page, settings, the leaders' overview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kollegium.core import registry
from kollegium.core.actions import form_action
from kollegium.core.params import to_int
from kollegium.groups import forms, permissions, selectors, services
from kollegium.groups.models import MethodGuide
from kollegium.groups.services.groups import eligible_members
from kollegium.groups.views.common import _language, _person_choices
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_school
from kollegium.organisations.models import DevelopmentFocus, Network
from kollegium.organisations.selectors import managed_school_ids_for_user


@require_http_methods(["GET"])
def group_list(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    return render(
        request,
        "groups/list.html",
        {
            "groups": selectors.groups_for_member(actor_of(request)),
            "can_create": school is not None
            and permissions.can_create_group_at(actor_of(request), school.pk),
            "is_leader": bool(managed_school_ids_for_user(actor_of(request))),
        },
    )


def _group_form(request: HttpRequest, school: Any, data: Any = None) -> forms.GroupForm:
    guides = [
        (f"shipped:{slug}", guide.title.get(_language()))
        for slug, (guide, _text) in services.shipped_guide_files().items()
    ]
    seen: set[str] = set()
    for adapted in selectors.guides_for_school(school.pk):
        if adapted.slug not in seen:
            seen.add(adapted.slug)
            guides.append((f"adapted:{adapted.pk}", f"{adapted.title} ({school.display_name})"))
    return forms.GroupForm(
        data,
        guides=guides,
        focus_areas=[
            (f.pk, f.title) for f in DevelopmentFocus.objects.filter(school=school, is_active=True)
        ],
        networks=[
            (n.pk, n.name) for n in Network.objects.filter(network_memberships__school=school)
        ],
        people=_person_choices(eligible_members(school, None).exclude(pk=request.user.pk)),
        initial={"guide": request.GET.get("guide", "shipped:tlc")},
    )


def _resolve_guide(value: str, school: Any) -> MethodGuide:
    kind, _sep, key = value.partition(":")
    if kind == "adapted" and (pk := to_int(key)) is not None:
        return get_object_or_404(MethodGuide, pk=pk, school=school)
    return services.shipped_guide(key)


@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    if school is None or not permissions.can_create_group_at(actor_of(request), school.pk):
        raise PermissionDenied
    form = _group_form(request, school, request.POST if request.method == "POST" else None)

    created: list[Any] = []

    def create() -> Any:
        data = form.cleaned_data
        network = None
        if data["network"]:
            network = Network.objects.filter(pk=data["network"]).first()
        focus = DevelopmentFocus.objects.filter(pk=data["focus"]).first() if data["focus"] else None
        return services.group_create(
            actor=actor_of(request),
            school=school,
            name=data["name"],
            guide=_resolve_guide(data["guide"], school),
            purpose=data["purpose"],
            focus=focus,
            network=network,
            member_ids=[*data["members"], *data["other_members"]],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            interval_days=data["interval_days"],
            minutes_sharing=data["minutes_sharing"],
        )

    def create_and_keep() -> Any:
        group = create()
        created.append(group)
        return group

    done = form_action(
        request,
        form,
        create_and_keep,
        success=_("The group has been created."),
        redirect_to=lambda group: ("groups:detail", group.pk),
    )
    if done is not None and created:
        _warn_about_plan(request, created[0])
    return done or render(request, "groups/group_form.html", {"form": form, "school": school})


def _plan_warnings(request: HttpRequest, group: Any) -> list[str]:
    """What research says about the group's plan, and (for leaders) whether it takes members
    over their load: gentle, never blocking (issue 14; the checks are registered by insights)."""
    guide = group.guide.parsed
    phase = max(guide.phases, key=lambda p: p.meetings) if guide.phases else None
    try:
        minutes = guide.meeting_type(phase.meeting_type).total_minutes if phase else 0
    except KeyError:
        minutes = 0
    return registry.group_plan_warnings(
        actor=actor_of(request),
        school=group.school,
        members=list(group.memberships.values_list("user_id", flat=True)),
        interval_days=group.interval_days,
        meeting_minutes=minutes,
        starts_on=group.starts_on,
        ends_on=group.ends_on,
    )


def _warn_about_plan(request: HttpRequest, group: Any) -> None:
    for warning in _plan_warnings(request, group):
        messages.warning(request, warning)


@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user_or_404(actor_of(request), pk)
    with_minutes = permissions.can_view_group_work(actor_of(request), group)
    material_form = forms.MaterialForm(request.POST if request.method == "POST" else None)
    done = form_action(
        request,
        material_form,
        lambda: services.material_add(
            actor=actor_of(request), group=group, **material_form.cleaned_data
        ),
        success=_("The material has been added."),
        redirect_to=("groups:detail", group.pk),
    )
    if done:
        return done
    context = selectors.group_page(group=group, with_minutes=with_minutes)
    context.update(
        group=group,
        with_minutes=with_minutes,
        is_member=permissions.is_member(actor_of(request), group),
        can_manage=permissions.can_manage_group(actor_of(request), group),
        material_form=material_form,
        language=_language(),
    )
    return render(request, "groups/detail.html", context)


@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.get_group_for_user_or_404(actor_of(request), pk)
    if not permissions.can_manage_group(actor_of(request), group):
        raise PermissionDenied
    current = {m.user_id for m in group.memberships.all()}
    form = forms.GroupForm(
        request.POST if request.method == "POST" else None,
        guides=[],
        focus_areas=[
            (f.pk, f.title)
            for f in DevelopmentFocus.objects.filter(school=group.school, is_active=True)
        ],
        networks=[],
        people=_person_choices(eligible_members(group)),
        with_guide=False,
        across_schools=group.network_id is not None,
        initial={
            "name": group.name,
            "purpose": group.purpose,
            "focus": group.focus_id,
            "members": sorted(current),
            "starts_on": group.starts_on,
            "ends_on": group.ends_on,
            "interval_days": group.interval_days,
            "minutes_sharing": group.minutes_sharing,
        },
    )

    def save() -> Any:
        data = form.cleaned_data
        wanted = set(data["members"]) | set(data.get("other_members", []))
        focus = DevelopmentFocus.objects.filter(pk=data["focus"]).first() if data["focus"] else None
        return services.group_update(
            actor=actor_of(request),
            group=group,
            name=data["name"],
            purpose=data["purpose"],
            focus=focus,
            interval_days=data["interval_days"] or group.interval_days,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            minutes_sharing=data["minutes_sharing"],
            add_ids=wanted - current,
            remove_ids=current - wanted,
        )

    done = form_action(
        request,
        form,
        save,
        success=_("The group has been saved."),
        redirect_to=("groups:detail", group.pk),
    )
    if done is not None:
        group.refresh_from_db()
        _warn_about_plan(request, group)
        return done
    context = {"form": form, "group": group, "plan_warnings": _plan_warnings(request, group)}
    return render(request, "groups/group_edit.html", context)


@require_http_methods(["GET"])
def overview(request: HttpRequest) -> HttpResponse:
    school_ids = managed_school_ids_for_user(actor_of(request))
    if not school_ids:
        raise PermissionDenied
    rows = selectors.leader_overview(school_ids=school_ids)
    return render(request, "groups/overview.html", {"rows": rows})

from typing import Any

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollegium.accounts.models import User
from kollegium.core.actions import form_action, post_action
from kollegium.core.jinja import render_fragment
from kollegium.core.params import get_int, get_page
from kollegium.organisations import selectors, services
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import choose_school, current_school
from kollegium.organisations.forms import (
    FocusForm,
    InvitationAcceptForm,
    InvitationForm,
    NetworkForm,
    RoleForm,
    TeamForm,
    TeamMembersForm,
)
from kollegium.organisations.models import (
    DevelopmentFocus,
    Invitation,
    Membership,
    Network,
    Role,
)
from kollegium.organisations.permissions import (
    can_manage_school,
    get_managed_school_or_404,
    get_school_for_user_or_404,
    get_team_for_manager_or_404,
)

PEOPLE_PER_PAGE = 50


def my_school(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    if school is None:
        return render(request, "organisations/no_school.html")
    return redirect("organisations:school", school_id=school.pk)


@require_POST
def switch_school(request: HttpRequest) -> HttpResponse:
    if not choose_school(request, get_int(request.POST, "school_id", 0)):
        raise Http404
    return redirect("core:home")


def school(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_school_for_user_or_404(actor_of(request), school_id)
    context = {
        "school": school,
        "can_manage": can_manage_school(actor_of(request), school),
        **selectors.school_overview(school=school),
    }
    return render(request, "organisations/school.html", context)


def people(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_school_for_user_or_404(actor_of(request), school_id)
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    team_id = get_int(request.GET, "team")
    memberships = selectors.school_people(
        school=school, query=query, role=role, team_id=team_id
    ).values(*selectors.PERSON_ROW_FIELDS)
    page = Paginator(memberships, PEOPLE_PER_PAGE).get_page(get_page(request.GET))
    # One reverse() per page instead of two per row: they were a third of the render time.
    role_url = reverse("organisations:membership_role", args=[0])
    remove_url = reverse("organisations:membership_remove", args=[0])
    rows = selectors.people_rows(school=school, memberships=page)
    can_manage = can_manage_school(actor_of(request), school)
    roles = [(value, str(capfirst(label))) for value, label in Role.choices]
    # The role menu's options, made once per role chosen, not once per row (issue 10).
    options = _role_options(roles) if can_manage else {}
    for person in rows:
        person.role_url = role_url.replace("/0/", f"/{person.membership_id}/", 1)
        person.remove_url = remove_url.replace("/0/", f"/{person.membership_id}/", 1)
        person.role_options = options.get(person.role, options.get("", ""))
    # The rows are rendered with Jinja2: with Django's engine they were two thirds of the
    # page's time (issue 10, docs/notes/issue-10-speed.md).
    rows_html = render_fragment(
        "organisations/_people_rows.html",
        {
            "rows": rows,
            "can_manage": can_manage,
            "user_id": request.user.pk,
            "labels": _labels(),
        },
        request,
    )
    context = {
        "school": school,
        "page": page,
        "rows": rows,
        "rows_html": rows_html,
        "query": query,
        "role": role,
        "team_id": str(team_id) if team_id else "",
        "roles": Role.choices,
        "teams": selectors.school_team_choices(school=school),
        "can_manage": can_manage,
    }
    template = (
        "organisations/people.html#people-list"
        if getattr(request, "htmx", False)
        else "organisations/people.html"
    )
    return render(request, template, context)


def _role_options(roles: list[tuple[str, str]]) -> dict[str, SafeString]:
    """The role menu's `<option>`s with each role chosen (and with none, under ""): the
    markup the row's loop made, made once per page."""

    def options(chosen: str) -> SafeString:
        return mark_safe(  # joined from format_html's escaped parts
            "".join(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    value,
                    mark_safe(" selected") if value == chosen else "",
                    label,
                )
                for value, label in roles
            )
        )

    return {chosen: options(chosen) for chosen in ["", *(value for value, _label in roles)]}


def _labels() -> dict[str, str]:
    return {
        "role_for": _("Role for"),
        "change_role": _("Change role"),
        "remove": _("Remove"),
        "confirm_remove": _("Remove this person from the school?"),
    }


@require_POST
def membership_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("school", "user"), pk=membership_id
    )
    get_managed_school_or_404(actor_of(request), membership.school_id)
    form = RoleForm(request.POST)
    return post_action(
        request,
        lambda: services.membership_set_role(
            actor=actor_of(request), membership=membership, role=form.cleaned_data["role"]
        ),
        form=form,
        invalid=_("Choose a valid role."),
        denied=_("Only the school's leaders can change roles."),
        success=lambda saved: (
            _("%(name)s is now %(role)s.") % {"name": saved.user, "role": Role(saved.role).label}
        ),
        redirect_to=("organisations:people", membership.school_id),
    )


@require_POST
def membership_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("school", "user"), pk=membership_id
    )
    get_managed_school_or_404(actor_of(request), membership.school_id)
    return post_action(
        request,
        lambda: services.membership_remove(actor=actor_of(request), membership=membership),
        success=_("%(name)s has left the school.") % {"name": membership.user},
        redirect_to=("organisations:people", membership.school_id),
    )


def invitations(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_managed_school_or_404(actor_of(request), school_id)
    form = InvitationForm(request.POST or None, school=school)
    done = form_action(
        request,
        form,
        lambda: services.invitation_create(
            actor=actor_of(request), school=school, **form.cleaned_data
        ),
        success=lambda _sent: (
            _("An invitation is on its way to %(email)s.") % {"email": form.cleaned_data["email"]}
        ),
        redirect_to=("organisations:invitations", school.pk),
    )
    context = {
        "school": school,
        "form": form,
        "invitations": selectors.school_invitations(school=school)[:200],
    }
    return done or render(request, "organisations/invitations.html", context)


def _invitation_to_manage(request: HttpRequest, invitation_id: int) -> Invitation:
    invitation = get_object_or_404(Invitation.objects.select_related("school"), pk=invitation_id)
    get_managed_school_or_404(actor_of(request), invitation.school_id)
    return invitation


@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation_to_manage(request, invitation_id)
    return post_action(
        request,
        lambda: services.invitation_revoke(actor=actor_of(request), invitation=invitation),
        success=_("The invitation is withdrawn."),
        redirect_to=("organisations:invitations", invitation.school_id),
    )


@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation_to_manage(request, invitation_id)
    return post_action(
        request,
        lambda: services.invitation_resend(actor=actor_of(request), invitation=invitation),
        success=_("A new link is on its way to %(email)s.") % {"email": invitation.email},
        redirect_to=("organisations:invitations", invitation.school_id),
    )


def teams(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_school_for_user_or_404(actor_of(request), school_id)
    can_manage = can_manage_school(actor_of(request), school)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and not can_manage:
        raise Http404
    done = form_action(
        request,
        form,
        lambda: services.team_create(actor=actor_of(request), school=school, **form.cleaned_data),
        success=lambda team: _("The team %(name)s is created.") % {"name": team.name},
        redirect_to=lambda team: ("organisations:team", team.pk),
    )
    context = {
        "school": school,
        "teams": selectors.school_teams(school=school),
        "form": form,
        "can_manage": can_manage,
    }
    return done or render(request, "organisations/teams.html", context)


def team(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_team_for_manager_or_404(actor_of(request), team_id)
    people = [m.user for m in selectors.school_people(school=team.school)]
    current = selectors.team_detail(team=team)
    team_form = TeamForm(request.POST or None, instance=team, prefix="team")
    members_form = TeamMembersForm(
        request.POST or None,
        people=people,
        initial={"members": [str(p.pk) for p in current]},
        prefix="members",
    )
    done = None
    if members_form.is_valid():
        done = form_action(
            request,
            team_form,
            lambda: services.team_update(
                actor=actor_of(request),
                team=team,
                name=team_form.cleaned_data["name"],
                kind=team_form.cleaned_data["kind"],
                member_ids=[int(i) for i in members_form.cleaned_data["members"]],
            ),
            success=_("The team is saved."),
            redirect_to=("organisations:teams", team.school_id),
        )
    context = {
        "school": team.school,
        "team": team,
        "team_form": team_form,
        "members_form": members_form,
    }
    return done or render(request, "organisations/team.html", context)


@require_POST
def team_delete(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_team_for_manager_or_404(actor_of(request), team_id)
    return post_action(
        request,
        lambda: services.team_delete(actor=actor_of(request), team=team),
        success=_("The team %(name)s is deleted.") % {"name": team.name},
        redirect_to=("organisations:teams", team.school_id),
    )


def networks(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_school_for_user_or_404(actor_of(request), school_id)
    can_manage = can_manage_school(actor_of(request), school)
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and not can_manage:
        raise Http404
    done = form_action(
        request,
        form,
        lambda: services.network_create(
            actor=actor_of(request), school=school, **form.cleaned_data
        ),
        success=_("The network is created and your school has joined it."),
        redirect_to=("organisations:networks", school.pk),
    )
    context = {
        "school": school,
        "form": form,
        "can_manage": can_manage,
        **selectors.networks_for_school(school=school),
    }
    return done or render(request, "organisations/networks.html", context)


@require_POST
def network_join(request: HttpRequest, school_id: int, network_id: int) -> HttpResponse:
    school = get_managed_school_or_404(actor_of(request), school_id)
    network = get_object_or_404(Network, pk=network_id)
    return post_action(
        request,
        lambda: services.network_join(actor=actor_of(request), network=network, school=school),
        denied=_("This network is closed. Ask the person who runs it."),
        success=_("Your school has joined %(name)s.") % {"name": network.name},
        redirect_to=("organisations:networks", school.pk),
    )


@require_POST
def network_leave(request: HttpRequest, school_id: int, network_id: int) -> HttpResponse:
    school = get_managed_school_or_404(actor_of(request), school_id)
    network = get_object_or_404(Network, pk=network_id)
    return post_action(
        request,
        lambda: services.network_leave(actor=actor_of(request), network=network, school=school),
        success=_("Your school has left %(name)s.") % {"name": network.name},
        redirect_to=("organisations:networks", school.pk),
    )


def focus_areas(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_school_for_user_or_404(actor_of(request), school_id)
    can_manage = can_manage_school(actor_of(request), school)
    form = FocusForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and not can_manage:
        raise Http404
    done = form_action(
        request,
        form,
        lambda: services.focus_create(
            actor=actor_of(request),
            school=school,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        ),
        success=_("The focus area is added."),
        redirect_to=("organisations:focus_areas", school.pk),
    )
    focus_list = DevelopmentFocus.objects.filter(school=school)
    return done or render(
        request,
        "organisations/focus_areas.html",
        {"school": school, "focus_list": focus_list, "form": form, "can_manage": can_manage},
    )


def focus_edit(request: HttpRequest, focus_id: int) -> HttpResponse:
    focus = get_object_or_404(DevelopmentFocus.objects.select_related("school"), pk=focus_id)
    school = get_managed_school_or_404(actor_of(request), focus.school_id)
    form = FocusForm(request.POST or None, instance=focus)
    done = form_action(
        request,
        form,
        lambda: services.focus_update(actor=actor_of(request), focus=focus, **form.cleaned_data),
        success=_("The focus area is saved."),
        redirect_to=("organisations:focus_areas", school.pk),
    )
    return done or render(
        request, "organisations/focus_edit.html", {"school": school, "focus": focus, "form": form}
    )


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except ValidationError as error:
        return render(
            request,
            "organisations/invitation_invalid.html",
            {"reason": error.messages[0]},
            status=410,
        )
    signed_in = request.user.is_authenticated
    # Someone signed in accepts with a button; a new person fills in a name and a password.
    form = None
    if not signed_in:
        form = InvitationAcceptForm(
            request.POST or None,
            initial={
                "full_name": invitation.full_name,
                "preferred_language": request.LANGUAGE_CODE,
            },
        )

    def accept() -> Any:
        data = form.cleaned_data if form is not None else {}
        return services.invitation_accept(
            token=token,
            actor=request.user if signed_in else None,
            full_name=data.get("full_name", ""),
            password=data.get("password1", ""),
            preferred_language=data.get("preferred_language", "sv"),
        )

    def welcome(user: User) -> HttpResponse:
        if not signed_in:
            login(request, user, backend="kollegium.accounts.backends.PasswordBackend")
        # Home, where a newcomer's first week is laid out step by step (issue 16).
        return redirect("core:home")

    def page(_refused: Any = None) -> HttpResponse:
        context = {"invitation": invitation, "form": form, "signed_in": signed_in}
        return render(request, "organisations/invitation_accept.html", context)

    welcome_text = _(
        "Welcome to %(school)s! Start by telling colleagues what to ask you about."
    ) % {"school": invitation.school.name}
    if form is None:
        if request.method != "POST":
            return page()
        return post_action(
            request, accept, success=welcome_text, redirect_to=welcome, error_redirect_to=page
        )
    done = form_action(request, form, accept, success=welcome_text, redirect_to=welcome)
    return done or page()

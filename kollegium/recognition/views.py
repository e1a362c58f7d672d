"""Thin views of the recognition app: parse, check access, call one selector or service."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kollegium.accounts.models import User
from kollegium.core.actions import form_action, post_action
from kollegium.core.pdf import pdf_response
from kollegium.organisations.actor import actor_of
from kollegium.recognition import credentials, jws, permissions, selectors, services
from kollegium.recognition.forms import (
    GuestAcceptForm,
    GuestInviteForm,
    ShareForm,
    ShowForm,
    ThanksForm,
    VerifyForm,
)
from kollegium.recognition.middleware import GUEST_SESSION_KEY
from kollegium.recognition.models import ThanksNote
from kollegium.recognition.reasons import reason_text

# --- contributions and thanks ---------------------------------------------------------------


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """What I have contributed: my own summary, private unless I share it."""
    person = actor_of(request).person
    return render(
        request,
        "recognition/mine.html",
        {
            "person": person,
            "own": True,
            "shared": selectors.is_shared(person),
            "data": selectors.contributions(person, with_thanks=False),
        },
    )


@require_POST
def share(request: HttpRequest) -> HttpResponse:
    form = ShareForm(request.POST)
    return post_action(
        request,
        lambda: services.contributions_share(
            actor=actor_of(request), shared=form.cleaned_data["shared"]
        ),
        form=form,
        success=lambda row: (
            _("Colleagues at your schools can now see it.")
            if row.shared
            else _("Only you can see it now.")
        ),
        redirect_to="recognition:mine",
    )


@require_GET
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    """A colleague's contributions, if they share them."""
    actor = actor_of(request)
    someone = permissions.get_colleague_or_404(actor, user_id)
    if someone.pk == actor.pk:
        return redirect("recognition:mine")
    shared = selectors.is_shared(someone)
    if not permissions.can_view_contributions(actor, someone, shared):
        raise Http404
    return render(
        request,
        "recognition/mine.html",
        {
            "person": someone,
            "own": False,
            "shared": shared,
            "data": selectors.contributions(someone, with_thanks=False),
            "thanks": selectors.thanks_on_profile(someone)[:20],
        },
    )


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    person = actor_of(request).person
    return render(
        request,
        "recognition/thanks.html",
        {
            "received": selectors.thanks_received(person)[:100],
            "sent": selectors.thanks_sent(person)[:100],
        },
    )


@require_http_methods(["GET", "POST"])
def thank(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_of(request)
    receiver = permissions.get_colleague_or_404(actor, user_id)
    if not permissions.can_thank(actor, receiver):
        raise Http404
    form = ThanksForm(request.POST or None, choices=selectors.thanks_link_choices(actor, receiver))

    def send() -> ThanksNote:
        kind, link_id = form.link_parts()
        return services.thanks_send(
            actor=actor,
            receiver=receiver,
            text=form.cleaned_data["text"],
            link_kind=kind,
            link_id=link_id,
        )

    done = form_action(
        request,
        form,
        send,
        success=_("Your thanks is sent to %(name)s.") % {"name": receiver.full_name},
        redirect_to=("competence:person", receiver.pk),
    )
    return done or render(request, "recognition/thank.html", {"form": form, "receiver": receiver})


def _own_note(request: HttpRequest, pk: int) -> ThanksNote:
    me = actor_of(request).pk
    note = get_object_or_404(ThanksNote, pk=pk)
    if me not in (note.receiver_id, note.sender_id):
        raise Http404
    return note


@require_POST
def thanks_profile(request: HttpRequest, pk: int) -> HttpResponse:
    note = _own_note(request, pk)
    form = ShowForm(request.POST)
    return post_action(
        request,
        lambda: services.thanks_show_on_profile(
            actor=actor_of(request), note=note, shown=form.cleaned_data["shown"]
        ),
        form=form,
        success=lambda n: (
            _("The note is on your profile.")
            if n.on_profile
            else _("The note is no longer on your profile.")
        ),
        redirect_to="recognition:thanks",
        denied=_("Only the person thanked decides where the note is shown."),
    )


@require_POST
def thanks_remove(request: HttpRequest, pk: int) -> HttpResponse:
    note = _own_note(request, pk)
    return post_action(
        request,
        lambda: services.thanks_delete(actor=actor_of(request), note=note),
        success=_("The note is removed."),
        redirect_to="recognition:thanks",
    )


# --- portfolio ------------------------------------------------------------------------------


@require_GET
def portfolio(request: HttpRequest) -> HttpResponse:
    record = selectors.portfolio(actor_of(request).person)
    return render(request, "recognition/portfolio.html", {"record": record})


@require_GET
def portfolio_pdf(request: HttpRequest) -> HttpResponse:
    person = actor_of(request).person
    record = selectors.portfolio(person)
    return pdf_response(
        request,
        "recognition/portfolio_pdf.html",
        {"record": record},
        f"portfolio {person.full_name}",
    )


@require_GET
def portfolio_json(request: HttpRequest) -> HttpResponse:
    record = selectors.portfolio(actor_of(request).person)
    response = JsonResponse(
        selectors.portfolio_json(record), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="portfolio.json"'
    return response


@require_GET
def credential(request: HttpRequest, pk: int) -> HttpResponse:
    confirmation = permissions.get_confirmation_for_person_or_404(actor_of(request), pk)
    response = HttpResponse(confirmation.token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="confirmation-{confirmation.uid}.jwt"'
    return response


# --- a group's guests and confirmations (its facilitators) ----------------------------------


def _group_page(request: HttpRequest, group: Any, form: GuestInviteForm) -> HttpResponse:
    return render(
        request,
        "recognition/group.html",
        {
            "group": group,
            "form": form,
            "invitations": selectors.guest_invitations_for_group(group),
            "members": selectors.members_for_confirmation(group),
            "now": timezone.now(),
        },
    )


@require_GET
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    group = permissions.get_managed_group_or_404(actor_of(request), group_id)
    return _group_page(request, group, GuestInviteForm(group=group))


@require_POST
def guest_invite(request: HttpRequest, group_id: int) -> HttpResponse:
    actor = actor_of(request)
    group = permissions.get_managed_group_or_404(actor, group_id)
    form = GuestInviteForm(request.POST, group=group)
    done = form_action(
        request,
        form,
        lambda: services.guest_invite(actor=actor, group=group, **form.cleaned_data),
        success=lambda result: (
            _("The invitation is sent to %(email)s.") % {"email": result[0].email}
        ),
        redirect_to=reverse("recognition:group", args=[group.pk]) + "#guests",
    )
    return done or _group_page(request, group, form)


@require_POST
def guest_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    invitation = permissions.get_guest_invitation_or_404(actor, pk)
    return post_action(
        request,
        lambda: services.guest_remove(actor=actor, invitation=invitation),
        success=_("The guest's access has ended."),
        redirect_to=reverse("recognition:group", args=[invitation.group_id]) + "#guests",
    )


@require_POST
def confirm(request: HttpRequest, group_id: int, user_id: int) -> HttpResponse:
    actor = actor_of(request)
    group = permissions.get_managed_group_or_404(actor, group_id)
    member = get_object_or_404(User, pk=user_id, group_memberships__group=group)
    return post_action(
        request,
        lambda: services.confirmation_issue(actor=actor, group=group, person=member),
        success=_("%(name)s's participation is confirmed.") % {"name": member.full_name},
        redirect_to=reverse("recognition:group", args=[group.pk]) + "#confirmations",
        denied=_("Only the group's facilitators can confirm its other members."),
    )


# --- guests ---------------------------------------------------------------------------------


@require_GET
def guest_home(request: HttpRequest) -> HttpResponse:
    """Where a guest lands: the groups and meetings they may see, and until when."""
    actor = actor_of(request)
    return render(
        request,
        "recognition/guest_home.html",
        {
            "grants": selectors.grants_of(actor),
            "ended": permissions.is_outsider_without_access(actor),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def guest_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.guest_invitation_from_token(token)
    except ValidationError as error:
        return render(
            request, "recognition/guest_invalid.html", {"reason": error.messages[0]}, status=410
        )
    signed_in = request.user.is_authenticated
    form = (
        None
        if signed_in
        else GuestAcceptForm(
            request.POST or None, initial={"preferred_language": request.LANGUAGE_CODE}
        )
    )

    def accept() -> User:
        data = form.cleaned_data if form is not None else {}
        return services.guest_accept(
            token=token,
            actor=actor_of(request) if signed_in else None,
            password=data.get("password1", ""),
            preferred_language=data.get("preferred_language", "sv"),
        )

    def welcome(user: User) -> HttpResponse:
        if not signed_in:
            login(request, user, backend="kollegium.accounts.backends.PasswordBackend")
        # A signed-in guest's session was not marked at sign-in (no grant yet): mark it now.
        request.session[GUEST_SESSION_KEY] = True
        return redirect("recognition:guest_home")

    def page(_refused: Any = None) -> HttpResponse:
        return render(
            request,
            "recognition/guest_accept.html",
            {"invitation": invitation, "form": form, "signed_in": signed_in},
        )

    welcome_text = _("Welcome! You can now see %(group)s.") % {"group": invitation.group.name}
    if form is None:
        if request.method != "POST":
            return page()
        return post_action(
            request, accept, success=welcome_text, redirect_to=welcome, error_redirect_to=page
        )
    done = form_action(request, form, accept, success=welcome_text, redirect_to=welcome)
    return done or page()


# --- public: keys and verification ----------------------------------------------------------


@login_not_required
@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(credentials.jwks_document())
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_GET
def did_document(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(credentials.did_document())
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone pastes a credential; the page says whether it is genuine, and why not."""
    form = VerifyForm(request.POST or None)
    result: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            credential = credentials.verify(form.cleaned_data["credential"])
        except jws.VerificationError as error:
            result = {"ok": False, "reason": reason_text(error.code)}
        else:
            result = {
                "ok": True,
                "credential": credential,
                "pretty": json.dumps(credential, ensure_ascii=False, indent=2),
            }
    status = 422 if result is not None and not result["ok"] else 200
    return render(
        request, "recognition/verify.html", {"form": form, "result": result}, status=status
    )

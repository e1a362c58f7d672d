"""The administrator's pages for school sign-in: Entra ID tenants and Google Workspace
domains, and whether an owner's staff may still use passwords (issue 11)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.directory import selectors
from kollegium.directory.models import SignInConnection
from kollegium.directory.services import signin as services
from kollegium.directory.signin_forms import PasswordSignInForm, SignInCreateForm, SignInEditForm
from kollegium.directory.views import _require_admin
from kollegium.organisations.actor import actor_of
from kollegium.organisations.models import Organisation


def signin_index(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = SignInCreateForm(request.POST or None)
    done = form_action(
        request,
        form,
        lambda: services.signin_connection_create(actor=actor_of(request), **form.cleaned_data),
        success=_("Connected. Test the connection to see that the discovery document answers."),
        redirect_to=lambda connection: ("directory:signin_connection", connection.pk),
    )
    if done:
        return done
    context = {
        "form": form,
        "connections": selectors.signin_connections(),
        "owners": selectors.signin_owners(),
        "callback_example": request.build_absolute_uri(
            reverse("openid_connect_callback", kwargs={"provider_id": "…"})
        ),
    }
    return render(request, "directory/signin_index.html", context)


def signin_connection(request: HttpRequest, connection_id: int) -> HttpResponse:
    _require_admin(request)
    connection = get_object_or_404(
        SignInConnection.objects.select_related("owner", "app"), pk=connection_id
    )
    initial = {"client_id": connection.app.client_id, "domain": connection.domain}
    form = SignInEditForm(request.POST or None, initial=initial)
    done = form_action(
        request,
        form,
        lambda: services.signin_connection_update(
            actor=actor_of(request), connection=connection, **form.cleaned_data
        ),
        success=_("Saved."),
        redirect_to=("directory:signin_connection", connection.pk),
    )
    if done:
        return done
    context = {
        "connection": connection,
        "form": form,
        "secret": selectors.masked_secret(connection.app.secret),
        "callback_url": request.build_absolute_uri(
            reverse("openid_connect_callback", kwargs={"provider_id": connection.app.provider_id})
        ),
        "server_url": connection.app.settings.get("server_url", ""),
    }
    return render(request, "directory/signin_connection.html", context)


@require_POST
def signin_connection_test(request: HttpRequest, connection_id: int) -> HttpResponse:
    _require_admin(request)
    connection = get_object_or_404(
        SignInConnection.objects.select_related("owner", "app"), pk=connection_id
    )
    result = services.signin_connection_test(actor=actor_of(request), connection=connection)
    status = result["status"] if result["status"] is not None else _("no answer")
    if result["ok"]:
        messages.success(
            request,
            _("The discovery document answered (HTTP %(status)s). Issuer: %(issuer)s")
            % {"status": status, "issuer": result["issuer"]},
        )
    else:
        messages.error(
            request,
            _("The test failed (HTTP %(status)s): %(error)s")
            % {"status": status, "error": result["error"]},
        )
    return redirect("directory:signin_connection", connection.pk)


@require_POST
def signin_connection_delete(request: HttpRequest, connection_id: int) -> HttpResponse:
    _require_admin(request)
    connection = get_object_or_404(SignInConnection, pk=connection_id)
    return post_action(
        request,
        lambda: services.signin_connection_delete(actor=actor_of(request), connection=connection),
        success=_("The sign-in was removed, with every person's link to it."),
        redirect_to="directory:signin_index",
    )


@require_POST
def signin_passwords(request: HttpRequest, owner_id: int) -> HttpResponse:
    _require_admin(request)
    owner = get_object_or_404(Organisation, pk=owner_id, kind=Organisation.Kind.OWNER)
    form = PasswordSignInForm(request.POST)
    return post_action(
        request,
        lambda: services.owner_password_sign_in_set(
            actor=actor_of(request), owner=owner, allowed=form.cleaned_data["allowed"]
        ),
        form=form,
        invalid=_("Choose whether staff may sign in with email and password."),
        success=_("Saved."),
        redirect_to="directory:signin_index",
    )

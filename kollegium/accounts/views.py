import requests
from allauth.account.views import LoginView as AllauthLoginView
from allauth.socialaccount.providers.openid_connect.views import login as oidc_login
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollegium.accounts import services, throttle
from kollegium.accounts.forms import ProfileForm
from kollegium.core.actions import form_action, post_action
from kollegium.core.params import redirect_next
from kollegium.core.registry import (
    allow_sign_in_form_actions,
    password_refusal,
    sign_in_form_actions,
)
from kollegium.core.services import audit_record


def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)

    def save() -> None:
        data = form.cleaned_data
        services.user_update_profile(
            actor=user,
            user=user,  # type: ignore[arg-type]
            full_name=data["full_name"],
            languages=data["languages"],
            ask_me_about=data["ask_me_about"],
            subject_ids=[s.pk for s in data["subjects"]],
            stage_ids=[s.pk for s in data["stages"]],
            wants_email_notifications=data["wants_email_notifications"],
            preferred_language=data["preferred_language"],
        )

    done = form_action(
        request,
        form,
        save,
        success=_("Your profile is saved."),
        redirect_to=lambda _saved: _with_language_cookie(
            redirect("accounts:profile"), form.cleaned_data["preferred_language"]
        ),
    )
    return done or render(request, "accounts/profile.html", {"form": form})


def _with_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    response = redirect_next(request, fallback="/")
    return post_action(
        request,
        lambda: services.user_set_language(actor=request.user, language=language),
        redirect_to=lambda _saved: _with_language_cookie(response, language),
        error_redirect_to=response,
    )


class LoginView(AllauthLoginView):
    """allauth's sign-in page; a throttled attempt answers 429 with Retry-After. Its forms
    may start a sign-in at a school's IdP: the CSP allows the configured IdPs' origins."""

    def render_to_response(self, context, **kwargs):  # type: ignore[no-untyped-def]
        response = super().render_to_response(context, **kwargs)
        return allow_sign_in_form_actions(self.request, response)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        # The right password, but the person's school owner signs its staff in through the
        # school's own account (issue 11): say where to sign in instead.
        user = getattr(form, "user", None)
        reason = password_refusal(user) if user is not None else None
        if reason:
            audit_record(actor=user, action="accounts.password_sign_in_refused", target=user)
            form.add_error(None, reason)
            return self.form_invalid(form)
        return super().form_valid(form)

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "too_many_login_attempts"):
            wait = throttle.retry_after(self.request, str(form.data.get("login", "")))
            response.status_code = 429
            response["Retry-After"] = str(max(wait, 1))
        return response


@login_not_required
@sign_in_form_actions
def school_sign_in(request: HttpRequest, provider_id: str) -> HttpResponse:
    """allauth's page that starts a school sign-in (Entra, Google; issue 11). Its form posts on
    to the IdP, so its CSP allows the configured IdPs' origins; an IdP that does not answer
    (its discovery document) gets a page saying so, not an error."""
    try:
        return oidc_login(request, provider_id)
    except requests.RequestException:
        return render(request, "account/school_sign_in_unavailable.html", status=503)

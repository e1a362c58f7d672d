from allauth.account.views import LoginView as AllauthLoginView
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
from kollegium.core.registry import allow_sign_in_form_actions


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

    def dispatch(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return allow_sign_in_form_actions(request, super().dispatch(request, *args, **kwargs))

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "too_many_login_attempts"):
            wait = throttle.retry_after(self.request, str(form.data.get("login", "")))
            response.status_code = 429
            response["Retry-After"] = str(max(wait, 1))
        return response

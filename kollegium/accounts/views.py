from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollegium.accounts import services
from kollegium.accounts.forms import ProfileForm
from kollegium.core.forms import apply_validation_error
from kollegium.core.params import redirect_next


def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
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
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect("accounts:profile")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                data["preferred_language"],
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
            return response
    return render(request, "accounts/profile.html", {"form": form})


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    response = redirect_next(request, fallback="/")
    try:
        services.user_set_language(actor=request.user, language=language)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response

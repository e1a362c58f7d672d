from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollegium.accounts import services
from kollegium.accounts.forms import InvitationAcceptForm, ProfileForm
from kollegium.core.forms import apply_validation_error


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except ValidationError as error:
        return render(
            request, "accounts/invitation_invalid.html", {"reason": error.messages[0]}, status=410
        )
    signed_in = request.user.is_authenticated
    form: InvitationAcceptForm | None = InvitationAcceptForm(
        request.POST or None,
        initial={"full_name": invitation.full_name, "preferred_language": request.LANGUAGE_CODE},
    )
    if signed_in:
        form = None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form else {}
        try:
            user = services.invitation_accept(
                token=token,
                actor=request.user if signed_in else None,
                full_name=data.get("full_name", ""),
                password=data.get("password1", ""),
                preferred_language=data.get("preferred_language", "sv"),
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
            else:
                apply_validation_error(form, error)
        else:
            if not signed_in:
                login(request, user, backend="kollegium.accounts.backends.PasswordBackend")
            messages.success(
                request,
                _("Welcome to %(school)s! Start by telling colleagues what to ask you about.")
                % {"school": invitation.school.name},
            )
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "signed_in": signed_in},
    )


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
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
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

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kollegium.core.actions import form_action
from kollegium.notifications import emails, selectors, services
from kollegium.notifications.forms import PreferencesForm
from kollegium.notifications.kinds import kind_for
from kollegium.notifications.tokens import read_token
from kollegium.organisations.actor import actor_of


def settings_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = PreferencesForm(request.POST or None, areas=selectors.settings_for(actor))
    done = form_action(
        request,
        form,
        lambda: services.preferences_save(actor=actor, choices=form.choices()),
        success=_("Your notification settings are saved."),
        redirect_to="notifications:settings",
    )
    return done or render(
        request,
        "notifications/settings.html",
        {"form": form, "emails_on": actor.person.wants_email_notifications},
    )


def digest_preview(request: HttpRequest) -> HttpResponse:
    """How a daily digest looks, with the person's notifications of the last week."""
    notifications = selectors.preview_notifications(actor_of(request))
    return render(
        request,
        "notifications/digest_preview.html",
        {"sections": emails.digest_sections(notifications), "days": selectors.PREVIEW_DAYS},
    )


@login_not_required
@never_cache
@csrf_exempt  # RFC 8058: a mail client's one-click POST has no CSRF token; the signature is it.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A signed link from an email: GET asks for confirmation, POST turns the kinds off."""
    actor, link = actor_of(request), read_token(token)
    if request.method == "POST":
        try:
            kinds = services.unsubscribe_apply(actor=actor, link=link)
        except (ValidationError, PermissionDenied) as error:
            return _refused(request, error)
        names = [kind_for(k).name for k in kinds]
        return render(request, "notifications/unsubscribed.html", {"names": names})
    if link is None:
        return _refused(
            request, ValidationError(_("This unsubscribe link is not valid. Nothing was changed."))
        )
    if actor.is_authenticated and actor.pk != link.user_id:
        return _refused(request, PermissionDenied())
    names = [kind_for(k).name for k in link.kinds]
    return render(request, "notifications/unsubscribe.html", {"names": names, "token": token})


def _refused(request: HttpRequest, error: Exception) -> HttpResponse:
    if isinstance(error, PermissionDenied):
        text = str(error) or _(
            "This unsubscribe link belongs to someone else's emails. Nothing was changed."
        )
        status = 403
    else:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        status = 400
    return render(request, "notifications/unsubscribe_refused.html", {"text": text}, status=status)

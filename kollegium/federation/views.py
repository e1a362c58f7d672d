"""The installation administrator's pages for Skolfederation sign-in (issue 11)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.federation import config, permissions, selectors, services
from kollegium.federation.forms import FeedForm, IdpAllowForm
from kollegium.federation.models import FederationFeed, FederationIdp
from kollegium.organisations.actor import actor_of


def _require_admin(request: HttpRequest) -> None:
    # Others get the same 404 as for a page that does not exist.
    if not permissions.can_manage_federation(actor_of(request)):
        raise Http404


def index(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = FeedForm(request.POST or None)
    done = form_action(
        request,
        form,
        lambda: services.feed_create(actor=actor_of(request), **form.cleaned_data),
        success=_("Connected. Fetch the feed to see its identity providers."),
        redirect_to=lambda feed: ("federation:feed", feed.pk),
    )
    if done:
        return done
    context = {
        "form": form,
        "feeds": list(selectors.feeds()),
        "refusals": selectors.refusals(),
        "sp_configured": config.sp_configured(),
    }
    return render(request, "federation/index.html", context)


def feed_detail(request: HttpRequest, feed_id: int) -> HttpResponse:
    _require_admin(request)
    feed = get_object_or_404(FederationFeed.objects.defer("metadata"), pk=feed_id)
    form = FeedForm(request.POST or None, initial=FeedForm.initial_for(feed))
    done = form_action(
        request,
        form,
        lambda: services.feed_update(actor=actor_of(request), feed=feed, **form.cleaned_data),
        success=_("Saved."),
        redirect_to=("federation:feed", feed.pk),
    )
    if done:
        return done
    context = {
        "feed": feed,
        "form": form,
        "allow_form": IdpAllowForm(feed=feed),
        "idps": list(selectors.feed_idps(feed)),
        "error": selectors.reason(selectors.FEED_ERRORS, feed.error_code, feed.error_params)
        if feed.error_code
        else "",
        "sp_configured": config.sp_configured(),
    }
    return render(request, "federation/feed.html", context)


@require_POST
def feed_refresh(request: HttpRequest, feed_id: int) -> HttpResponse:
    _require_admin(request)
    feed = get_object_or_404(FederationFeed.objects.defer("metadata"), pk=feed_id)

    def said(refreshed: FederationFeed) -> str:
        if refreshed.status == FederationFeed.Status.OK:
            return _("The feed was fetched and its signature verified.")
        messages.error(
            request,
            _("The feed was refused; sign-in goes on with the last verified feed.")
            + " "
            + selectors.reason(selectors.FEED_ERRORS, refreshed.error_code, refreshed.error_params),
        )
        return ""

    return post_action(
        request,
        lambda: services.feed_refresh(actor=actor_of(request), feed=feed),
        success=said,
        redirect_to=("federation:feed", feed.pk),
        error_redirect_to=("federation:feed", feed.pk),
    )


@require_POST
def idp_allow(request: HttpRequest, feed_id: int) -> HttpResponse:
    _require_admin(request)
    feed = get_object_or_404(FederationFeed.objects.defer("metadata"), pk=feed_id)
    form = IdpAllowForm(request.POST, feed=feed)
    return post_action(
        request,
        lambda: services.idp_allow(actor=actor_of(request), feed=feed, **form.cleaned_data),
        form=form,
        invalid=_("Choose a school owner, an identity provider and a short name."),
        success=_("The identity provider is allowed for the school owner."),
        redirect_to=("federation:feed", feed.pk),
        error_redirect_to=("federation:feed", feed.pk),
    )


@require_POST
def idp_remove(request: HttpRequest, idp_id: int) -> HttpResponse:
    _require_admin(request)
    idp = get_object_or_404(FederationIdp.objects.defer("entity_xml"), pk=idp_id)
    feed_id = idp.feed_id
    return post_action(
        request,
        lambda: services.idp_remove(actor=actor_of(request), idp=idp),
        success=_("The identity provider is no longer allowed."),
        redirect_to=("federation:feed", feed_id),
    )

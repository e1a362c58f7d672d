"""Reads of the federation app."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kollegium.federation.models import FederationFeed, FederationIdp, SignInRefusal

#: Why a feed refresh failed (FeedError codes), for the admin page.
FEED_ERRORS = {
    "unreachable": _("The feed could not be fetched (%(reason)s)."),
    "too_large": _("The feed is larger than 50 MB."),
    "not_xml": _("The feed is not readable XML."),
    "not_metadata": _("The feed is not SAML metadata (EntitiesDescriptor)."),
    "unsigned": _("The feed is not signed as a whole."),
    "bad_signature": _(
        "The feed's signature does not match the configured certificate: it may have been "
        "tampered with, or the federation has a new certificate."
    ),
    "bad_certificate": _("The configured certificate is not in PEM format."),
    "weak_algorithm": _(
        "The feed is signed with an algorithm that is no longer safe (%(algorithm)s)."
    ),
    "expired": _("The feed expired (valid until %(valid_until)s)."),
}

#: Why a sign-in was refused: shown to the person (sign-in page) and to the administrator.
SIGN_IN_REFUSALS = {
    "idp_not_allowed": _("This school's sign-in is not connected to Kollegium."),
    "replayed": _("This sign-in has already been used. Please sign in again."),
    "no_eppn": _("Your school's sign-in did not say who you are (eduPersonPrincipalName)."),
    "not_staff": _(
        "Kollegium is for school staff; your school's sign-in does not list you as staff."
    ),
    "unknown_school": _(
        "Your school is not in Kollegium yet (school unit code %(codes)s). No account was "
        "created. Your school's administrator can add it."
    ),
    "inactive": _("Your account is deactivated. Ask your school's administrator."),
    "no_email": _("Your school's sign-in sent no email address, so no account could be made."),
    "email_taken": _(
        "An account with your email address already exists. Ask your school's administrator "
        "to link it to your school sign-in."
    ),
    "signature": _("The answer from your school's sign-in could not be verified."),
    "weak_algorithm": _(
        "The answer from your school's sign-in was signed with an algorithm that is no longer "
        "safe (SHA-1)."
    ),
    "expired": _("The sign-in took too long or has expired. Please sign in again."),
    "unsolicited": _(
        "This answer does not belong to a sign-in started here, or it has already been used. "
        "Please sign in again."
    ),
    "failed": _("The sign-in did not succeed. Please try again."),
}


def reason(table: dict[str, Any], code: str, params: dict[str, Any] | None = None) -> str:
    text = str(table.get(code, table.get("failed", code)))
    try:
        return text % (params or {})
    except (KeyError, TypeError, ValueError):
        return str(table.get(code, code)).replace("%(", "(")


def feeds() -> QuerySet[FederationFeed]:
    return FederationFeed.objects.defer("metadata").order_by("name", "pk")


def feed_idps(feed: FederationFeed) -> QuerySet[FederationIdp]:
    return (
        FederationIdp.objects.filter(feed=feed)
        .select_related("owner")
        .defer("entity_xml")
        .order_by("owner__name", "name_sv")
    )


def usable_idps() -> QuerySet[FederationIdp]:
    """The IdPs a person may sign in with: allowed, still in a verified feed."""
    return FederationIdp.objects.filter(in_feed=True).exclude(entity_xml="")


def sign_in_available() -> bool:
    return usable_idps().exists()


def choice(query: str = "") -> list[FederationIdp]:
    """The IdP choice page: allowed IdPs by school owner, optionally searched by owner or IdP
    name (a municipality's name finds its IdP)."""
    idps = usable_idps().select_related("owner").defer("entity_xml")
    words = query.split()[:5]
    for word in words:
        idps = idps.filter(
            Q(owner__name__icontains=word)
            | Q(owner__name_en__icontains=word)
            | Q(name_sv__icontains=word)
            | Q(name_en__icontains=word)
        )
    return list(idps.order_by("owner__name", "name_sv")[:200])


def idp_by_slug(slug: str) -> FederationIdp | None:
    return usable_idps().defer("entity_xml").filter(slug=slug).first()


def is_usable(entity_id: str) -> bool:
    return usable_idps().filter(entity_id=entity_id).exists()


def sso_urls(_request: Any = None) -> list[str]:
    """The allowed IdPs' sign-in addresses (the CSP's form-action allows their origins)."""
    return list(usable_idps().values_list("sso_url", flat=True).distinct())


def metadata_entities() -> list[str]:
    return list(
        usable_idps().values_list("entity_xml", flat=True).distinct().order_by("entity_xml")
    )


def refusals(limit: int = 50) -> list[dict[str, Any]]:
    rows = SignInRefusal.objects.order_by("-created_at", "-pk")[:limit]
    return [
        {
            "when": row.created_at,
            "idp": row.idp_entity_id,
            "code": row.code,
            "reason": reason(SIGN_IN_REFUSALS, row.code, row.params),
        }
        for row in rows
    ]

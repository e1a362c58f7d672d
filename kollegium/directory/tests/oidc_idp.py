"""An OpenID Connect provider on loopback for the sign-in tests (issue 11): django-oauth-toolkit
in OIDC mode, served by the test's live server through this test-only URLconf beside the app's
own URLs. Its ID tokens carry the claims a test gives each IdP person (Entra's `tid`, `oid`,
`preferred_username`; Google's `hd`, `email`, `email_verified`)."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from oauth2_provider.oauth2_validators import OAuth2Validator

from config.urls import urlpatterns as app_urlpatterns
from kollegium.accounts.models import User

#: The claims of each IdP person, by their user id (a test fills it).
CLAIMS: dict[int, dict[str, Any]] = {}


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim the test gives, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        return dict(CLAIMS.get(request.user.pk, {}))


def idp_sign_in(request: HttpRequest, user_id: int) -> HttpResponse:
    """The IdP's own sign-in, as its person would do it at Microsoft or Google."""
    login(request, User.objects.get(pk=user_id), backend=settings.AUTHENTICATION_BACKENDS[-1])
    return HttpResponse("signed in at the IdP")


idp_sign_in.login_required = False  # type: ignore[attr-defined]


def _open(patterns: list[Any]) -> list[Any]:
    # The token, keys and discovery endpoints are called without a session.
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns


def private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _idp_patterns() -> list[Any]:
    from oauth2_provider import urls as oauth2_urls

    return _open(list(oauth2_urls.urlpatterns))


urlpatterns = [
    path("idp/sign-in/<int:user_id>/", idp_sign_in),
    path("o/", include((_idp_patterns(), "oauth2_provider"))),
    *app_urlpatterns,
]

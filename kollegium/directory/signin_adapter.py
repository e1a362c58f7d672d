"""allauth's hooks for school sign-in (Entra ID, Google Workspace; issue 11).

Every sign-in through a connected tenant or domain comes here after allauth has verified the
ID token (issuer, audience, expiry) and looked up an existing link (the connection's app and
the `oid` or `sub`). Nothing else links or makes accounts: allauth's sign-up stays closed.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import render

from kollegium.directory.models import SignInConnection
from kollegium.directory.selectors import SIGNIN_REFUSALS
from kollegium.directory.services.signin import SignInRefused, signin_person, signin_record


def _claims(extra_data: Any) -> dict[str, Any]:
    data = extra_data if isinstance(extra_data, dict) else {}
    picked = data.get("id_token") or data.get("userinfo") or data
    return picked if isinstance(picked, dict) else {}


class SignInAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        connection = (
            SignInConnection.objects.select_related("owner", "app")
            .filter(app__provider_id=sociallogin.account.provider)
            .first()
        )
        if connection is None:
            raise ImmediateHttpResponse(_refused(request, None, "not_connected"))
        if sociallogin.state.get("process") != "login":
            # Links are made by signing in (below), never added to a signed-in account.
            raise ImmediateHttpResponse(_refused(request, connection, "connect_not_offered"))
        linked = sociallogin.user if sociallogin.account.pk else None
        try:
            person = signin_person(
                connection=connection,
                claims=_claims(sociallogin.account.extra_data),
                linked=linked,
            )
        except SignInRefused as refusal:
            signin_record(
                connection=connection,
                person=linked,
                action="directory.signin_refused",
                code=refusal.code,
            )
            raise ImmediateHttpResponse(_refused(request, connection, refusal.code)) from None
        if linked is None:
            with transaction.atomic():
                sociallogin.connect(request, person)
                signin_record(
                    connection=connection, person=person, action="directory.signin_linked"
                )


def _refused(request: HttpRequest, connection: SignInConnection | None, code: str) -> Any:
    context = {
        "reason": SIGNIN_REFUSALS.get(code, SIGNIN_REFUSALS["no_school"]),
        "owner": connection.owner if connection else None,
    }
    return render(request, "directory/signin_refused.html", context, status=403)

"""School sign-in through an owner's Entra ID tenant or Google Workspace domain (issue 11).

An installation administrator connects one tenant or domain per school owner; allauth's
`openid_connect` provider signs people in against it (kollegium/directory/signin_adapter.py).
A sign-in never makes an account: it links to a person the owner's systems (SS 12000 or a
staff file) already put in one of the owner's schools, or it is refused.
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import urlsplit

import requests
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.core.services import audit_record
from kollegium.directory import permissions
from kollegium.directory.models import PersonIdentity, SignInConnection
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Organisation

#: Where each kind's discovery document lives ("{tenant}" is the tenant id). Tests point them
#: at an OpenID provider on loopback.
DEFAULT_SERVER_URLS = {
    SignInConnection.Kind.ENTRA: "https://login.microsoftonline.com/{tenant}/v2.0",
    SignInConnection.Kind.GOOGLE: "https://accounts.google.com",
}
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def server_url(kind: str, tenant_id: str) -> str:
    urls = {**DEFAULT_SERVER_URLS, **getattr(settings, "SIGNIN_OIDC_SERVER_URLS", {})}
    return str(urls[kind]).replace("{tenant}", tenant_id)


def _clean(kind: str, tenant_id: str, domain: str) -> tuple[str, str]:
    tenant_id = (tenant_id or "").strip().lower()
    domain = (domain or "").strip().lower().removeprefix("@")
    errors: dict[str, str] = {}
    if kind not in SignInConnection.Kind.values:
        errors["kind"] = _("Choose Microsoft Entra ID or Google Workspace.")
    if kind == SignInConnection.Kind.ENTRA and not _GUID.match(tenant_id):
        errors["tenant_id"] = _(
            "Enter the tenant id (directory id) from the Entra admin centre, such as "
            "72f988bf-86f1-41af-91ab-2d7cd011db47."
        )
    if kind == SignInConnection.Kind.GOOGLE:
        tenant_id = ""
    if not _DOMAIN.match(domain):
        errors["domain"] = _("Enter the domain people's addresses end with, such as skola.se.")
    if errors:
        raise ValidationError(errors)
    return tenant_id, domain


def _app_settings(kind: str, tenant_id: str, domain: str) -> dict[str, Any]:
    app_settings: dict[str, Any] = {
        "server_url": server_url(kind, tenant_id),
        # The claims come from the ID token, received straight from the IdP's token endpoint.
        "fetch_userinfo": False,
        "oauth_pkce_enabled": True,  # Entra and Google both take PKCE from web apps
    }
    if kind == SignInConnection.Kind.ENTRA:
        app_settings["uid_field"] = "oid"  # the object id; the tenant is this app's one tenant
        app_settings["auth_params"] = {"prompt": "select_account"}
    else:
        app_settings["auth_params"] = {"hd": domain}  # a hint only: the hd claim is checked
    return app_settings


@transaction.atomic
def signin_connection_create(
    *,
    actor: Actor,
    owner: Organisation,
    kind: str,
    client_id: str,
    secret: str,
    tenant_id: str = "",
    domain: str,
) -> SignInConnection:
    permissions.require_manage_sources(actor)
    if owner.kind != Organisation.Kind.OWNER:
        raise ValidationError({"owner": _("Choose a school owner, not a school.")})
    tenant_id, domain = _clean(kind, tenant_id, domain)
    client_id, secret = (client_id or "").strip(), (secret or "").strip()
    if not client_id or len(client_id) > 191:
        raise ValidationError({"client_id": _("Enter the application (client) id.")})
    if not secret or len(secret) > 191:
        raise ValidationError({"secret": _("Enter the client secret.")})
    if SignInConnection.objects.filter(owner=owner, kind=kind).exists():
        raise ValidationError(
            {"kind": _("This school owner already has a sign-in of this type. Change that one.")}
        )
    label = SignInConnection.Kind(kind).label
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=f"{kind}-{secrets.token_hex(5)}",
        name=f"{label} ({owner.display_name})"[:40],
        client_id=client_id,
        secret=secret,
        settings=_app_settings(kind, tenant_id, domain),
    )
    connection = SignInConnection.objects.create(
        owner=owner, kind=kind, app=app, tenant_id=tenant_id, domain=domain
    )
    audit_record(
        actor=actor,
        action="directory.signin_created",
        target=connection,
        data={"owner": owner.pk, "kind": kind, "tenant_id": tenant_id, "domain": domain},
    )
    return connection


@transaction.atomic
def signin_connection_update(
    *, actor: Actor, connection: SignInConnection, client_id: str, secret: str = "", domain: str
) -> SignInConnection:
    """The tenant stays: people's links are its object ids (delete and connect anew instead)."""
    permissions.require_manage_sources(actor)
    connection = (
        SignInConnection.objects.select_for_update().select_related("app").get(pk=connection.pk)
    )
    _tenant, domain = _clean(connection.kind, connection.tenant_id, domain)
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 191:
        raise ValidationError({"client_id": _("Enter the application (client) id.")})
    if len(secret or "") > 191:
        raise ValidationError({"secret": _("The client secret is too long.")})
    app = connection.app
    app.client_id = client_id
    if (secret or "").strip():  # blank keeps the stored secret: it is never shown again
        app.secret = secret.strip()
    app.settings = _app_settings(connection.kind, connection.tenant_id, domain)
    app.save()
    connection.domain = domain
    connection.save(update_fields=["domain"])
    audit_record(
        actor=actor,
        action="directory.signin_updated",
        target=connection,
        data={"domain": domain, "secret_changed": bool((secret or "").strip())},
    )
    return connection


@transaction.atomic
def signin_connection_delete(*, actor: Actor, connection: SignInConnection) -> None:
    """Removes the connection and every person's link to it."""
    permissions.require_manage_sources(actor)
    connection = SignInConnection.objects.select_related("app").get(pk=connection.pk)
    app = connection.app
    links, _by_model = SocialAccount.objects.filter(provider=app.provider_id).delete()
    audit_record(
        actor=actor,
        action="directory.signin_deleted",
        target=connection,
        data={"owner": connection.owner_id, "kind": connection.kind, "links": links},
    )
    connection.delete()
    app.delete()


def signin_connection_test(*, actor: Actor, connection: SignInConnection) -> dict[str, Any]:
    """Fetches the discovery document: its HTTP status, issuer and whether it fits."""
    permissions.require_manage_sources(actor)
    url = connection.app.settings["server_url"].rstrip("/")
    if "/.well-known/" not in url:
        url += "/.well-known/openid-configuration"
    result: dict[str, Any] = {"url": url, "status": None, "issuer": "", "ok": False, "error": ""}
    try:
        response = requests.get(url, timeout=10)
        result["status"] = response.status_code
        document = response.json() if response.ok else {}
    except (requests.RequestException, ValueError):
        result["error"] = _("No discovery document could be read from the address.")
        return result
    if not isinstance(document, dict) or not document.get("authorization_endpoint"):
        result["error"] = _("The answer is not an OpenID Connect discovery document.")
        return result
    result["issuer"] = str(document.get("issuer", ""))
    if connection.kind == SignInConnection.Kind.ENTRA and (
        connection.tenant_id not in result["issuer"]
    ):
        result["error"] = _("The issuer does not name this tenant.")
        return result
    result["ok"] = True
    return result


@transaction.atomic
def owner_password_sign_in_set(*, actor: Actor, owner: Organisation, allowed: bool) -> None:
    """Turns email + password sign-in on or off for the owner's staff."""
    permissions.require_manage_sources(actor)
    owner = Organisation.objects.select_for_update().get(pk=owner.pk)
    if owner.kind != Organisation.Kind.OWNER:
        raise ValidationError(_("Choose a school owner, not a school."))
    if not allowed and not owner.sign_in_connections.exists():
        raise ValidationError(
            _(
                "Connect the owner's Entra ID or Google Workspace first: otherwise its staff "
                "could not sign in at all."
            )
        )
    if owner.staff_password_sign_in == allowed:
        return
    owner.staff_password_sign_in = allowed
    owner.save(update_fields=["staff_password_sign_in"])
    audit_record(
        actor=actor,
        action="directory.password_sign_in_on" if allowed else "directory.password_sign_in_off",
        target=owner,
    )


# --- Signing in -------------------------------------------------------------------------------


class SignInRefused(Exception):
    """A sign-in that may not go on; `code` says why (signin_selectors.REFUSALS)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _staff(owner: Organisation) -> Any:
    return User.objects.filter(is_active=True, memberships__school__parent=owner).distinct()


def _claim(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip().lower() if isinstance(value, str) else ""


def signin_person(
    *, connection: SignInConnection, claims: dict[str, Any], linked: User | None
) -> User:
    """The person a verified ID token signs in: `linked` (already linked by the tenant and
    object id, or Google's subject) if still one of the owner's staff, else the one person of
    the owner's schools the directory stored this identity for. Raises SignInRefused."""
    if connection.kind == SignInConnection.Kind.ENTRA:
        if _claim(claims, "tid") != connection.tenant_id or not _claim(claims, "oid"):
            raise SignInRefused("wrong_tenant")
        # The user principal name: within the tenant, set by its administrators under one of
        # its verified domains (never the email claim, which people may edit).
        identity = _claim(claims, "preferred_username") or _claim(claims, "upn")
    else:
        if _claim(claims, "hd") != connection.domain or not _claim(claims, "sub"):
            raise SignInRefused("wrong_domain")
        verified = claims.get("email_verified") in (True, "true")
        identity = _claim(claims, "email") if verified else ""
    staff = _staff(connection.owner)
    if linked is not None:
        if not staff.filter(pk=linked.pk).exists():
            raise SignInRefused("no_school")
        return linked
    if not identity or identity.rsplit("@", 1)[-1] != connection.domain:
        raise SignInRefused("no_school")
    by_identity = list(
        staff.filter(pk__in=PersonIdentity.objects.filter(eppn__iexact=identity).values("user_id"))[
            :2
        ]
    )
    found = by_identity or list(staff.filter(email__iexact=identity)[:2])
    if len(found) != 1:
        raise SignInRefused("no_school")
    person = found[0]
    if SocialAccount.objects.filter(provider=connection.app.provider_id, user=person).exists():
        # Another identity of this tenant already signs in as this person.
        raise SignInRefused("linked_elsewhere")
    return person


def signin_record(
    *, connection: SignInConnection, person: User | None, action: str, code: str = ""
) -> None:
    """Audits a first link ("directory.signin_linked") or a refusal."""
    audit_record(
        actor=person,
        action=action,
        target=connection,
        data={"owner": connection.owner_id, **({"reason": code} if code else {})},
    )


def password_refusal(user: Any) -> str | None:
    """What to tell a person whose owner has turned off passwords for its staff; None if
    they may use one (guests, installation administrators, owners who keep passwords)."""
    if not getattr(user, "pk", None) or user.is_staff or user.is_superuser:
        return None
    owner = (
        Organisation.objects.filter(
            kind=Organisation.Kind.OWNER,
            staff_password_sign_in=False,
            children__memberships__user=user,
        )
        .only("name", "name_en", "kind")
        .first()
    )
    if owner is None:
        return None
    return _(
        "%(owner)s signs its staff in with the school's own account. Use the button "
        "“Sign in with your school account” on the sign-in page."
    ) % {"owner": owner.display_name}


def sign_in_origins() -> list[str]:
    """The configured IdPs' origins, for the CSP's form-action on sign-in pages."""
    origins = []
    for app_settings in SocialApp.objects.filter(
        provider="openid_connect", kollegium_connection__isnull=False
    ).values_list("settings", flat=True):
        parts = urlsplit(str((app_settings or {}).get("server_url", "")))
        if parts.scheme and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins

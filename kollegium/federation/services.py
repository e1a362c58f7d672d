"""Writes of the federation app: feeds, allowed identity providers, and sign-in itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from defusedxml import ElementTree as SafeET
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.directory.models import PersonIdentity
from kollegium.federation import metadata
from kollegium.federation.models import FederationFeed, FederationIdp, SeenAssertion, SignInRefusal
from kollegium.federation.permissions import require_manage_federation
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Membership, Organisation, Role

#: eduPersonScopedAffiliation values (before "@") that make a person staff at their schools,
#: as the directory maps SS 12000's teaching duties: a teacher. Leaders and facilitators are
#: set by the directory sync or by hand; sign-in never lowers or raises a role that exists.
STAFF_AFFILIATIONS = frozenset({"faculty", "staff"})


# --- Feeds ------------------------------------------------------------------------------------


def _check_certificate(certificate: str) -> str:
    text = certificate.strip()
    try:
        x509.load_pem_x509_certificate(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise ValidationError(
            {"certificate": _("This is not a certificate in PEM format.")}
        ) from None
    return text


@transaction.atomic
def feed_create(*, actor: Actor, name: str, url: str, certificate: str) -> FederationFeed:
    require_manage_federation(actor)
    feed = FederationFeed(
        name=name.strip(), url=url.strip(), certificate=_check_certificate(certificate)
    )
    feed.full_clean()
    feed.save()
    return feed


@transaction.atomic
def feed_update(
    *, actor: Actor, feed: FederationFeed, name: str, url: str, certificate: str
) -> FederationFeed:
    require_manage_federation(actor)
    feed.name = name.strip()
    feed.url = url.strip()
    feed.certificate = _check_certificate(certificate)
    feed.full_clean()
    feed.save(update_fields=["name", "url", "certificate"])
    return feed


def feed_refresh(*, actor: Actor | None, feed: FederationFeed) -> FederationFeed:
    """Fetch the feed, verify it and keep it. A feed that fails keeps the last verified one
    (sign-in goes on with it) and says why on the admin page. The fetch happens outside any
    transaction; only the result is written, at once."""
    require_manage_federation(actor)
    try:
        verified = metadata.verify_feed(metadata.fetch(feed.url), feed.certificate)
    except metadata.FeedError as error:
        FederationFeed.objects.filter(pk=feed.pk).update(
            status=FederationFeed.Status.FAILED,
            error_code=error.code,
            error_params=error.params,
            checked_at=timezone.now(),
        )
        feed.refresh_from_db()
        return feed
    _store_verified(feed, verified, raw=None)
    feed.refresh_from_db()
    return feed


@transaction.atomic
def _store_verified(
    feed: FederationFeed, verified: metadata.VerifiedFeed, *, raw: str | None
) -> None:
    now = timezone.now()
    entities = verified.idps
    FederationFeed.objects.filter(pk=feed.pk).update(
        metadata=metadata.entities_xml([info.entity_xml for info in entities.values()]),
        idps=[
            {"entity_id": i.entity_id, "name_sv": i.name_sv, "name_en": i.name_en}
            for i in sorted(entities.values(), key=lambda i: i.name_sv.lower())
        ],
        valid_until=verified.valid_until,
        fetched_at=now,
        checked_at=now,
        status=FederationFeed.Status.OK,
        error_code="",
        error_params={},
    )
    for allowed in FederationIdp.objects.filter(feed=feed):
        info = entities.get(allowed.entity_id)
        if info is None:
            allowed.in_feed = False
            allowed.save(update_fields=["in_feed"])
            continue
        _copy_info(allowed, info)
        allowed.save()


def _copy_info(allowed: FederationIdp, info: metadata.IdpInfo) -> None:
    allowed.name_sv = info.name_sv
    allowed.name_en = info.name_en
    allowed.sso_url = info.sso_url
    allowed.scopes = list(info.scopes)
    allowed.entity_xml = info.entity_xml
    allowed.in_feed = True


def _feed_entity(feed: FederationFeed, entity_id: str) -> metadata.IdpInfo | None:
    """An IdP of the feed's last verified metadata (kept as verified, so not verified again)."""
    if not feed.metadata:
        return None
    return metadata.idps_of(SafeET.fromstring(feed.metadata)).get(entity_id)


@transaction.atomic
def idp_allow(
    *, actor: Actor, feed: FederationFeed, owner: Organisation, entity_id: str, slug: str
) -> FederationIdp:
    require_manage_federation(actor)
    if owner.kind != Organisation.Kind.OWNER:
        raise ValidationError({"owner": _("Choose a school owner.")})
    info = _feed_entity(feed, entity_id)
    if info is None:
        raise ValidationError(
            {"entity_id": _("This identity provider is not in the federation's feed.")}
        )
    if FederationIdp.objects.filter(entity_id=entity_id, owner=owner).exists():
        raise ValidationError(
            {"entity_id": _("This identity provider is already allowed for this school owner.")}
        )
    if FederationIdp.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Another identity provider has this short name.")})
    allowed = FederationIdp(feed=feed, owner=owner, entity_id=entity_id, slug=slug)
    _copy_info(allowed, info)
    allowed.full_clean()
    allowed.save()
    return allowed


@transaction.atomic
def idp_remove(*, actor: Actor, idp: FederationIdp) -> None:
    require_manage_federation(actor)
    idp.delete()


# --- Sign-in ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInResult:
    user: User | None = None
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)


def _values(attributes: dict[str, list[str]], name: str) -> list[str]:
    values = attributes.get(name) or []
    return [str(v).strip() for v in values if str(v).strip()][:50]


def _scope_ok(value: str, scopes: list[str]) -> bool:
    """A scoped value (x@scope) from an IdP whose metadata names its scopes must use one."""
    _local, at, scope = value.rpartition("@")
    if not at or not _local:
        return False
    return not scopes or scope.lower() in scopes


@transaction.atomic
def federation_sign_in(
    *,
    idp_entity_id: str,
    attributes: dict[str, list[str]],
    assertion_id: str,
    not_on_or_after: datetime | None,
) -> SignInResult:
    """The person a verified assertion names, with a place at each of their schools.

    Refused (a `SignInRefusal` row for the administrator, nothing else written): an IdP not
    allowed, an assertion seen before, no usable eduPersonPrincipalName, no staff affiliation,
    no school unit code of the IdP's school owners, a deactivated account, or a new person
    without an email address (or with one another account has)."""
    allowed = list(
        FederationIdp.objects.filter(entity_id=idp_entity_id, in_feed=True).values_list(
            "owner_id", "scopes"
        )
    )
    if not allowed:
        return _refuse(idp_entity_id, "idp_not_allowed")
    scopes = sorted({scope for _owner, idp_scopes in allowed for scope in idp_scopes})
    if not assertion_id or not _remember_assertion(assertion_id, not_on_or_after):
        return _refuse(idp_entity_id, "replayed")

    eppns = _values(attributes, "eduPersonPrincipalName")
    if len(eppns) != 1 or len(eppns[0]) > 254 or not _scope_ok(eppns[0], scopes):
        return _refuse(idp_entity_id, "no_eppn")
    eppn = eppns[0].lower()
    affiliations = {
        value.rpartition("@")[0].lower()
        for value in _values(attributes, "eduPersonScopedAffiliation")
        if _scope_ok(value, scopes)
    }
    if not affiliations & STAFF_AFFILIATIONS:
        return _refuse(idp_entity_id, "not_staff")
    codes = sorted({code for code in _values(attributes, "sisSchoolUnitCode") if len(code) <= 8})
    schools = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.SCHOOL,
            school_unit_code__in=codes,
            parent_id__in=[owner for owner, _scopes in allowed],
        )
    )
    unknown = sorted(set(codes) - {school.school_unit_code for school in schools})
    if not schools:
        return _refuse(idp_entity_id, "unknown_school", codes=", ".join(unknown) or "-")

    user = _person(eppn, attributes, scopes)
    if isinstance(user, SignInResult):
        return _refuse(idp_entity_id, user.code, **user.params)
    have = set(Membership.objects.filter(user=user).values_list("school_id", flat=True))
    for school in schools:
        if school.pk not in have:
            Membership.objects.create(user=user, school=school, role=Role.TEACHER)
    if unknown:
        # Let in where the codes are known; tell the administrator about the rest.
        SignInRefusal.objects.create(
            idp_entity_id=idp_entity_id, code="unknown_school", params={"codes": ", ".join(unknown)}
        )
    return SignInResult(user=user)


def _remember_assertion(assertion_id: str, not_on_or_after: datetime | None) -> bool:
    now = timezone.now()
    SeenAssertion.objects.filter(expires_at__lt=now - timedelta(hours=1)).delete()
    try:
        with transaction.atomic():
            SeenAssertion.objects.create(
                assertion_id=assertion_id[:200],
                expires_at=max(not_on_or_after or now, now) + timedelta(minutes=10),
            )
    except IntegrityError:
        return False
    return True


def _person(eppn: str, attributes: dict[str, list[str]], scopes: list[str]) -> User | SignInResult:
    identity = PersonIdentity.objects.select_related("user").filter(eppn=eppn).first()
    if identity is not None:
        if not identity.user.is_active:
            return SignInResult(code="inactive")
        return identity.user
    mails = _values(attributes, "mail")
    email = mails[0].lower() if mails else ""
    if not email or "@" not in email or len(email) > 254:
        return SignInResult(code="no_email")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        # Only an IdP that vouches for the email's domain may take over an existing account.
        if not scopes or email.rpartition("@")[2] not in scopes:
            return SignInResult(code="email_taken")
        if not existing.is_active:
            return SignInResult(code="inactive")
        PersonIdentity.objects.create(user=existing, eppn=eppn)
        return existing
    name = " ".join(_values(attributes, "displayName")[:1]) or " ".join(
        _values(attributes, "givenName")[:1] + _values(attributes, "sn")[:1]
    )
    user = User.objects.create_user(email=email, password=None, full_name=name[:150])
    PersonIdentity.objects.create(user=user, eppn=eppn)
    return user


#: How long the administrator's list keeps a refused sign-in.
REFUSALS_KEPT = timedelta(days=90)


def _refuse(idp_entity_id: str, code: str, **params: str) -> SignInResult:
    SignInRefusal.objects.filter(created_at__lt=timezone.now() - REFUSALS_KEPT).delete()
    SignInRefusal.objects.create(idp_entity_id=idp_entity_id[:300], code=code, params=params)
    return SignInResult(code=code, params=params)

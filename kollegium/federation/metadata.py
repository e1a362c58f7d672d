"""The federation's metadata feed: fetch, verify, read (no database here).

`verify_feed(xml, certificate)` accepts a feed only when
- it is well-formed XML without DTDs or entities (defusedxml),
- its root is an ``EntitiesDescriptor`` with an ``ID`` and a ``ds:Signature`` as a direct
  child whose one reference points at that root (so a signed feed cannot be wrapped in an
  unsigned one),
- xmlsec1 verifies that signature with the configured certificate (through pysaml2's security
  context), with SHA-256 or stronger (SHA-1 is refused),
- its ``validUntil``, if any, has not passed.
It returns the identity providers of the feed (`IdpInfo`), each with its own
``EntityDescriptor`` as XML, so sign-in can load just the allowed ones.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests
from defusedxml import ElementTree as SafeET
from saml2.sigver import CryptoBackendXmlSec1, get_xmlsec_binary

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
MDUI = "urn:oasis:names:tc:SAML:metadata:ui"
SHIBMD = "urn:mace:shibboleth:metadata:1.0"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"

#: Signature and digest algorithms accepted on the feed and on responses.
SIGNATURE_ALGORITHMS = frozenset(
    {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
    }
)
DIGEST_ALGORITHMS = frozenset(
    {
        "http://www.w3.org/2001/04/xmlenc#sha256",
        "http://www.w3.org/2001/04/xmldsig-more#sha384",
        "http://www.w3.org/2001/04/xmlenc#sha512",
    }
)
MAX_FEED_BYTES = 50 * 1024 * 1024

for prefix, uri in (("md", MD), ("ds", DS), ("mdui", MDUI), ("shibmd", SHIBMD)):
    ET.register_namespace(prefix, uri)


class FeedError(Exception):
    """Why a feed was refused: a code the admin page explains, with its parameters."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class IdpInfo:
    entity_id: str
    name_sv: str
    name_en: str
    sso_url: str
    scopes: tuple[str, ...] = field(default_factory=tuple)
    entity_xml: str = ""


@dataclass(frozen=True)
class VerifiedFeed:
    idps: dict[str, IdpInfo]
    valid_until: datetime | None


def fetch(url: str, *, timeout: float = 30.0) -> bytes:
    """The feed's bytes; FeedError("unreachable") for any network or HTTP failure."""
    try:
        response = requests.get(url, timeout=timeout, stream=True)
        response.raise_for_status()
        data = b""
        for chunk in response.iter_content(65536):
            data += chunk
            if len(data) > MAX_FEED_BYTES:
                raise FeedError("too_large")
        return data
    except requests.RequestException as error:
        raise FeedError("unreachable", reason=type(error).__name__) from None


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def check_algorithms(root: ET.Element) -> int:
    """Every signature in the document uses SHA-256 or stronger; returns how many there are."""
    signatures = list(root.iter(_q(DS, "Signature")))
    for signature in signatures:
        for method in signature.iter(_q(DS, "SignatureMethod")):
            if method.get("Algorithm") not in SIGNATURE_ALGORITHMS:
                raise FeedError("weak_algorithm", algorithm=method.get("Algorithm") or "")
        for digest in signature.iter(_q(DS, "DigestMethod")):
            if digest.get("Algorithm") not in DIGEST_ALGORITHMS:
                raise FeedError("weak_algorithm", algorithm=digest.get("Algorithm") or "")
    return len(signatures)


def _parse_time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def verify_feed(data: bytes, certificate: str, *, now: datetime | None = None) -> VerifiedFeed:
    try:
        root = SafeET.fromstring(data)
    except Exception:  # defusedxml's and expat's errors alike: not a feed we can read
        raise FeedError("not_xml") from None
    if root.tag != _q(MD, "EntitiesDescriptor"):
        raise FeedError("not_metadata")
    root_id = root.get("ID") or ""
    signatures = [child for child in root if child.tag == _q(DS, "Signature")]
    if not root_id or len(signatures) != 1:
        raise FeedError("unsigned")
    references = list(signatures[0].iter(_q(DS, "Reference")))
    if len(references) != 1 or references[0].get("URI") not in (f"#{root_id}", ""):
        raise FeedError("unsigned")
    check_algorithms(root)
    if not _signature_valid(data, certificate, root_id):
        raise FeedError("bad_signature")
    valid_until = _parse_time(root.get("validUntil", "")) if root.get("validUntil") else None
    if valid_until and valid_until < (now or datetime.now(UTC)):
        raise FeedError("expired", valid_until=valid_until.isoformat())
    return VerifiedFeed(idps=idps_of(root), valid_until=valid_until)


def _signature_valid(data: bytes, certificate: str, root_id: str) -> bool:
    if "-----BEGIN CERTIFICATE-----" not in certificate:
        raise FeedError("bad_certificate")
    crypto = CryptoBackendXmlSec1(get_xmlsec_binary())
    handle, path = tempfile.mkstemp(suffix=".pem")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(certificate.strip() + "\n")
        return bool(
            crypto.validate_signature(
                data.decode("utf-8"),
                cert_file=path,
                cert_type="pem",
                node_name=f"{MD}:EntitiesDescriptor",
                node_id=root_id,
            )
        )
    except UnicodeDecodeError:
        raise FeedError("not_xml") from None
    except Exception:  # pysaml2 raises SignatureError (and others) for a bad signature
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _names(entity: ET.Element) -> tuple[str, str]:
    names: dict[str, str] = {}
    for element in entity.iter(_q(MDUI, "DisplayName")):
        lang = element.get("{http://www.w3.org/XML/1998/namespace}lang", "")
        names.setdefault(lang, (element.text or "").strip())
    for element in entity.iter(_q(MD, "OrganizationDisplayName")):
        lang = element.get("{http://www.w3.org/XML/1998/namespace}lang", "")
        names.setdefault(lang, (element.text or "").strip())
    sv = names.get("sv") or names.get("en") or next(iter(names.values()), "")
    en = names.get("en") or sv
    return sv[:300], en[:300]


def idps_of(root: ET.Element) -> dict[str, IdpInfo]:
    found: dict[str, IdpInfo] = {}
    for entity in root.iter(_q(MD, "EntityDescriptor")):
        entity_id = entity.get("entityID", "").strip()
        idp = entity.find(_q(MD, "IDPSSODescriptor"))
        if not entity_id or idp is None or len(entity_id) > 300:
            continue
        sso = ""
        for service in idp.findall(_q(MD, "SingleSignOnService")):
            if service.get("Binding") == REDIRECT:
                sso = service.get("Location", "")
                break
        if not sso.startswith("https://") and not sso.startswith("http://"):
            continue  # Kollegium signs in through HTTP-Redirect only
        scopes = tuple(
            (scope.text or "").strip().lower()
            for scope in idp.iter(_q(SHIBMD, "Scope"))
            if scope.get("regexp", "false") == "false" and (scope.text or "").strip()
        )
        name_sv, name_en = _names(entity)
        found[entity_id] = IdpInfo(
            entity_id=entity_id,
            name_sv=name_sv or entity_id,
            name_en=name_en or entity_id,
            sso_url=sso[:500],
            scopes=scopes,
            entity_xml=ET.tostring(entity, encoding="unicode"),
        )
    return found


def entities_xml(entity_xmls: list[str]) -> str:
    """One metadata document holding the given entity descriptors (already verified)."""
    return (
        f'<md:EntitiesDescriptor xmlns:md="{MD}">'
        + "".join(entity_xmls)
        + "</md:EntitiesDescriptor>"
    )

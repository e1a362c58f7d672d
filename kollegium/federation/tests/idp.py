"""Test helpers: throwaway key pairs, a signed federation feed served on loopback, and an
identity provider inside the test process (pysaml2's Server) answering our requests."""

from __future__ import annotations

import base64
import datetime as dt
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import saml2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import class_name, xmldsig
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server
from saml2.sigver import (
    CryptoBackendXmlSec1,
    get_xmlsec_binary,
    pre_signature_part,
    signed_instance_factory,
)

from kollegium.federation import attributemaps

IDP_ENTITY = "https://idp.kommun-a.test/idp"
IDP_SSO = "https://idp.kommun-a.test/sso"
SCOPE = "kommun-a.se"
SHA1 = (xmldsig.SIG_RSA_SHA1, xmldsig.DIGEST_SHA1)
SHA256 = (xmldsig.SIG_RSA_SHA256, xmldsig.DIGEST_SHA256)


@dataclass(frozen=True)
class KeyPair:
    key_file: str
    cert_file: str
    cert_pem: str


def make_keypair(directory: Path, name: str) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_file = directory / f"{name}.key"
    cert_file = directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    cert_file.write_text(pem)
    return KeyPair(str(key_file), str(cert_file), pem)


def idp_config(
    keys: KeyPair, sp_metadata: str, *, entity_id: str = IDP_ENTITY, lifetime_minutes: int = 15
) -> IdPConfig:
    conf = IdPConfig()
    conf.load(
        {
            "entityid": entity_id,
            "xmlsec_binary": get_xmlsec_binary(),
            "key_file": keys.key_file,
            "cert_file": keys.cert_file,
            "service": {
                "idp": {
                    "name": "Kommun A",
                    "endpoints": {
                        "single_sign_on_service": [(IDP_SSO, saml2.BINDING_HTTP_REDIRECT)],
                    },
                    "scope": [SCOPE],
                    "ui_info": {"display_name": [{"text": "Kommun A", "lang": "sv"}]},
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": lifetime_minutes},
                            "name_form": saml2.saml.NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
        }
    )
    conf.attribute_converters = attributemaps.attribute_converters()
    return conf


def idp_entity_xml(keys: KeyPair, *, entity_id: str = IDP_ENTITY) -> str:
    return str(entity_descriptor(idp_config(keys, "", entity_id=entity_id)))


def signed_feed(
    entity_xmls: list[str], keys: KeyPair, *, alg: tuple[str, str] = SHA256, valid_days: int = 7
) -> bytes:
    """A federation feed as the federation publishes it: one EntitiesDescriptor, signed."""
    valid_until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=valid_days)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    signature = pre_signature_part(
        ident="feed1", public_key=_cert_body(keys.cert_pem), sign_alg=alg[0], digest_alg=alg[1]
    )
    inner = "".join(_strip_declaration(x) for x in entity_xmls)
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        f'ID="feed1" Name="https://fed.test/md" validUntil="{valid_until}">'
        f"{signature}{inner}</md:EntitiesDescriptor>"
    )
    crypto = CryptoBackendXmlSec1(get_xmlsec_binary())
    signed = crypto.sign_statement(
        document, "urn:oasis:names:tc:SAML:2.0:metadata:EntitiesDescriptor", keys.key_file, "feed1"
    )
    return signed.encode() if isinstance(signed, str) else signed


def _cert_body(pem: str) -> str:
    return "".join(line for line in pem.splitlines() if line and not line.startswith("-----"))


def _strip_declaration(xml: str) -> str:
    return xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml


class FeedServer:
    """Serves bytes at http://127.0.0.1:<port>/feed.xml (loopback only)."""

    def __init__(self) -> None:
        self.body = b""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/samlmetadata+xml")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.xml"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class InProcessIdp:
    """A Skolfederation IdP inside the test: reads our AuthnRequest, answers with a response."""

    def __init__(
        self,
        keys: KeyPair,
        sp_metadata: str,
        *,
        entity_id: str = IDP_ENTITY,
        lifetime_minutes: int = 15,
    ) -> None:
        self.server = Server(
            config=idp_config(
                keys, sp_metadata, entity_id=entity_id, lifetime_minutes=lifetime_minutes
            )
        )

    def request_id(self, location: str) -> str:
        query = parse_qs(urlsplit(location).query)
        request = self.server.parse_authn_request(
            query["SAMLRequest"][0], saml2.BINDING_HTTP_REDIRECT
        )
        return request.message.id

    def response(
        self,
        *,
        in_response_to: str,
        acs_url: str,
        sp_entity_id: str,
        identity: dict[str, list[str]],
        alg: tuple[str, str] = SHA256,
        age_minutes: int = 0,
    ) -> str:
        """A signed response; with ``age_minutes`` one the IdP made that long ago (its times
        moved back before it is signed), as a captured response used later would be."""
        if age_minutes:
            return self._old_response(
                in_response_to=in_response_to,
                destination=acs_url,
                sp_entity_id=sp_entity_id,
                identity=identity,
                age_minutes=age_minutes,
            )
        response = self.server.create_authn_response(
            identity=identity,
            in_response_to=in_response_to,
            destination=acs_url,
            sp_entity_id=sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text="t-123"),
            authn={"class_ref": saml2.saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": IDP_ENTITY},
            sign_response=True,
            sign_assertion=True,
            sign_alg=alg[0],
            digest_alg=alg[1],
        )
        return base64.b64encode(str(response).encode()).decode()

    def _old_response(self, *, age_minutes: int, **kwargs: Any) -> str:
        response = self.server.create_authn_response(
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text="t-123"),
            authn={"class_ref": saml2.saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": IDP_ENTITY},
            sign_response=False,
            sign_assertion=False,
            **kwargs,
        )
        back = dt.timedelta(minutes=age_minutes)

        def earlier(value: str | None) -> str | None:
            if not value:
                return value
            moved = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ") - back
            return moved.strftime("%Y-%m-%dT%H:%M:%SZ")

        assertion = response.assertion
        response.issue_instant = earlier(response.issue_instant)
        assertion.issue_instant = earlier(assertion.issue_instant)
        assertion.conditions.not_before = earlier(assertion.conditions.not_before)
        assertion.conditions.not_on_or_after = earlier(assertion.conditions.not_on_or_after)
        for confirmation in assertion.subject.subject_confirmation:
            data = confirmation.subject_confirmation_data
            data.not_on_or_after = earlier(data.not_on_or_after)
        for statement in assertion.authn_statement:
            statement.authn_instant = earlier(statement.authn_instant)
        assertion.signature = pre_signature_part(
            ident=assertion.id,
            public_key=_cert_body(Path(self.server.config.cert_file).read_text()),
            sign_alg=SHA256[0],
            digest_alg=SHA256[1],
        )
        signed = signed_instance_factory(
            response, self.server.sec, [(class_name(assertion), assertion.id)]
        )
        return base64.b64encode(str(signed).encode()).decode()


def staff_identity(
    codes: list[str], *, eppn: str = f"anna@{SCOPE}", mail: str = f"anna@{SCOPE}"
) -> dict[str, list[str]]:
    return {
        "eduPersonPrincipalName": [eppn],
        "eduPersonScopedAffiliation": [f"staff@{SCOPE}", f"member@{SCOPE}"],
        "sisSchoolUnitCode": codes,
        "displayName": ["Anna Andersson"],
        "givenName": ["Anna"],
        "sn": ["Andersson"],
        "mail": [mail],
    }

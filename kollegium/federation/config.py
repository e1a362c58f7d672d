"""Our service provider's pysaml2 configuration, built per request from the settings (key,
certificate, contact) and the allowed IdPs' verified metadata (never fetched here).
djangosaml2 calls `sp_config` (settings.SAML_CONFIG_LOADER)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import saml2
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from saml2.config import SPConfig
from saml2.sigver import get_xmlsec_binary

from kollegium.federation import attributemaps, metadata, selectors


def sp_configured() -> bool:
    """Our key and certificate are set and readable (docs/operations/sign-in.md)."""
    key, cert = settings.SAML_KEY_FILE, settings.SAML_CERT_FILE
    return bool(key and cert and Path(key).is_file() and Path(cert).is_file())


def entity_id(request: HttpRequest | None) -> str:
    if settings.SAML_ENTITY_ID:
        return str(settings.SAML_ENTITY_ID)
    path = reverse("saml2:metadata")
    return request.build_absolute_uri(path) if request is not None else path


def _url(request: HttpRequest | None, name: str) -> str:
    path = reverse(name)
    if settings.SAML_BASE_URL:
        return str(settings.SAML_BASE_URL).rstrip("/") + path
    return request.build_absolute_uri(path) if request is not None else path


def config_dict(request: HttpRequest | None, entities: list[str]) -> dict[str, Any]:
    config: dict[str, Any] = {
        "entityid": entity_id(request),
        "xmlsec_binary": get_xmlsec_binary(),
        "key_file": settings.SAML_KEY_FILE,
        "cert_file": settings.SAML_CERT_FILE,
        "encryption_keypairs": [
            {"key_file": settings.SAML_KEY_FILE, "cert_file": settings.SAML_CERT_FILE}
        ],
        "accepted_time_diff": 60,
        "service": {
            "sp": {
                "name": "Kollegium",
                "endpoints": {
                    "assertion_consumer_service": [
                        (_url(request, "saml2:acs"), saml2.BINDING_HTTP_POST)
                    ],
                },
                "allow_unsolicited": False,
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "want_response_signed": False,
                "want_assertions_signed": False,
                "want_assertions_or_response_signed": True,
                "only_use_keys_in_metadata": True,
                "signing_algorithm": saml2.xmldsig.SIG_RSA_SHA256,
                "digest_algorithm": saml2.xmldsig.DIGEST_SHA256,
                "required_attributes": list(attributemaps.REQUIRED),
                "optional_attributes": list(attributemaps.OPTIONAL),
            }
        },
        "metadata": {"inline": [metadata.entities_xml(entities)]} if entities else {},
        "organization": {
            "name": [
                (settings.SAML_ORGANISATION_NAME, "sv"),
                (settings.SAML_ORGANISATION_NAME, "en"),
            ],
            "display_name": [("Kollegium", "sv"), ("Kollegium", "en")],
            "url": [(_url(request, "core:home"), "sv"), (_url(request, "core:home"), "en")],
        },
        "contact_person": [
            {
                "contact_type": kind,
                "email_address": settings.SAML_CONTACT_EMAIL,
                "given_name": "Kollegium",
            }
            for kind in ("technical", "support")
            if settings.SAML_CONTACT_EMAIL
        ],
    }
    # Key rotation (docs/operations/sign-in.md): the next certificate is published beside the
    # current one until the federation's feed carries it, then they swap.
    if settings.SAML_NEXT_CERT_FILE:
        config["additional_cert_files"] = [settings.SAML_NEXT_CERT_FILE]
        if settings.SAML_NEXT_KEY_FILE:
            config["encryption_keypairs"].append(
                {"key_file": settings.SAML_NEXT_KEY_FILE, "cert_file": settings.SAML_NEXT_CERT_FILE}
            )
    return config


def sp_config(request: HttpRequest | None = None) -> SPConfig:
    entities = selectors.metadata_entities()
    data = config_dict(request, entities)
    conf = SPConfig()
    conf.load(data)
    # Only the attributes Kollegium asks for, by their URI names (attributemaps).
    conf.attribute_converters = attributemaps.attribute_converters()
    return conf

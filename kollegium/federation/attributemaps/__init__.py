"""The attributes Kollegium asks a Skolfederation IdP for, by their URI names (SAML 2.0
attribute profile), and nothing more: `attribute_converters()` replaces pysaml2's defaults, so
attributes outside this list are dropped when a response is read."""

from __future__ import annotations

from saml2.attribute_converter import AttributeConverter
from saml2.saml import NAME_FORMAT_URI

EDUPERSON = "urn:oid:1.3.6.1.4.1.5923.1.1.1."
SIS = "urn:oid:1.2.752.194.10.2."

TO = {
    "eduPersonPrincipalName": f"{EDUPERSON}6",
    "eduPersonScopedAffiliation": f"{EDUPERSON}9",
    "sisSchoolUnitCode": f"{SIS}4",
    "displayName": "urn:oid:2.16.840.1.113730.3.1.241",
    "givenName": "urn:oid:2.5.4.42",
    "sn": "urn:oid:2.5.4.4",
    "mail": "urn:oid:0.9.2342.19200300.100.1.3",
}
MAP = {
    "identifier": NAME_FORMAT_URI,
    "to": TO,
    "fro": {uri: name for name, uri in TO.items()},
}
REQUIRED = ("eduPersonPrincipalName", "sisSchoolUnitCode", "eduPersonScopedAffiliation")
OPTIONAL = ("displayName", "givenName", "sn", "mail")


def attribute_converters() -> list[AttributeConverter]:
    converter = AttributeConverter(NAME_FORMAT_URI)
    converter.from_dict(MAP)
    return [converter]

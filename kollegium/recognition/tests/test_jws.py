"""The signature form, without Django: signing, verifying, and every reason it fails."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from kollegium.recognition import jws

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "validFrom": "2026-12-01T10:00:00Z",
    "name": "Formativ bedömning: genomfört program",
    "credentialSubject": {"name": "Bob Berg"},
}


@pytest.fixture(scope="module")
def key():
    return jws.generate()


def keys_of(*pairs):
    return {p.kid: p.x for p in pairs}


def test_a_signed_credential_verifies_with_the_published_key(key):
    token = jws.sign(CREDENTIAL, key)
    header = json.loads(jws.b64url_decode(token.split(".")[0]))
    assert header == {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": key.kid}
    assert jws.verify(token, keys_of(key), NOW) == CREDENTIAL


def test_the_key_set_round_trips_and_ignores_other_keys(key):
    document = jws.jwks([key.x])
    document["keys"].append({"kty": "RSA", "n": "x", "e": "AQAB"})
    document["keys"].append({"kty": "OKP", "crv": "Ed25519", "x": "not!base64"})
    assert jws.keys_from_jwks(document) == {key.kid: key.x}


def _with_payload(token: str, payload: dict) -> str:
    head, _body, sig = token.split(".")
    return ".".join([head, jws.b64url(json.dumps(payload).encode()), sig])


@pytest.mark.parametrize(
    "mangle, code",
    [
        (lambda t, k: "", "empty"),
        (lambda t, k: "x" * (jws.MAX_TOKEN + 1), "too_long"),
        (lambda t, k: t.rsplit(".", 1)[0], "malformed"),
        (lambda t, k: "e30.$$$.AAAA", "bad_encoding"),
        (lambda t, k: _with_payload(t, {**CREDENTIAL, "name": "Doktorsexamen"}), "bad_signature"),
        (lambda t, k: jws.sign(CREDENTIAL, jws.generate()), "unknown_key"),
        (
            lambda t, k: jws.sign({**CREDENTIAL, "type": ["Something"]}, k),
            "not_a_credential",
        ),
        (
            lambda t, k: jws.sign({**CREDENTIAL, "validFrom": "2027-01-01T00:00:00Z"}, k),
            "not_yet_valid",
        ),
        (
            lambda t, k: jws.sign({**CREDENTIAL, "validUntil": "2026-12-02T00:00:00Z"}, k),
            "expired",
        ),
    ],
)
def test_a_forged_or_altered_credential_fails_with_its_reason(key, mangle, code):
    token = mangle(jws.sign(CREDENTIAL, key), key)
    with pytest.raises(jws.VerificationError) as failure:
        jws.verify(token, keys_of(key), NOW)
    assert failure.value.code == code
    assert code in jws.REASONS


def test_a_header_claiming_another_algorithm_is_refused(key):
    token = jws.sign(CREDENTIAL, key)
    _head, body, sig = token.split(".")
    none_header = jws.b64url(json.dumps({"alg": "none", "typ": "vc+jwt", "kid": key.kid}).encode())
    with pytest.raises(jws.VerificationError) as failure:
        jws.verify(f"{none_header}.{body}.{sig}", keys_of(key), NOW)
    assert failure.value.code == "wrong_algorithm"


def test_whitespace_and_line_breaks_from_copying_do_not_matter(key):
    token = jws.sign(CREDENTIAL, key)
    broken = "\n".join(token[i : i + 60] for i in range(0, len(token), 60))
    assert jws.verify(f"  {broken}\n", keys_of(key), NOW + timedelta(days=1)) == CREDENTIAL

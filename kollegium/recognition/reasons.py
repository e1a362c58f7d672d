"""Why a credential fails verification, in the reader's language (jws.REASONS in words)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REASON_TEXT = {
    "empty": _("No credential was given."),
    "too_long": _("This is too long to be a credential."),
    "malformed": _(
        "This is not a signed credential: a credential has three parts separated by dots."
    ),
    "bad_encoding": _("A part of the credential is damaged: it is not valid encoded JSON."),
    "wrong_algorithm": _("The credential is not signed with Ed25519 (EdDSA)."),
    "wrong_type": _("The credential's header does not say it is a verifiable credential."),
    "unknown_key": _(
        "The credential was signed with a key this installation has never published: it was "
        "not issued here, or it is forged."
    ),
    "bad_signature": _(
        "The signature does not match the content: the credential was altered after it was "
        "signed, or it is forged."
    ),
    "not_a_credential": _("The signed content is not a verifiable credential."),
    "not_yet_valid": _("The credential is not valid yet."),
    "expired": _("The credential has expired."),
}


def reason_text(code: str) -> str:
    return str(REASON_TEXT.get(code, _("The credential could not be verified.")))

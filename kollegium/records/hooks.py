"""The records app's place in the menu, and audit events for sign-in settings (allauth)."""

from __future__ import annotations

from typing import Any

from allauth.account import signals
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import NavItem, register_nav_item
from kollegium.organisations.actor import actor_of
from kollegium.records.permissions import can_read_audit


def _reads_audit(request: HttpRequest) -> bool:
    return can_read_audit(actor_of(request))


register_nav_item(
    NavItem(
        "records:audit", _("Audit log"), order=95, match_prefix="/records/", visible=_reads_audit
    )
)


def _record_sign_in_setting(action: str) -> Any:
    def receiver(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        from kollegium.core.services import audit_record

        audit_record(actor=user, action=action, target=user)

    return receiver


# A person's own sign-in settings (allauth's pages): who changed a password or an address, when.
_receivers = {
    signals.password_changed: _record_sign_in_setting("accounts.password_changed"),
    signals.password_set: _record_sign_in_setting("accounts.password_set"),
    signals.password_reset: _record_sign_in_setting("accounts.password_reset"),
    signals.email_changed: _record_sign_in_setting("accounts.email_changed"),
}
for _signal, _receiver in _receivers.items():
    _signal.connect(_receiver, dispatch_uid=f"records-audit-{id(_signal)}")

"""The recognition app's hooks: guests' grants for the groups' permissions, the menu item."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kollegium.core.guests import register_guest_grants
from kollegium.core.registry import NavItem, register_nav_item
from kollegium.organisations.actor import actor_of
from kollegium.recognition.middleware import mark_guest_session
from kollegium.recognition.permissions import guest_grants_of


def _at_a_school(request: HttpRequest) -> bool:
    return bool(actor_of(request).memberships)


register_guest_grants(guest_grants_of)  # type: ignore[arg-type]
user_logged_in.connect(mark_guest_session, dispatch_uid="recognition.mark_guest_session")
register_nav_item(
    NavItem(
        "recognition:mine",
        _("My contributions"),
        order=85,
        match_prefix="/recognition/",
        visible=_at_a_school,
    )
)

from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import (
    NavItem,
    register_form_action_origins,
    register_nav_item,
    register_password_refusal,
)
from kollegium.directory.permissions import can_manage_sources
from kollegium.organisations.actor import actor_of

register_nav_item(
    NavItem(
        "directory:index",
        _("School systems"),
        order=95,
        visible=lambda request: can_manage_sources(actor_of(request)),
    )
)


def _sign_in_origins(request: object) -> list[str]:
    from kollegium.directory.services.signin import sign_in_origins

    return sign_in_origins()


def _password_refusal(user: object) -> str | None:
    from kollegium.directory.services.signin import password_refusal

    return password_refusal(user)


# School sign-in (issue 11): the sign-in pages' forms may go to the connected IdPs, and an
# owner that turned passwords off for its staff refuses them on the password paths.
register_form_action_origins(_sign_in_origins)
register_password_refusal(_password_refusal)

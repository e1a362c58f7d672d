from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import NavItem, register_form_action_origins, register_nav_item
from kollegium.federation import selectors
from kollegium.federation.permissions import can_manage_federation
from kollegium.organisations.actor import actor_of

register_nav_item(
    NavItem(
        "federation:index",
        _("School sign-in"),
        order=96,
        visible=lambda request: can_manage_federation(actor_of(request)),
    )
)
# The sign-in pages' forms may lead to the allowed IdPs' sign-in addresses, and nowhere else.
register_form_action_origins(selectors.sso_urls)

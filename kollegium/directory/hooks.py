from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import NavItem, register_nav_item
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

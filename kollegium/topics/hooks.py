from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import NavItem, register_nav_item
from kollegium.organisations.actor import actor_of

register_nav_item(
    NavItem(
        "topics:list",
        _("Topics"),
        order=35,
        match_prefix="/topics/",
        visible=lambda request: bool(actor_of(request).school_ids),
    )
)

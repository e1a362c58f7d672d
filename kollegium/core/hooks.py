from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import NavItem, register_nav_item

register_nav_item(NavItem("core:home", _("Home"), order=0))

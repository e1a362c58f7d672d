from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import NavItem, register_nav_item

register_nav_item(NavItem("questions:list", _("Questions"), order=20, match_prefix="/questions/"))

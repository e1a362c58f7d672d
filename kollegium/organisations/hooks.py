from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import NavItem, register_nav_item

register_nav_item(
    NavItem("organisations:my_school", _("My school"), order=90, match_prefix="/school/")
)

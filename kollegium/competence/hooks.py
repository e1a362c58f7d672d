from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import NavItem, register_nav_item

register_nav_item(
    NavItem("competence:profile", _("Competence"), order=10, match_prefix="/competence/")
)

from django.utils.translation import gettext_lazy as _

from kollegium.core.homepage import watch
from kollegium.core.registry import NavItem, register_nav_item
from kollegium.organisations.models import Membership, Organisation

register_nav_item(
    NavItem("organisations:my_school", _("My school"), order=90, match_prefix="/school/")
)

# A person's schools, roles and joining dates are in the navigation and decide the panels; a
# colleague joining or leaving changes who is the only one at the school who knows a skill.
watch(Membership, users=lambda m: [m.user_id], schools=lambda m: [m.school_id])
watch(Organisation, schools=lambda organisation: [organisation.pk])

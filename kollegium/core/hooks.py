from django.conf import settings
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from kollegium.core.homepage import version_row_create, watch
from kollegium.core.models import Notification
from kollegium.core.registry import NavItem, register_nav_item

register_nav_item(NavItem("core:home", _("Home"), order=0))

# The unread count in the navigation.
watch(Notification, users=lambda notification: [notification.recipient_id])
# A home-page version row for each new person; people created in bulk (imports, the seeder)
# get theirs on their first visit.
post_save.connect(version_row_create, sender=settings.AUTH_USER_MODEL, dispatch_uid="home-person")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "kollegium.groups"
    label = "groups"
    verbose_name = _("Learning groups")
    default_auto_field = "django.db.models.BigAutoField"

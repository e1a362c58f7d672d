from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "kollegium.directory"
    label = "directory"
    verbose_name = _("People from the school's own systems")
    default_auto_field = "django.db.models.BigAutoField"

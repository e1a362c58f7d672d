from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kollegium.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app registers its navigation entries, home panels and calendar sources in hooks.py.
        autodiscover_modules("hooks")

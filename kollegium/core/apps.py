from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kollegium.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from kollegium.core.db import lookups

        # `pk__in=[a 20-digit number]` matches nothing instead of a 500 on SQLite.
        lookups.register()
        # Each app registers its navigation entries, home panels and calendar sources in hooks.py.
        autodiscover_modules("hooks")
        # ...and how its models' personal data is exported and erased (core.registry).
        autodiscover_modules("personal_data")

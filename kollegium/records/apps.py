from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "kollegium.records"
    label = "records"
    verbose_name = _("Records, audit and backup")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kollegium.records import hooks  # noqa: F401

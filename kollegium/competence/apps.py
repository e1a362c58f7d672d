from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenceConfig(AppConfig):
    name = "kollegium.competence"
    label = "competence"
    verbose_name = _("Competence map")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kollegium.competence import hooks  # noqa: F401

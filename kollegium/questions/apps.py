from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "kollegium.questions"
    label = "questions"
    verbose_name = _("Ask a colleague")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kollegium.questions import hooks  # noqa: F401

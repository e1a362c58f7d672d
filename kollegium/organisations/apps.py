from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_reference_data(sender: AppConfig, **kwargs: object) -> None:
    # Migrations load subjects and stages; a flush (transactional tests) empties them and then
    # sends post_migrate, so they come back here, as content types do.
    subject = sender.get_model("Subject")
    if not subject._default_manager.using(str(kwargs.get("using", "default"))).exists():
        from kollegium.organisations.reference_data import load_reference_data

        load_reference_data(subject, sender.get_model("Stage"))


class OrganisationsConfig(AppConfig):
    name = "kollegium.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        post_migrate.connect(_ensure_reference_data, sender=self)

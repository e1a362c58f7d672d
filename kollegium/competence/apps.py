from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_taxonomy(sender: AppConfig, **kwargs: object) -> None:
    # The taxonomy comes in by migration; a flush (transactional tests) empties it and then
    # sends post_migrate, so it comes back here.
    skill = sender.get_model("Skill")
    if not skill._default_manager.using(str(kwargs.get("using", "default"))).exists():
        from kollegium.competence.loading import sync_taxonomy

        sync_taxonomy(area_model=sender.get_model("SkillArea"), skill_model=skill)


class CompetenceConfig(AppConfig):
    name = "kollegium.competence"
    label = "competence"
    verbose_name = _("Competence map")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kollegium.competence import hooks  # noqa: F401

        post_migrate.connect(_ensure_taxonomy, sender=self)

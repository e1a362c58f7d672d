from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "kollegium.federation"
    label = "federation"
    verbose_name = _("Sign-in through Skolfederation")
    default_auto_field = "django.db.models.BigAutoField"

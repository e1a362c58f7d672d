from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "kollegium.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kollegium.privacy.services import sign_in_record

        # Sign-in history (exported, kept as long as the owner's retention rule says).
        user_logged_in.connect(sign_in_record, dispatch_uid="privacy-sign-in-record")

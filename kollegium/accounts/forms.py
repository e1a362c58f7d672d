from django import forms
from django.utils.translation import gettext_lazy as _

from kollegium.accounts.models import User


class ProfileForm(forms.ModelForm):
    # Subjects and stages are offered from the fields' own models (organisations.Subject and
    # .Stage), so this app need not import the organisations app above it.

    class Meta:
        model = User
        fields = [
            "full_name",
            "subjects",
            "stages",
            "languages",
            "ask_me_about",
            "preferred_language",
            "wants_email_notifications",
        ]
        labels = {"subjects": _("Subjects"), "stages": _("School stages")}
        widgets = {
            "subjects": forms.CheckboxSelectMultiple,
            "stages": forms.CheckboxSelectMultiple,
        }

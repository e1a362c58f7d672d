from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kollegium.accounts.models import User
from kollegium.organisations.models import Stage, Subject


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial="sv"
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class ProfileForm(forms.ModelForm):
    subjects = forms.ModelMultipleChoiceField(
        label=_("Subjects"),
        queryset=Subject.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stages = forms.ModelMultipleChoiceField(
        label=_("School stages"),
        queryset=Stage.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

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

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from kollegium.organisations.models import DevelopmentFocus, Network, Role, Team


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Name (optional)"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.TEACHER)
    team = forms.ModelChoiceField(
        label=_("Team (optional)"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("No team"),
    )

    def __init__(self, *args, school=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if school is not None:
            self.fields["team"].queryset = Team.objects.filter(school=school)  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "kind"]


class TeamMembersForm(forms.Form):
    members = forms.MultipleChoiceField(
        label=_("Members"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(str(p.pk), p.full_name or p.email) for p in people]  # type: ignore[attr-defined]


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "description", "is_open"]


class FocusForm(forms.ModelForm):
    class Meta:
        model = DevelopmentFocus
        fields = ["title", "description", "is_active"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The model's text has no limit; a person's description of a goal is short.
        description = self.fields["description"]
        assert isinstance(description, forms.CharField)
        description.max_length = 4000
        description.validators.append(MaxLengthValidator(4000))
        description.widget.attrs["maxlength"] = "4000"


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

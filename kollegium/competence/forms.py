from django import forms
from django.utils.translation import gettext_lazy as _

from kollegium.competence.models import Level, SkillArea
from kollegium.core import widgets


class LevelForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=[("", _("– not set –")), *Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    willing_to_share = forms.BooleanField(label=_("Willing to share"), required=False)
    want_to_learn = forms.BooleanField(label=_("Want to learn"), required=False)
    evidence = forms.CharField(label=_("Evidence (one line)"), max_length=200, required=False)


class ProfileSettingsForm(forms.Form):
    ask_me_about = forms.CharField(
        label=_("Ask me about"),
        max_length=300,
        required=False,
        help_text=_("A short line, for example: exit tickets, Scratch in year 4, book talks."),
    )
    visible_in_network = forms.BooleanField(
        label=_("Show my skills to colleagues in our school networks"),
        required=False,
        help_text=_("Unticked, only colleagues at your own school see your skills."),
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as UTF-8 CSV and try again.")) from None


class HelpSearchForm(forms.Form):
    skill = forms.ChoiceField(label=_("Skill"), required=False, widget=widgets.Select)
    q = forms.CharField(label=_("Or describe it in your own words"), max_length=100, required=False)

    def __init__(self, *args, skills=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        choices: list = [("", _("– any skill –"))]
        groups: dict = {}
        for skill in skills:
            groups.setdefault(skill.area.name, []).append((skill.key, skill.name))
        choices.extend(groups.items())
        self.fields["skill"].choices = choices


class MatrixFilterForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    subject = forms.TypedChoiceField(
        label=_("Subject"), required=False, coerce=int, empty_value=None
    )
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, teams=(), subjects=(), areas=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("All teams"))] + [(t.pk, t.name) for t in teams]
        self.fields["subject"].choices = [("", _("All subjects"))] + [
            (s.pk, s.name) for s in subjects
        ]
        self.fields["area"].choices = [("", _("All areas"))] + [(a.key, a.name) for a in areas]


class CustomSkillForm(forms.Form):
    network = forms.TypedChoiceField(label=_("For"), coerce=int, empty_value=None, required=False)
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=SkillArea.objects.all(), empty_label=_("Choose an area")
    )
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    description_sv = forms.CharField(label=_("Short description"), max_length=300, required=False)

    def __init__(self, *args, school=None, networks=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.networks = {n.pk: n for n in networks}
        self.fields["network"].choices = [("", school.display_name if school else "")] + [
            (n.pk, _("the network %(name)s") % {"name": n.name}) for n in networks
        ]


class OwnerCoverageFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), required=False)
    focus = forms.BooleanField(label=_("Only skills that are a focus somewhere"), required=False)
    order = forms.ChoiceField(
        label=_("Order of the schools"),
        required=False,
        choices=[("name", _("By name")), ("risk", _("Most focus gaps first"))],
    )

    def __init__(self, *args, areas=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas"))] + [(a.key, a.name) for a in areas]


QUICK_CHOICES = [
    ("1", _("1 curious")),
    ("2", _("2 practising")),
    ("3", _("3 confident")),
    ("4", _("4 can guide others")),
    ("0", _("Not for me")),
]


class QuickStartForm(forms.Form):
    """One level per suggested skill: "" leaves it as it is, "0" removes it ("not for me")."""

    def __init__(self, *args, skills=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.skills = {f"level-{skill.pk}": skill for skill in skills}
        for name, skill in self.skills.items():
            self.fields[name] = forms.ChoiceField(
                label=skill.name, choices=QUICK_CHOICES, required=False
            )

    def chosen_levels(self) -> dict:
        """{skill: level or None} for the skills given a choice."""
        return {
            self.skills[name]: (int(value) or None)
            for name, value in self.cleaned_data.items()
            if value
        }


class SchoolTypesForm(forms.Form):
    types = forms.MultipleChoiceField(
        label=_("School types at the school"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Skills that concern none of them (vocational subjects at a compulsory school, say) "
            "are left out of the coverage."
        ),
    )

    def __init__(self, *args, choices=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["types"].choices = list(choices)

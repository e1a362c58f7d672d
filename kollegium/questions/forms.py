from django import forms
from django.utils.translation import gettext_lazy as _

from kollegium.core import widgets
from kollegium.questions.models import Visibility


class AskForm(forms.Form):
    title = forms.CharField(
        label=_("Your question"),
        max_length=200,
        help_text=_("For example: How do you use exit tickets in year 4?"),
    )
    body = forms.CharField(
        label=_("Details (optional)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills it is about (up to five)"),
        required=False,
        # With JavaScript a searchable picker takes its place (static/questions/skill_picker.js).
        widget=widgets.SelectMultiple(
            attrs={
                "size": 8,
                "data-picker": "",
                "data-search-label": _("Search the skills, for example “assessment” or “reading”"),
                "data-chosen-label": _("Chosen:"),
                "data-none-label": _("No skill chosen yet."),
                "data-nomatch": _("No skill matches. Try a shorter word."),
            }
        ),
        help_text=_("Colleagues who know these skills well and share them are told about it."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.SCHOOL,
        widget=forms.RadioSelect,
    )
    anonymous = forms.BooleanField(
        label=_("Ask anonymously"),
        required=False,
        help_text=_(
            "Nobody, administrators included, can see who asked. You follow the question "
            "from “My questions” or with a private code."
        ),
    )

    def __init__(self, *args, skills=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        groups: dict = {}
        for skill in skills:
            groups.setdefault(skill.area.name, []).append((skill.key, skill.name))
        self.fields["skills"].choices = list(groups.items())


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )

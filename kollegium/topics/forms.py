from __future__ import annotations

from typing import Any

from django import forms
from django.forms import widgets
from django.utils.translation import gettext_lazy as _

from kollegium.groups.forms import DateInput
from kollegium.topics import core
from kollegium.topics.models import (
    EVIDENCE_MAX,
    NEED_MAX,
    REASON_MAX,
    RESPONSE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Decision,
    Response,
)


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=TITLE_MAX)
    need = forms.CharField(
        label=_("The students' learning need it answers"),
        max_length=NEED_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What do our students need to learn better? Research on teachers' learning "
            "that lasts starts there."
        ),
    )
    description = forms.CharField(
        label=_("What we would learn or try (optional)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence = forms.CharField(
        label=_("Evidence (optional)"),
        max_length=EVIDENCE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example test results, pupils' work or what you have observed."),
    )
    focus = forms.TypedChoiceField(
        label=_("Development focus (optional)"), required=False, coerce=int, empty_value=None
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills it is about (up to five)"),
        required=False,
        # With JavaScript a searchable picker takes its place (questions/skill_picker.js).
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
    )
    shared_with_network = forms.BooleanField(
        label=_("Open to the schools in our networks"),
        required=False,
        help_text=_("Colleagues at those schools can see the topic and join in."),
    )
    needs_expert = forms.BooleanField(
        label=_("Needs an expert"),
        required=False,
        help_text=_("Tick if colleagues at the school are not enough for this topic."),
    )

    def __init__(self, *args: Any, skills: Any = (), focus_areas: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for skill in skills:
            groups.setdefault(skill.area.name, []).append((skill.key, skill.name))
        skill_field = self.fields["skills"]
        assert isinstance(skill_field, forms.MultipleChoiceField)
        skill_field.choices = list(groups.items())
        focus_field = self.fields["focus"]
        assert isinstance(focus_field, forms.TypedChoiceField)
        focus_field.choices = [("", _("No focus area"))] + [(f.pk, f.title) for f in focus_areas]


class RespondForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Your response"), choices=Response.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Comment or question"),
        max_length=RESPONSE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


DECISIONS = [
    (Decision.Kind.NOW.value, Decision.Kind.NOW.label),
    (Decision.Kind.LATER.value, Decision.Kind.LATER.label),
    (Decision.Kind.NOT_NOW.value, Decision.Kind.NOT_NOW.label),
]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (everyone can read it)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


FORMAT_CHOICES = [
    ("group", _("A learning group on a method guide")),
    ("teachmeet", _("A TeachMeet or workshop")),
    ("mentoring", _("A mentoring pair")),
]


class TakeUpForm(forms.Form):
    format = forms.ChoiceField(
        label=_("The topic becomes"), choices=FORMAT_CHOICES, widget=forms.RadioSelect
    )
    guide_slug = forms.ChoiceField(label=_("Method guide (for a learning group)"), required=False)
    mentor_id = forms.TypedChoiceField(
        label=_("Mentor (for a mentoring pair)"), required=False, coerce=int, empty_value=None
    )
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DateInput())
    reason = forms.CharField(
        label=_("Reason (optional, everyone can read it)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, guides: Any = (), mentors: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        guide_field = self.fields["guide_slug"]
        assert isinstance(guide_field, forms.ChoiceField)
        guide_field.choices = list(guides)
        mentor_field = self.fields["mentor_id"]
        assert isinstance(mentor_field, forms.TypedChoiceField)
        mentor_field.choices = [("", _("Choose a mentor"))] + [(p.pk, str(p)) for p in mentors]


class ExpertForm(forms.Form):
    note = forms.CharField(
        label=_("Who was brought in"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WeightsForm(forms.Form):
    def __init__(self, *args: Any, weights: core.Weights, language: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for criterion in weights.criteria:
            self.fields[criterion.key] = forms.IntegerField(
                label=criterion.title.get(language, criterion.title["sv"]),
                min_value=0,
                max_value=core.MAX_WEIGHT,
                initial=criterion.weight,
            )

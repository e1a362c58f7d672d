"""The fast choice widgets (kollegium/core/widgets.py) render exactly Django's markup."""

import pytest
from django import forms

from kollegium.core import widgets

CHOICES = [
    ("", "– none –"),
    ("a", "Alpha & <b>"),
    ("Group “one”", [("b", "Beta"), ("c", 'Gamma "quoted"')]),
    ("d", "Delta"),
]


def rendered(widget, name, value, attrs=None, choices=CHOICES):
    widget.choices = choices
    return widget.render(name, value, attrs=attrs)


@pytest.mark.parametrize(
    ("fast", "django"),
    [
        (widgets.Select, forms.Select),
        (widgets.SelectMultiple, forms.SelectMultiple),
        (widgets.CheckboxSelectMultiple, forms.CheckboxSelectMultiple),
        (widgets.RadioSelect, forms.RadioSelect),
    ],
)
@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, None),
        ("b", {"id": "id_x"}),
        (["a", "c"], {"id": "id_x", "class": "wide", "required": True, "size": 8}),
        ("d", {"aria-describedby": "x_help", "disabled": False}),
    ],
)
def test_the_fast_widgets_render_exactly_djangos_markup(fast, django, value, attrs):
    mine = rendered(fast(), "field", value, attrs)
    theirs = rendered(django(), "field", value, attrs)
    assert mine == theirs
    assert "<b>" not in mine  # labels are escaped, as Django's are


def test_the_fast_widgets_render_model_choices_as_django_does(db, world):
    from kollegium.organisations.models import Subject

    field = forms.ModelMultipleChoiceField(queryset=Subject.objects.all())
    chosen = list(Subject.objects.values_list("pk", flat=True)[:2])
    for fast, django in [
        (widgets.SelectMultiple, forms.SelectMultiple),
        (widgets.CheckboxSelectMultiple, forms.CheckboxSelectMultiple),
    ]:
        mine, theirs = fast(), django()
        mine.choices = theirs.choices = field.choices
        assert mine.render("subjects", chosen, {"id": "id_subjects"}) == theirs.render(
            "subjects", chosen, {"id": "id_subjects"}
        )


@pytest.mark.parametrize(
    ("fast", "django"),
    [
        (widgets.CheckboxSelectMultiple, forms.CheckboxSelectMultiple),
        (widgets.RadioSelect, forms.RadioSelect),
    ],
)
def test_each_choice_of_a_list_renders_as_djangos(fast, django):
    """core/form_fields.html renders a checkbox or radio list choice by choice."""

    def choices(widget):
        class Form(forms.Form):
            field = forms.MultipleChoiceField(choices=CHOICES[1:], widget=widget)

        bound = Form(initial={"field": ["b"]})["field"]
        return [(str(c.tag()), str(c), c.id_for_label, c.choice_label) for c in bound]

    assert choices(fast) == choices(django)

"""A number no id column can hold, in `__in` and in a multiple-choice form field (issue 10's
bad-input sweep found 500s on SQLite: subjects, stages, round participants, collection items)."""

import pytest
from django import forms

from kollegium.organisations.models import Subject

pytestmark = pytest.mark.django_db

HUGE = 98765432109876543210  # 20 digits: more than a 64-bit id


def test_a_huge_number_in_an_id_list_matches_nothing():
    subject = Subject.objects.create(code="ZZ", name_sv="Ämne", name_en="Subject")
    assert list(Subject.objects.filter(pk__in=[HUGE])) == []
    assert list(Subject.objects.filter(pk__in=[HUGE, subject.pk])) == [subject]
    assert Subject.objects.exclude(pk__in=[HUGE]).filter(pk=subject.pk).exists()
    assert list(Subject.objects.filter(pk__in=[-HUGE, str(HUGE)])) == []


def test_a_multiple_choice_form_field_refuses_a_huge_id_instead_of_crashing():
    class SubjectsForm(forms.Form):
        subjects = forms.ModelMultipleChoiceField(queryset=Subject.objects.all())

    form = SubjectsForm(data={"subjects": [str(HUGE)]})
    assert not form.is_valid()
    assert "subjects" in form.errors

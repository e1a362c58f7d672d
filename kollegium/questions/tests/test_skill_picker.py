"""The ask form's skill picker degrades to the native multi-select: the page carries the
select with the picker's translated texts, and the select alone posts the chosen skills."""

import pytest
from django.urls import reverse

from kollegium.competence.models import Skill
from kollegium.questions.models import Question

pytestmark = pytest.mark.django_db


def test_the_ask_page_marks_the_select_for_the_picker_in_swedish(client_for, bob):
    page = client_for(bob).get(reverse("questions:ask")).content.decode()
    assert "questions/skill_picker" in page and ".js" in page
    assert 'name="skills"' in page and "data-picker" in page
    assert 'data-search-label="Sök bland kompetenserna' in page
    assert 'data-chosen-label="Valda:"' in page


def test_without_javascript_the_select_posts_the_skills(client_for, bob):
    keys = ["assessment.formative", "literacy.early_reading"]
    response = client_for(bob).post(
        reverse("questions:ask"),
        {"title": "Hur börjar jag med exit tickets?", "skills": keys, "visibility": "school"},
    )
    assert response.status_code == 302
    assert {s.key for s in Question.objects.get().skills.all()} == set(keys)
    assert Skill.objects.filter(key__in=keys).count() == 2

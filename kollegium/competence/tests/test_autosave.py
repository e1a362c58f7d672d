"""The profile saves every change: the row's save also updates its area's counter."""

import pytest
from django.urls import reverse

from kollegium.competence.models import Skill, SkillLevel

pytestmark = pytest.mark.django_db


def test_a_saved_row_brings_the_areas_new_counter(client_for, bob):
    SkillLevel.objects.create(user=bob, skill=Skill.objects.get(key="assessment.feedback"), level=2)
    formative = Skill.objects.get(key="assessment.formative")
    response = client_for(bob).post(
        reverse("competence:level_save", args=[formative.pk]),
        {"level": "3"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert f'id="area-count-{formative.area.key}" hx-swap-oob="true">(2 ifyllda)' in text


def test_a_removed_level_lowers_the_counter(client_for, bob):
    formative = Skill.objects.get(key="assessment.formative")
    SkillLevel.objects.create(user=bob, skill=formative, level=2)
    response = client_for(bob).post(
        reverse("competence:level_save", args=[formative.pk]),
        {"level": ""},
        headers={"HX-Request": "true"},
    )
    assert f'id="area-count-{formative.area.key}" hx-swap-oob="true">(0 ifyllda)' in (
        response.content.decode()
    )


def test_the_profile_names_each_areas_counter_and_loads_the_autosave(client_for, bob):
    page = client_for(bob).get(reverse("competence:profile")).content.decode()
    assert 'id="area-count-assessment"' in page
    assert "competence/profile" in page and "profile.js" in page
    assert 'data-undo="Ångra"' in page

"""'Who can help': the level shown once per result, and colleagues still learning it marked
and ranked after those who are confident."""

import re

import pytest
from django.urls import reverse

from kollegium.competence.models import Skill, SkillLevel
from kollegium.core.testing.factories import teacher_at
from kollegium.organisations.models import Role

pytestmark = pytest.mark.django_db


def help_page(client, key="assessment.formative"):
    return client.get(reverse("competence:help"), {"skill": key}).content.decode()


def test_the_level_is_shown_once_per_result(client_for, world):
    formative = Skill.objects.get(key="assessment.formative")
    SkillLevel.objects.create(user=world.carol, skill=formative, level=4, willing_to_share=True)
    page = help_page(client_for(world.bob))
    assert page.count("nivå 4") == 1
    assert "Formativ bedömning: nivå 4 (kan handleda andra)" in page
    assert "Formativ bedömning: 4<" not in page


def test_a_colleague_still_learning_it_is_marked_and_comes_last(client_for, world):
    formative = Skill.objects.get(key="assessment.formative")
    # Carol is in Bob's team, willing and endorsed: more points than Alice, but practising.
    SkillLevel.objects.create(user=world.carol, skill=formative, level=2, willing_to_share=True)
    SkillLevel.objects.create(user=world.alice, skill=formative, level=3)
    page = help_page(client_for(world.bob))
    names = re.findall(r"<strong>(Alice Andersson|Carol Chen)</strong>", page)
    assert names == ["Alice Andersson", "Carol Chen"]
    assert page.count("Lär sig också själv:") == 1
    carol = page[page.index("Carol Chen") :]
    assert "Lär sig också själv:" in carol


def test_the_english_page_says_so_in_english(client_for, world):
    formative = Skill.objects.get(key="assessment.formative")
    SkillLevel.objects.create(user=world.carol, skill=formative, level=2)
    world.bob.preferred_language = "en"
    world.bob.save()
    c = client_for(world.bob)
    page = c.get(reverse("competence:help"), {"skill": formative.key}, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert 'lang="en"' in text
    assert "Still learning it too:" in text
    assert "Formative assessment: level 2 (practising)" in text


def test_a_new_colleague_still_learning_does_not_hide_confident_ones(client_for, world):
    formative = Skill.objects.get(key="assessment.formative")
    learner = teacher_at(world.school_a, Role.TEACHER, full_name="Lena Lind")
    SkillLevel.objects.create(user=learner, skill=formative, level=2, willing_to_share=True)
    SkillLevel.objects.create(user=world.carol, skill=formative, level=3)
    page = help_page(client_for(world.bob))
    assert page.index("Carol Chen") < page.index("Lena Lind")

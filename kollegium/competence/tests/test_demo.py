import pytest
from django.urls import reverse

from kollegium.competence import demo as competence_demo
from kollegium.competence.models import FocusSkill, SkillLevel
from kollegium.organisations.demo import create_demo
from kollegium.questions import demo as questions_demo
from kollegium.questions.models import Question

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_competence_map_and_asks_a_few_questions(client_for):
    demo = create_demo()
    competence_demo.load_demo(demo)
    questions_demo.load_demo(demo)
    assert SkillLevel.objects.filter(user__memberships__school=demo.school_a).count() > 30
    assert FocusSkill.objects.filter(focus__school=demo.school_a).count() >= 6
    assert Question.objects.filter(school=demo.school_a, is_anonymous=True).count() == 1
    alice = client_for(demo.people["alice"])
    page = alice.get(reverse("competence:coverage", args=[demo.school_a.pk]))
    assert page.status_code == 200
    assert "Carol Chen" in page.content.decode()

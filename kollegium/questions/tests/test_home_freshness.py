"""The kept home page follows questions routed to the person, and never marks an asker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.competence import services as competence
from kollegium.competence.models import Skill
from kollegium.core.models import HomeVersion
from kollegium.questions import services
from kollegium.questions.models import Routing

pytestmark = pytest.mark.django_db
TITLE = "Hur gör ni exit tickets i åk 4?"


def formative():
    return Skill.objects.get(key="assessment.formative")


def test_a_routed_question_appears_and_goes_when_an_answer_is_accepted(client_for, world):
    competence.skill_level_set(actor=world.carol, skill=formative(), level=4, willing_to_share=True)
    carol = client_for(world.carol)
    assert TITLE not in carol.get("/").content.decode()
    question, _token = services.question_ask(
        actor=world.bob, school=world.school_a, title=TITLE, skills=[formative()]
    )
    assert TITLE in carol.get("/").content.decode()
    answer = services.answer_post(
        actor=world.carol, question=question, body="Tre frågor på en lapp."
    )
    services.answer_accept(actor=world.bob, question=question, answer=answer)
    assert TITLE not in carol.get("/").content.decode()


def test_an_anonymous_question_raises_no_version_of_its_asker(world):
    for helper in (world.carol, world.alice):
        competence.skill_level_set(actor=helper, skill=formative(), level=4, willing_to_share=True)

    def versions():
        return dict(HomeVersion.objects.values_list("user_id", "version"))

    before = versions()
    services.question_ask(
        actor=world.bob, school=world.school_a, title=TITLE, skills=[formative()], anonymous=True
    )
    # Asking changes nobody's home page: a raised version would date the question.
    assert versions() == before
    services.questions_route_waiting(now=timezone.now() + timedelta(hours=1))
    after = versions()
    routed = Routing.objects.get().recipient_id
    assert after[routed] > before[routed]
    assert after[world.bob.pk] == before[world.bob.pk]

"""Question pages: access for the personas and constant query counts."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kollegium.competence.models import Skill
from kollegium.core.testing.factories import teacher_at
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.organisations.models import Role
from kollegium.questions import services
from kollegium.questions.models import Question

pytestmark = pytest.mark.django_db
_serial = itertools.count()


def ask(world, **kw):
    values = {
        "title": "Hur gör ni exit tickets?",
        "skills": [Skill.objects.get(key="assessment.formative")],
    }
    values.update(kw)
    question, _token = services.question_ask(actor=world.bob, school=world.school_a, **values)
    if question.awaits_routing:  # the hourly batch, as if the hour had ended
        services.questions_route_waiting(now=timezone.now() + timedelta(hours=1))
        question.refresh_from_db()
    return question


def test_pages_need_sign_in(client, world):
    question = ask(world)
    for url in [
        reverse("questions:list"),
        reverse("questions:ask"),
        reverse("questions:follow"),
        reverse("questions:detail", args=[question.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_dave_gets_404_for_school_a_questions_and_cannot_act_on_them(client_for, world):
    question = ask(world, title="Hemlig skolfråga")
    answer = services.answer_post(actor=world.carol, question=question, body="Svar")
    dave = client_for(world.dave)
    assert dave.get(reverse("questions:detail", args=[question.pk])).status_code == 404
    assert "Hemlig skolfråga" not in dave.get(reverse("questions:list")).content.decode()
    for url in [
        reverse("questions:answer", args=[question.pk]),
        reverse("questions:helpful", args=[question.pk, answer.pk]),
        reverse("questions:accept", args=[question.pk, answer.pk]),
        reverse("questions:publish", args=[question.pk]),
    ]:
        assert dave.post(url, {"body": "x"}).status_code == 404, url


def test_dave_sees_and_answers_a_network_question(client_for, world):
    question = ask(world, title="Nätverksfråga", visibility="network")
    dave = client_for(world.dave)
    assert dave.get(reverse("questions:detail", args=[question.pk])).status_code == 200
    dave.post(reverse("questions:answer", args=[question.pk]), {"body": "Så här gör vi"})
    assert question.answers.get().author == world.dave


def test_a_teacher_asks_an_answer_is_marked_helpful_and_accepted(client_for, world):
    bob, carol = client_for(world.bob), client_for(world.carol)
    response = bob.post(
        reverse("questions:ask"),
        {
            "title": "Hur startar jag boksamtal?",
            "skills": ["literacy.book_talks"],
            "visibility": "school",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302
    carol.post(reverse("questions:answer", args=[question.pk]), {"body": "Med korta texter."})
    answer = question.answers.get()
    client_for(world.alice).post(reverse("questions:helpful", args=[question.pk, answer.pk]))
    bob.post(reverse("questions:accept", args=[question.pk, answer.pk]))
    question.refresh_from_db()
    assert question.accepted_answer == answer
    assert answer.helpful_marks.count() == 1


def test_an_empty_question_or_answer_gets_a_message_and_saves_nothing(client_for, world):
    bob = client_for(world.bob)
    response = bob.post(reverse("questions:ask"), {"title": "", "visibility": "school"})
    assert response.status_code == 200 and not Question.objects.exists()
    question = ask(world)
    response = client_for(world.carol).post(
        reverse("questions:answer", args=[question.pk]), {"body": "  "}
    )
    assert response.status_code == 422 and not question.answers.exists()


def test_someone_else_cannot_accept(client_for, world):
    question = ask(world)
    answer = services.answer_post(actor=world.carol, question=question, body="Svar")
    response = client_for(world.alice).post(
        reverse("questions:accept", args=[question.pk, answer.pk])
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.accepted_answer is None


def _grow(world):
    for _ in range(4):
        person = teacher_at(world.school_a, Role.TEACHER, email=f"q{next(_serial)}@a.example")
        question = ask(world, title=f"Fråga {next(_serial)}", anonymous=True)
        services.answer_post(actor=person, question=question, body="Svar")
        services.answer_post(actor=person, question=ask(world), body="Svar")


def test_the_question_pages_run_a_constant_number_of_queries(client_for, world):
    question = ask(world)
    services.answer_post(actor=world.carol, question=question, body="Svar")
    c = client_for(world.bob)
    for url in [reverse("questions:list"), reverse("questions:detail", args=[question.pk])]:
        assert_constant_queries(lambda url=url: c.get(url), grow=lambda: _grow(world))


def test_detail_runs_constant_queries_as_answers_grow(client_for, world):
    question = ask(world)
    c = client_for(world.alice)

    def more_answers():
        for _ in range(5):
            person = teacher_at(world.school_a, Role.TEACHER, email=f"a{next(_serial)}@a.example")
            services.answer_post(actor=person, question=question, body="Svar")

    assert_constant_queries(
        lambda: c.get(reverse("questions:detail", args=[question.pk])), grow=more_answers
    )


def test_the_ask_and_follow_pages_run_a_constant_number_of_queries(client_for, world):
    c = client_for(world.bob)
    for url in [reverse("questions:ask"), reverse("questions:follow")]:
        assert_constant_queries(lambda url=url: c.get(url), grow=lambda: _grow(world))


def test_the_home_page_lists_questions_routed_to_me_and_what_only_i_know(client_for, world):
    from kollegium.competence.models import SkillLevel

    SkillLevel.objects.create(
        user=world.carol,
        skill=Skill.objects.get(key="assessment.formative"),
        level=4,
        willing_to_share=True,
    )
    ask(world, title="Hur gör ni exit tickets i åk 4?")
    home = client_for(world.carol).get("/").content.decode()
    assert "Hur gör ni exit tickets i åk 4?" in home
    assert "Formativ bedömning" in home
    assert "Hur gör ni exit tickets" not in client_for(world.dave).get("/").content.decode()

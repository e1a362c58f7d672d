"""The question page's buttons: mark helpful, accept (by account or by private code), publish;
and the ask form's two endings (a private code page for an anonymous question)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from kollegium.competence.models import Skill
from kollegium.questions import services
from kollegium.questions.models import Question

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _levels(response) -> list[str]:
    return [m.level_tag for m in get_messages(response.wsgi_request)][-1:]


def _ask(world, **kwargs):
    """Asked, and (anonymous) routed by the hourly batch, so colleagues can answer."""
    question, token = services.question_ask(
        actor=world.bob,
        school=world.school_a,
        title="Hur gör ni exit tickets i åk 4?",
        skills=[Skill.objects.get(key="assessment.formative")],
        **kwargs,
    )
    services.questions_route_waiting(now=timezone.now() + timedelta(hours=1))
    question.refresh_from_db()
    return question, token


def test_a_named_question_goes_to_its_page_with_a_message(client_for, world):
    response = client_for(world.bob).post(
        reverse("questions:ask"),
        {"title": "Hur börjar ni lektionen?", "body": "", "visibility": "school"},
    )
    question = Question.objects.get()
    assert response["Location"] == reverse("questions:detail", args=[question.pk])
    assert _levels(response) == ["success"]


def test_an_anonymous_question_shows_its_private_code_once_and_no_message(client_for, world):
    response = client_for(world.bob).post(
        reverse("questions:ask"),
        {
            "title": "Hur börjar ni lektionen?",
            "body": "",
            "visibility": "school",
            "anonymous": "on",
        },
    )
    assert response.status_code == 200
    assert response.templates[0].name == "questions/asked.html"
    assert response.context["token"]
    assert _levels(response) == []


def test_a_colleague_marks_an_answer_helpful_and_the_anonymous_asker_is_refused(client_for, world):
    question, _token = _ask(world, anonymous=True)
    answer = services.answer_post(actor=world.carol, question=question, body="Tre frågor.")
    url = reverse("questions:helpful", args=[question.pk, answer.pk])
    back = reverse("questions:detail", args=[question.pk])
    response = client_for(world.alice).post(url)
    assert response["Location"] == back
    response = client_for(world.bob).post(url)
    assert response["Location"] == back and _levels(response) == ["error"]
    assert list(answer.helpful_marks.values_list("user_id", flat=True)) == [world.alice.pk]


def test_the_anonymous_asker_accepts_with_the_private_code_and_stays_on_the_page(client_for, world):
    question, token = _ask(world, anonymous=True)
    answer = services.answer_post(actor=world.carol, question=question, body="Tre frågor.")
    response = client_for(world.alice).post(
        reverse("questions:accept", args=[question.pk, answer.pk]), {"token": token}
    )
    assert response.status_code == 200 and response.context["token"] == token
    assert Question.objects.get(pk=question.pk).accepted_answer == answer


def test_only_the_asker_may_accept(client_for, world):
    question, _token = _ask(world)
    answer = services.answer_post(actor=world.carol, question=question, body="Tre frågor.")
    url = reverse("questions:accept", args=[question.pk, answer.pk])
    assert client_for(world.alice).post(url).status_code == 403
    assert client_for(world.dave).post(url).status_code == 404
    assert client_for(world.bob).post(url)["Location"] == reverse(
        "questions:detail", args=[question.pk]
    )
    assert Question.objects.get(pk=question.pk).accepted_answer == answer


def test_publishing_before_an_answer_is_accepted_is_refused_with_a_message(client_for, world):
    question, _token = _ask(world)
    response = client_for(world.bob).post(reverse("questions:publish", args=[question.pk]))
    assert response.status_code == 302 and _levels(response) == ["error"]
    assert Question.objects.get(pk=question.pk).published_item_id is None


@pytest.mark.parametrize("name", ["helpful", "accept"])
def test_dave_and_anonymous_visitors_cannot_press_the_buttons(client, client_for, world, name):
    question, _token = _ask(world)
    answer = services.answer_post(actor=world.carol, question=question, body="Tre frågor.")
    url = reverse(f"questions:{name}", args=[question.pk, answer.pk])
    assert client_for(world.dave).post(url).status_code == 404
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    answer.refresh_from_db()
    assert not answer.helpful_marks.exists()
    assert Question.objects.get(pk=question.pk).accepted_answer is None

"""The evidence page's two forms post to their own addresses: a lesson version, a test result."""

import pytest
from django.urls import reverse

from kollegium.groups import services
from kollegium.groups.models import LessonVersion, TestItemResult
from kollegium.groups.tests.helpers import make_group

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def group(world):
    return make_group(world, slug="learning-study")


def _result(lesson, percent="70"):
    return {
        "result-lesson": lesson.pk,
        "result-item": "Uppgift 1",
        "result-pre_percent": "30",
        "result-pre_pupils": "24",
        "result-post_percent": percent,
        "result-post_pupils": "23",
    }


def test_a_member_adds_a_lesson_version_then_its_results(client_for, world, group):
    bob = client_for(world.bob)
    page = reverse("groups:evidence", args=[group.pk])
    response = bob.post(
        reverse("groups:evidence_lesson_add", args=[group.pk]), {"lesson-label": "A"}
    )
    assert response["Location"] == page
    lesson = LessonVersion.objects.get(group=group)
    response = bob.post(reverse("groups:evidence_result_save", args=[group.pk]), _result(lesson))
    assert response["Location"] == page
    assert TestItemResult.objects.get(lesson=lesson).post_percent == 70
    body = bob.get(page).content.decode()
    assert f'action="{reverse("groups:evidence_lesson_add", args=[group.pk])}"' in body
    assert f'action="{reverse("groups:evidence_result_save", args=[group.pk])}"' in body


def test_a_bad_result_shows_the_page_again_with_the_error_and_saves_nothing(
    client_for, world, group
):
    lesson = services.lesson_version_create(actor=world.bob, group=group, label="A")
    response = client_for(world.bob).post(
        reverse("groups:evidence_result_save", args=[group.pk]), _result(lesson, percent="101")
    )
    assert response.status_code == 422
    assert response.context["result_form"].errors
    assert not TestItemResult.objects.exists()


def test_a_result_for_another_groups_lesson_is_refused(client_for, world, group):
    other = make_group(world, slug="learning-study", name="Annan grupp")
    lesson = services.lesson_version_create(actor=world.bob, group=other, label="A")
    response = client_for(world.bob).post(
        reverse("groups:evidence_result_save", args=[group.pk]), _result(lesson)
    )
    assert response.status_code == 422
    assert not TestItemResult.objects.exists()


@pytest.mark.parametrize("name", ["evidence_lesson_add", "evidence_result_save"])
def test_dave_and_anonymous_visitors_cannot_add_evidence(client, client_for, world, group, name):
    lesson = services.lesson_version_create(actor=world.bob, group=group, label="A")
    url = reverse(f"groups:{name}", args=[group.pk])
    data = {"lesson-label": "B", **_result(lesson)}
    assert client_for(world.dave).post(url, data).status_code == 404
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert LessonVersion.objects.filter(group=group).count() == 1
    assert not TestItemResult.objects.exists()


def test_the_page_itself_takes_no_post(client_for, world, group):
    response = client_for(world.bob).post(
        reverse("groups:evidence", args=[group.pk]), {"action": "lesson", "lesson-label": "A"}
    )
    assert response.status_code == 405
    assert not LessonVersion.objects.exists()

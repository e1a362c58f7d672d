"""Bytes that are not UTF-8 in a query string or a form post are refused, not saved as U+FFFD
(issue 10's bad-input sweep: many free-text fields stored the replacement character)."""

import pytest

pytestmark = pytest.mark.django_db

NOT_UTF8 = "%FF%FE%C3("


def test_a_form_post_that_is_not_utf8_is_refused_and_nothing_is_saved(client_for, world):
    from kollegium.organisations.models import DevelopmentFocus

    client = client_for(world.alice)
    response = client.post(
        f"/school/{world.school_a.pk}/focus/",
        data=f"title=L%C3%A4sning{NOT_UTF8}&description=",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "inte UTF-8" in response.content.decode()
    assert not DevelopmentFocus.objects.exists()


def test_a_query_string_that_is_not_utf8_is_refused_in_the_persons_language(client_for, world):
    world.bob.preferred_language = "en"
    world.bob.save()
    response = client_for(world.bob).get(f"/library/?q=bed{NOT_UTF8}")
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()


def test_swedish_and_other_text_in_utf8_passes(client_for, world):
    response = client_for(world.bob).get("/library/?q=bed%C3%B6mning%20%E2%80%93%20%F0%9F%99%82")
    assert response.status_code == 200

"""The one search box (/search/, core's view): the library's kind, through core's registry."""

import pytest

from kollegium.library import services


@pytest.fixture
def shared(world):
    return services.item_create(
        actor=world.bob, school=world.school_a, title="Formativ bedömning i praktiken",
        body="Exit tickets & mål <i>i</i> klassrummet.", visibility="school",
    )  # fmt: skip


def test_bob_finds_his_schools_item_grouped_under_the_library(bob, shared, client_for):
    response = client_for(bob).get("/search/", {"q": "formative assessment"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="search-kind-library"' in body and "Bibliotek" in body
    assert f'href="{shared.get_absolute_url()}"' in body
    assert "<i>i</i>" not in body  # the text is escaped


def test_dave_finds_nothing_of_school_a(dave, shared, client_for):
    body = client_for(dave).get("/search/", {"q": "bedömning"}).content.decode()
    assert shared.get_absolute_url() not in body and "Inget hittades." in body


def test_an_anonymous_visitor_is_sent_to_sign_in(client, shared):
    response = client.get("/search/", {"q": "bedömning"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_as_you_type_only_the_results_are_sent(bob, shared, client_for):
    response = client_for(bob).get("/search/", {"q": "bedöm"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="search-results"') and "<h1>" not in body


@pytest.mark.parametrize("raw", ["", "och", "\"'", "x" * 10_000, "📚", "NEAR(*"])
def test_odd_input_gets_a_page(bob, shared, client_for, raw):
    assert client_for(bob).get("/search/", {"q": raw}).status_code == 200

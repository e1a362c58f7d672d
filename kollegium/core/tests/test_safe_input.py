"""Numbers, return addresses and NUL characters from a request never cause a 500 (issue 10).

Each view test below reproduced a 500 before the shared helpers (kollegium/core/params.py)
and the NUL middleware (kollegium/core/middleware.py) existed. The test client re-raises a
view's exception, so a 500 fails these tests.
"""

import pytest
from django.test import RequestFactory

from kollegium.core.params import MAX_PAGE, get_int, get_ints, get_page, safe_next_url, to_int

HUGE = "99999999999999999999"


def test_to_int_reads_ascii_digits_within_the_id_range_only():
    assert to_int("42") == 42
    assert to_int(" 7 ") == 7
    assert to_int(5) == 5
    for bad in ["", "abc", "4.2", "-3", "²", "１２", HUGE, "0x10", None, True, ["1"], "1" * 5000]:
        assert to_int(bad) is None, bad
    assert to_int("0") is None
    assert to_int("0", minimum=0) == 0
    assert to_int("-3", minimum=-10) == -3
    assert to_int(str(2**63 - 1)) == 2**63 - 1
    assert to_int(str(2**63)) is None


def test_get_int_and_get_ints_read_query_dicts():
    request = RequestFactory().get("/?team=3&skills=1&skills=2&skills=1&bad=x&bad=2")
    assert get_int(request.GET, "team") == 3
    assert get_int(request.GET, "missing", 0) == 0
    assert get_ints(request.GET, "skills") == [1, 2]
    assert get_ints(request.GET, "bad") is None
    assert get_ints(request.GET, "none") == []


def test_get_page_reads_huge_pages_as_far_past_the_end_and_junk_as_the_first():
    def page(value: str) -> int:
        return get_page(RequestFactory().get("/", {"page": value}).GET)

    assert page("3") == 3
    assert page(HUGE) == MAX_PAGE
    assert page("9" * 10000) == MAX_PAGE
    assert page("0") == 1
    assert page("-2") == 1
    assert page("x") == 1
    assert get_page(RequestFactory().get("/").GET) == 1


def test_safe_next_url_keeps_local_addresses_and_falls_back_otherwise():
    request = RequestFactory().get("/")
    assert safe_next_url(request, "/groups/?a=1") == "/groups/?a=1"
    assert safe_next_url(request, "http://testserver/library/") == "http://testserver/library/"
    for bad in [
        "foo",
        "",
        None,
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/a\r\nSet-Cookie: x=1",
        "/a\x00b",
    ]:
        assert safe_next_url(request, bad, "/fallback/") == "/fallback/", bad
    assert safe_next_url(request, "foo", "core:home") == "/"


@pytest.mark.django_db
def test_the_language_switch_with_a_bare_word_as_next_goes_home(client):
    response = client.post("/me/language/", {"language": "en", "next": "foo"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["kollegium_language"].value == "en"


@pytest.mark.django_db
def test_the_language_switch_returns_to_a_page_on_this_site(client):
    response = client.post("/me/language/", {"language": "en", "next": "/about/?x=1"})
    assert response["Location"] == "/about/?x=1"
    response = client.post("/me/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.fixture
def item(world):
    from kollegium.library import services

    return services.item_create(actor=world.bob, school=world.school_a, title="Exit tickets")


@pytest.mark.django_db
def test_a_huge_library_page_number_shows_a_page(client_for, world, item):
    response = client_for(world.bob).get(f"/library/?page={HUGE}")
    assert response.status_code == 200
    assert "Exit tickets" in response.content.decode()


@pytest.mark.django_db
def test_huge_version_numbers_in_an_items_history_are_ignored(client_for, world, item):
    c = client_for(world.bob)
    assert c.get(f"/library/items/{item.pk}/versions/?old={HUGE}&new=1").status_code == 200
    assert c.get(f"/library/items/{item.pk}/versions/?old=1&new={HUGE}").status_code == 200


@pytest.mark.django_db
def test_a_huge_item_number_added_to_a_collection_is_not_found(client_for, world, item):
    from kollegium.library import services

    collection = services.collection_save(
        actor=world.alice, school=world.school_a, title="Start", intro="", item_ids=[item.pk]
    )
    response = client_for(world.alice).post(
        f"/library/collections/{collection.pk}/add/", {"item": HUGE}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_huge_team_or_page_number_on_the_people_page_is_ignored(client_for, world):
    c = client_for(world.alice)
    response = c.get(f"/school/{world.school_a.pk}/people/?team={HUGE}&page={HUGE}")
    assert response.status_code == 200
    response = c.get(f"/school/{world.school_a.pk}/people/?team=²")
    assert response.status_code == 200


@pytest.mark.django_db
def test_switching_school_with_junk_is_not_found(client_for, world):
    c = client_for(world.bob)
    assert c.post("/school/switch/", {"school_id": "x"}).status_code == 404
    assert c.post("/school/switch/", {"school_id": HUGE}).status_code == 404


@pytest.mark.django_db
def test_starting_a_transfer_pair_with_non_numeric_ids_is_not_found(client_for, world):
    c = client_for(world.alice)
    url = f"/competence/school/{world.school_a.pk}/pairs/start/"
    for data in [
        {"skill": "abc", "holder": world.bob.pk, "learner": world.carol.pk},
        {"skill": HUGE, "holder": "x", "learner": "²"},
    ]:
        assert c.post(url, data).status_code == 404


@pytest.mark.django_db
def test_choosing_focus_skills_with_junk_ids_gets_a_message(client_for, world):
    from kollegium.organisations.models import DevelopmentFocus

    focus = DevelopmentFocus.objects.create(school=world.school_a, title="Läsning")
    c = client_for(world.alice)
    url = f"/competence/school/{world.school_a.pk}/focus/{focus.pk}/"
    response = c.post(url, {"skills": ["²"]})
    assert response.status_code == 200
    assert not focus.focus_skills.exists()


@pytest.mark.django_db
def test_a_nul_character_in_the_tried_it_comment_is_refused_and_nothing_is_saved(
    client_for, world, item
):
    from kollegium.library.models import TriedIt

    response = client_for(world.bob).post(
        f"/library/items/{item.pk}/tried/", {"comment": "Det gick bra\x00"}
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert "<html" in response.content.decode()
    assert not TriedIt.objects.exists()


@pytest.mark.django_db
def test_a_nul_character_in_a_search_is_refused_in_the_persons_language(client_for, world):
    world.bob.preferred_language = "en"
    world.bob.save()
    response = client_for(world.bob).get("/library/", {"q": "bed\x00ömning"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "NUL character" in body
    assert '<html lang="en">' in body


@pytest.mark.django_db
def test_a_nul_character_is_refused_in_swedish_by_default(client):
    response = client.get("/accounts/login/", {"next": "/\x00"})
    assert response.status_code == 400
    assert "NUL-tecken" in response.content.decode()


@pytest.mark.django_db
def test_a_csv_level_in_superscript_digits_is_a_line_problem_not_a_crash(world):
    from django.core.exceptions import ValidationError

    from kollegium.competence import services

    text = "skill_key,level,willing_to_share,want_to_learn,evidence\n"
    text += "assessment.formative,²,yes,no,\n"
    with pytest.raises(ValidationError) as caught:
        services.profile_import_csv(actor=world.bob, text=text, school=world.school_a)
    assert "²" in " ".join(caught.value.messages)


@pytest.mark.django_db
@pytest.mark.parametrize("cookie", ["abcdefgh\x00ijkl", "x" * 5000, "ABC-def_123456789"])
def test_a_junk_session_cookie_is_no_session_not_a_crash(client, world, cookie):
    client.cookies["sessionid"] = cookie
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    response = client.get("/")
    assert response.status_code == 302  # to the sign-in page, as for anyone signed out


@pytest.mark.django_db
def test_signing_in_and_out_with_a_bare_word_as_next_lands_on_a_real_page(client, world):
    response = client.post(
        "/accounts/login/?next=foo", {"login": world.bob.email, "password": world.password}
    )
    assert response["Location"] == "/"
    response = client.post("/accounts/logout/", {"next": "foo"})
    assert response["Location"] == "/accounts/login/"
    response = client.post(
        "/accounts/login/?next=/library/", {"login": world.bob.email, "password": world.password}
    )
    assert response["Location"] == "/library/"


def test_a_timetable_file_with_odd_numbers_skips_those_lines_with_a_reason():
    from datetime import date

    from kollegium.scheduling.imports.tabular import parse_csv

    text = "weekday,start,end,subject,group,room,weeks\n"
    text += "²,08:00,09:00,Ma,7A,B12,\n"
    text += f"1,{HUGE}:00,09:00,Ma,7A,B12,\n"
    text += "1,08:00,09:00,Ma,7A,B12,\n"
    result = parse_csv(text.encode(), first=date(2026, 1, 5), last=date(2026, 1, 11))
    assert len(result.skipped) == 2
    assert len(result.entries) == 1


@pytest.mark.django_db
def test_a_collection_with_odd_item_numbers_saves_the_real_ones(client_for, world, item):
    from kollegium.library.models import Collection

    response = client_for(world.alice).post(
        "/library/collections/new/",
        {"title": "Start här", "intro": "", "items": f"²\n{HUGE}\n/library/items/{item.pk}/"},
    )
    assert response.status_code in (200, 302)
    collection = Collection.objects.get(title="Start här")
    assert [e.item_id for e in collection.entries.all()] == [item.pk]

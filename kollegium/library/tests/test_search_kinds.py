"""The one search box's kinds beyond library items (issue 17): answered questions, proven
practice, method guides, groups open to join, colleagues by skill. Each kind: what the right
person must find, what nobody else may (another school's things, members-only groups,
colleagues who keep their skills to their own school), and the page in a constant number of
queries. Runs on both databases (``DATABASE_URL``)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kollegium.competence.models import CompetenceProfile, Skill, SkillLevel
from kollegium.core.registry import search_kinds
from kollegium.core.testing.factories import teacher_at
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.groups import services as group_services
from kollegium.groups.tests.helpers import make_group
from kollegium.library import services as library_services
from kollegium.library.tests.test_search import BAD_INPUT
from kollegium.organisations.models import Role
from kollegium.questions import services as question_services


def _section(body: str, key: str) -> str:
    """The HTML of one kind's group of results ('' when the kind found nothing)."""
    match = re.search(rf'<section[^>]*aria-labelledby="search-kind-{key}".*?</section>', body, re.S)
    return match.group(0) if match else ""


def _search(client, raw: str) -> str:
    response = client.get("/search/", {"q": raw})
    assert response.status_code == 200
    return response.content.decode()


def _answered(world, *, title: str, body: str = "", anonymous: bool = False, **kwargs):
    question, _token = question_services.question_ask(
        actor=world.bob,
        school=world.school_a,
        title=title,
        body=body,
        anonymous=anonymous,
        **kwargs,
    )
    if anonymous:  # shown to colleagues once the hourly batch has routed it
        question_services.questions_route_waiting(now=timezone.now() + timedelta(hours=2))
        question.refresh_from_db()
    question_services.answer_post(actor=world.carol, question=question, body="Tydliga rutiner.")
    return question


# --- answered questions ---------------------------------------------------------------


def test_bob_finds_an_answered_question_by_a_synonym_and_a_definite_form(world, client_for):
    question = _answered(world, title="Hur skapar jag studiero i 7B?")
    url = f'href="/questions/{question.pk}/"'
    for raw in ("arbetsro", "studieron", "studiero"):
        assert url in _section(_search(client_for(world.carol), raw), "questions"), raw


def test_an_unanswered_question_is_not_listed(world, client_for):
    question, _t = question_services.question_ask(
        actor=world.bob, school=world.school_a, title="Studiero i 8A?"
    )
    assert f"/questions/{question.pk}/" not in _search(client_for(world.carol), "studiero")


def test_the_answers_text_is_searched_and_marked(world, client_for):
    question = _answered(world, title="Hur börjar lektionen bäst?")
    section = _section(_search(client_for(world.alice), "rutiner"), "questions")
    assert f"/questions/{question.pk}/" in section and "<mark>rutiner</mark>" in section.lower()


def test_an_anonymous_askers_name_is_never_shown(world, client_for):
    question = _answered(world, title="Hur hanterar jag konflikter i klassen?", anonymous=True)
    section = _section(_search(client_for(world.alice), "konflikter"), "questions")
    assert f"/questions/{question.pk}/" in section
    assert "Bob" not in section


def test_dave_finds_no_school_question_of_school_a_but_a_network_one(world, client_for):
    school_only = _answered(world, title="Bråk på tallinjen i åk 4")
    shared = _answered(world, title="Bråk med konkret material", visibility="network")
    section = _section(_search(client_for(world.dave), "bråk"), "questions")
    assert f"/questions/{school_only.pk}/" not in section
    assert f"/questions/{shared.pk}/" in section


# --- proven practice --------------------------------------------------------------------


def test_proven_practice_is_a_kind_of_its_own(world, client_for):
    conclusion = library_services.item_create(
        actor=world.carol,
        school=world.school_a,
        title="Exit tickets höjde måluppfyllelsen",
        body="Vi prövade exit tickets i tre klasser.",
        item_type="proven_practice",
    )
    tip = library_services.item_create(
        actor=world.carol, school=world.school_a, title="Exit tickets på fem minuter"
    )
    body = _search(client_for(world.bob), "exit tickets")
    practice, library = _section(body, "proven_practice"), _section(body, "library")
    assert (
        conclusion.get_absolute_url() in practice and conclusion.get_absolute_url() not in library
    )
    assert tip.get_absolute_url() in library and tip.get_absolute_url() not in practice
    dave = _search(client_for(world.dave), "exit tickets")
    assert conclusion.get_absolute_url() not in dave and tip.get_absolute_url() not in dave


# --- method guides ----------------------------------------------------------------------


def test_method_guides_are_found_by_their_words_and_compounds(world, client_for):
    client = client_for(world.bob)
    assert "/groups/guides/lesson-study/" in _section(_search(client, "lesson study"), "guides")
    # "handledning" is a part of "grupphandledning"
    found = _section(_search(client, "handledning"), "guides")
    assert "/groups/guides/group-supervision/" in found
    assert "/groups/guides/lesson-study/" not in found


def test_a_schools_adapted_guide_is_found_by_its_school_only(world, client_for):
    base = group_services.shipped_guide("lesson-study")
    source = base.source.replace("sv: Lesson study", "sv: Lektionsstudie Björkmodellen", 1)
    adapted = group_services.guide_adapt(
        actor=world.carol, school=world.school_a, base=base, source=source
    )
    url = f"/groups/guides/school/{adapted.pk}/"
    assert url in _section(_search(client_for(world.bob), "björkmodellen"), "guides")
    assert url not in _search(client_for(world.dave), "björkmodellen")


# --- groups open to join ----------------------------------------------------------------


def test_groups_open_to_everyone_at_the_school_are_found_members_only_ones_never(world, client_for):
    open_group = make_group(
        world, name="Läsförståelse i alla ämnen", members=[], minutes_sharing="school"
    )
    closed = make_group(world, name="Läsförståelse för lärare", members=[])
    mine = make_group(world, name="Läsförståelse åk 1", minutes_sharing="school")
    section = _section(_search(client_for(world.bob), "förståelse"), "open_groups")
    assert f"/groups/{open_group.pk}/" in section
    assert f"/groups/{closed.pk}/" not in section  # members only
    assert f"/groups/{mine.pk}/" not in section  # Bob is in it already
    body = _search(client_for(world.dave), "läsförståelse")
    assert f"/groups/{open_group.pk}/" not in body and f"/groups/{closed.pk}/" not in body


def test_a_group_that_has_ended_is_not_open_to_join(world, client_for):
    today = timezone.localdate()
    ended = make_group(
        world,
        name="Läsförståelse förra året",
        members=[],
        minutes_sharing="school",
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=30),
    )
    assert f"/groups/{ended.pk}/" not in _search(client_for(world.bob), "läsförståelse")


# --- colleagues by skill ----------------------------------------------------------------


@pytest.fixture
def formative(db):
    return Skill.objects.get(key="assessment.formative")


def test_colleagues_are_found_by_skill_in_either_language_without_their_levels(
    world, client_for, formative
):
    SkillLevel.objects.create(user=world.carol, skill=formative, level=4, willing_to_share=True)
    SkillLevel.objects.create(user=world.alice, skill=formative, level=1)  # curious: not asked
    for raw in ("formativ bedömning", "formative assessment", "bedömning"):
        section = _section(_search(client_for(world.bob), raw), "colleagues")
        assert f'href="/competence/people/{world.carol.pk}/"' in section, raw
        assert f"/competence/people/{world.alice.pk}/" not in section
        assert "guide others" not in section and "handleda" not in section  # no level


def test_colleagues_in_the_network_only_if_they_chose_to_show_their_skills(
    world, client_for, formative
):
    SkillLevel.objects.create(user=world.dave, skill=formative, level=3)
    url = f"/competence/people/{world.dave.pk}/"
    assert url not in _search(client_for(world.bob), "formativ bedömning")
    CompetenceProfile.objects.create(user=world.dave, visible_in_network=True)
    assert url in _search(client_for(world.bob), "formativ bedömning")


def test_colleagues_are_listed_by_name_not_by_level(world, client_for, formative):
    high = teacher_at(world.school_a, Role.TEACHER, email="o@a.example", full_name="Örjan Ödman")
    low = teacher_at(world.school_a, Role.TEACHER, email="a@a.example", full_name="Anna Ahl")
    SkillLevel.objects.create(user=high, skill=formative, level=4)
    SkillLevel.objects.create(user=low, skill=formative, level=2)
    section = _section(_search(client_for(world.bob), "formativ bedömning"), "colleagues")
    assert section.index(f"/people/{low.pk}/") < section.index(f"/people/{high.pk}/")


# --- every kind: Dave, anonymous, bad input, queries ------------------------------------


@pytest.fixture
def everything(world, formative):
    _answered(world, title="Hur gör jag formativ bedömning i matte?")
    library_services.item_create(
        actor=world.carol,
        school=world.school_a,
        title="Formativ bedömning prövad",
        item_type="proven_practice",
    )
    library_services.item_create(
        actor=world.carol, school=world.school_a, title="Formativ bedömning i praktiken"
    )
    make_group(world, name="Formativ bedömning", members=[], minutes_sharing="school")
    SkillLevel.objects.create(user=world.carol, skill=formative, level=4)
    return world


KINDS = ("questions", "library", "proven_practice", "open_groups", "colleagues")


def test_bob_finds_every_kind(everything, client_for):
    body = _search(client_for(everything.bob), "formativ bedömning")
    assert all(_section(body, key) for key in KINDS), [k for k in KINDS if not _section(body, k)]


def test_dave_finds_no_kind_of_school_a(everything, client_for):
    body = _search(client_for(everything.dave), "formativ bedömning")
    assert not any(_section(body, key) for key in KINDS)


def test_an_anonymous_visitor_is_sent_to_sign_in(everything, client):
    response = client.get("/search/", {"q": "formativ bedömning"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("raw", BAD_INPUT)
def test_bad_input_gets_an_answer_from_every_kind_never_a_500(everything, client_for, raw):
    # Through each kind's own statements, then the page (a NUL byte in a request is refused
    # by the site's request checks, 400, before any kind sees it).
    for kind in search_kinds():
        results, total = kind.search(everything.bob, raw, 5)
        assert total >= len(results)
    response = client_for(everything.bob).get("/search/", {"q": raw})
    assert response.status_code == (400 if "\x00" in raw else 200)
    assert "<script>" not in response.content.decode().split("<main", 1)[-1]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.text(max_size=40))
def test_any_string_runs_through_every_kinds_statements(everything, raw):
    for kind in search_kinds():
        results, total = kind.search(everything.bob, raw, 5)
        assert total >= len(results)


def test_every_kind_the_issue_asks_for_is_registered():
    keys = {kind.key for kind in search_kinds()}
    assert {"library", "proven_practice", "questions", "guides", "open_groups",
            "colleagues"} <= keys  # fmt: skip


def test_the_page_runs_a_constant_number_of_queries(everything, client_for):
    client = client_for(everything.bob)
    n = iter(range(1000))

    def grow() -> None:
        i = next(n)
        _answered(everything, title=f"Formativ bedömning fråga {i}")
        make_group(everything, name=f"Formativ bedömning {i}", members=[], minutes_sharing="school")
        person = teacher_at(everything.school_a, Role.TEACHER, email=f"p{i}@a.example")
        SkillLevel.objects.create(
            user=person, skill=Skill.objects.get(key="assessment.formative"), level=3
        )
        library_services.item_create(
            actor=everything.carol, school=everything.school_a, title=f"Formativ bedömning {i}"
        )

    assert_constant_queries(lambda: client.get("/search/", {"q": "formativ bedömning"}), grow=grow)


def test_the_search_box_loads_only_the_library_items_it_shows(world):
    """The box shows five per kind: only those are loaded and highlighted (a library page
    loads twenty); the total still counts them all."""
    from kollegium.library.selectors import Filters, search_items

    for i in range(8):
        library_services.item_create(actor=world.carol, school=world.school_a, title=f"Exit {i}")
    page = search_items(user=world.bob, raw="exit", filters=Filters(), per_page=5)
    assert len(page.hits) == 5 and page.total == 8
    kind = next(k for k in search_kinds() if k.key == "library")
    results, total = kind.search(world.bob, "exit", 5)
    assert len(results) == 5 and total == 8

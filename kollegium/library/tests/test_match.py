"""The library's search rules applied to short texts in Python (match.py, pure: no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kollegium.library.match import LEVELS, TextMatch


def level(raw: str, title: str, body: str = "", language: str = "sv") -> str | None:
    found = TextMatch(raw).rank(title, body, language)
    return None if found is None else LEVELS[found]


def test_levels_follow_the_index_exact_stem_part_beginning_anywhere():
    assert level("bedömning", "Formativ bedömning") == "exact"
    assert level("bedömningen", "Formativ bedömning") == "stem"
    assert level("bedömning", "Kamratbedömning i åk 4") == "part"
    assert level("läs", "Läskiga berättelser") == "title"
    assert level("bedömning", "Exit tickets", "Ett sätt att göra bedömning") == "anywhere"
    assert level("exit bedömning", "Exit tickets", "bedömning") == "some"
    assert level("bedömning", "Läsning", "om läsning") is None


def test_base_forms_synonyms_and_the_other_language_match():
    assert level("studieron", "Studiero i 7B") is not None
    assert level("läste", "Vi läser tillsammans") is not None
    assert level("arbetsro", "Studiero i 7B") is not None
    assert level("reading comprehension", "Läsförståelse i alla ämnen") is not None


def test_a_phrase_matches_only_words_in_a_row():
    assert level('"formativ bedömning"', "Formativ bedömning i praktiken") == "exact"
    assert level('"formativ bedömning"', "Bedömning, formativ") is None


@pytest.mark.parametrize("raw", ["", "och", "!!!", '"', "📚"])
def test_nothing_searchable_matches_nothing_and_narrows_to_nothing(raw):
    match = TextMatch(raw)
    assert match.rank("och bedömning", "och") is None and match.needles == ()


def test_each_word_group_has_beginnings_a_matching_text_contains():
    needles = TextMatch("kamratbedömning läste").needles
    assert len(needles) == 2
    assert any(n in "kamratbedömningar" for n in needles[0])
    assert any(n in "läser" for n in needles[1])


def test_hits_are_marked_in_safe_html():
    marked = TextMatch("bedömning").highlight("<b>Formativ</b> bedömning", in_title=True)
    assert "<mark>bedömning</mark>" in marked and "<b>" not in marked


@given(st.text(max_size=60), st.text(max_size=60))
def test_any_text_and_query_never_raise(raw, title):
    match = TextMatch(raw)
    match.rank(title, title)
    match.highlight(title)
    assert all(all(n == n.lower() for n in group) for group in match.needles)

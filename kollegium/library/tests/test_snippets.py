from hypothesis import given, settings
from hypothesis import strategies as st

from kollegium.library import query, snippets

_SPACES = list("ab åä\n\t\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u202f\u3000\u200b")


def test_matching_inflections_are_marked():
    html = snippets.snippet("Bedömningar och bedömningen i skolan.", "sv", query.parse("bedömning"))
    assert html == "<mark>Bedömningar</mark> och <mark>bedömningen</mark> i skolan."


def test_the_snippet_is_escaped_except_for_its_marks():
    html = snippets.snippet('<script>alert("läs")</script> läsa', "sv", query.parse("läsa"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>läsa</mark>" in html


def test_a_long_text_is_cut_around_the_hits():
    words = ["ord"] * 100 + ["läsförståelse"] + ["ord"] * 100
    html = snippets.snippet(" ".join(words), "sv", query.parse("läsförståelse"), words=10)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>läsförståelse</mark>" in html
    assert html.count("ord") < 20


def test_an_empty_query_gives_the_start_of_the_text():
    assert snippets.snippet("Ett två tre", "sv", query.EMPTY) == "Ett två tre"


def test_a_title_marks_longer_words_a_text_the_words_own_forms_and_compounds():
    parsed = query.parse("bedömning")
    title = snippets.snippet("Bedömningsstöd och bedömningen", "sv", parsed, in_title=True)
    text = snippets.snippet("Bedömningsstöd och bedömningen", "sv", parsed)
    assert title == "<mark>Bedömningsstöd</mark> och <mark>bedömningen</mark>"
    assert text == "<mark>Bedömningsstöd</mark> och <mark>bedömningen</mark>"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SPACES), max_size=30) | st.text(max_size=60))
def test_spacing_is_left_alone_only_where_splitting_would_not_change_it(plain):
    """The snippet's fast path (no split of a text already single-spaced) gives exactly
    what splitting gives, for every kind of whitespace."""
    assert snippets._spaced(plain) == " ".join(plain.split())


def test_a_text_with_line_breaks_and_double_spaces_is_spaced_singly():
    html = snippets.snippet("Läsa\n\nmer  om  läsning.\t", "sv", query.parse("läsning"))
    assert html == "Läsa mer om <mark>läsning</mark>."

from kollegium.library import query, snippets


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

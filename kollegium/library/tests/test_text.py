from kollegium.library import text


def test_it_keeps_swedish_letters_and_folds_case():
    assert text.normalise("ÅÄÖ Läsförståelse") == "åäö läsförståelse"


def test_it_composes_decomposed_letters_to_nfc():
    decomposed = "la\u0308sfo\u0308rsta\u030aelse"  # a + combining diaeresis, etc.
    assert text.normalise(decomposed) == "läsförståelse"


def test_it_splits_tokens_on_punctuation_and_underscores():
    assert text.tokens("E-post, lärar_rum! 2024 års plan.") == [
        "e",
        "post",
        "lärar",
        "rum",
        "2024",
        "års",
        "plan",
    ]


def test_swedish_inflections_of_bedomning_share_one_stem():
    forms = ["bedömning", "bedömningar", "bedömningen", "bedömningarna"]
    assert {text.stem(f, "sv") for f in forms} == {"bedömning"}


def test_laesfoerstaaelse_keeps_its_stem_in_all_forms():
    forms = ["läsförståelse", "läsförståelsen", "Läsförståelsens"]
    assert {text.stem(text.normalise(f), "sv") for f in forms} == {"läsförstå"}


def test_english_inflections_share_one_stem():
    assert {text.stem(f, "en") for f in ["assessment", "assessments"]} == {"assess"}
    assert {text.stem(f, "en") for f in ["reading", "reads", "read"]} == {"read"}


def test_shadow_text_drops_stop_words_of_the_documents_language():
    # "skolan" is the definite form of the dictionary's "skola" (lexicon.base_form).
    assert text.shadow_text(["Bedömningar och lärande i skolan"], "sv") == "bedömning lär skol"
    assert text.shadow_text(["The assessments of reading"], "en") == "assess read"


def test_a_query_token_gets_swedish_and_english_stems():
    assert text.query_stems("assessments") == ("assessment", "assess")
    assert text.query_stems("bedömningar") == ("bedömning", "bedömningar")


def test_a_query_word_that_is_a_stop_word_of_the_querys_language_has_no_stems():
    assert text.query_stems("i") == ()
    assert text.query_stems("och") == ()
    assert text.query_stems("the", "en") == ()


def test_a_stop_word_of_the_other_language_is_searched_in_this_one():
    # "is" is ice in Swedish: searched with its Swedish stem only.
    assert text.query_stems("is") == ("is",)
    assert text.query_stems("och", "en") == ("och",)  # in an English query, a word


def test_compounds_are_split_with_the_swedish_dictionary():
    assert text.word_info("kamratbedömningar", "sv").parts[-1] == "bedömning"
    assert "bedömning" in text.word_info("självbedömning", "sv").parts
    assert "läs" in text.word_info("läsförståelse", "sv").parts
    assert text.word_info("läskiga", "sv").parts == ()  # not "läs" + anything
    assert text.word_info("bråkiga", "sv").parts == ()


def test_definite_and_past_forms_meet_their_base_form():
    sv = lambda w: text.word_info(w, "sv").stem  # noqa: E731
    assert sv("studieron") == sv("studiero")
    assert sv("idén") == sv("idé")
    assert sv("läste") == sv("läsa") == sv("läser")


def test_a_tsvector_literal_needs_no_parser_and_keeps_the_case_python_gave():
    indexed = text.index_text("Återkoppling: 3/4", "https://skolverket.se", "sv")
    title, words = text.pg_vectors(indexed, "zi616c6c", "_")
    assert "'återkoppling':1" in title and "'3':2" in title and "'4':3" in title
    assert "'=återkoppling'" in title
    assert "'https':5" in words and "'skolverket':6" in words and "'_zi616c6c'" in words


def test_unknown_language_is_refused():
    import pytest

    with pytest.raises(ValueError):
        text.stem("x", "de")

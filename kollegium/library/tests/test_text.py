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
    assert text.shadow_text(["Bedömningar och lärande i skolan"], "sv") == "bedömning lär skolan"
    assert text.shadow_text(["The assessments of reading"], "en") == "assess read"


def test_a_query_token_gets_swedish_and_english_stems():
    assert text.query_stems("assessments") == ("assessment", "assess")
    assert text.query_stems("bedömningar") == ("bedömning", "bedömningar")


def test_a_query_word_that_is_a_stop_word_in_either_language_has_no_stems():
    assert text.query_stems("i") == ()
    assert text.query_stems("och") == ()
    assert text.query_stems("the") == ()


def test_unknown_language_is_refused():
    import pytest

    with pytest.raises(ValueError):
        text.stem("x", "de")

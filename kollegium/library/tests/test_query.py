import sqlite3
from importlib import import_module

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kollegium.library import access, query
from kollegium.library import search as backend

#: The real FTS5 table (migration 0006) and rows (``search.shadow_row``), in memory.
SCHEMA = import_module("kollegium.library.migrations.0006_search_one_pipeline")


@pytest.fixture(scope="module")
def fts():
    db = sqlite3.connect(":memory:")
    db.execute(SCHEMA.SQLITE_CREATE)
    docs = [
        ("Bedömningar i praktiken", "Formativ bedömning och återkoppling", "sv"),
        ("Läsförståelse", "Strategier för läsförståelsen i årskurs 4", "sv"),
        ("Bedömningsstöd", "Stöd för bedömningen av elevernas texter", "sv"),
        ("Assessment for learning", "Formative assessments and reading", "en"),
        ("Om texter", "Läsloggar och bedömningsmatriser i åk 4", "sv"),
    ]
    for i, (title, body, lang) in enumerate(docs, start=1):
        db.execute(
            backend._INSERT_ROW.replace("%s", "?"),
            (i, *backend.shadow_row(title, body, lang), ACL),
        )
    yield db
    db.close()


SEARCHER = access.Searcher(user_id=1, school_ids=(1,), network_school_ids=(1, 2), group_ids=())
ACL = access.item_tokens(
    access.ItemFacts(visibility="school", school_id=1, group_id=None, author_ids=(1,),
                     item_type="tip", language="sv")
)  # fmt: skip


def search(db, raw):
    """The expressions the SQLite backend sends (``search.fts5_expressions``): all matches,
    checked against the relevance levels, which must split them without overlap."""
    parsed = query.parse(raw)
    if parsed.is_empty:
        return []
    every, levels = backend.fts5_expressions(
        parsed, access.fts5_access_clause(SEARCHER, access.FilterFacts())
    )
    sql = "SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY rowid"
    found = [r[0] for r in db.execute(sql.replace("doc", "library_itemsearch"), (every,))]
    by_level = [
        r[0] for level in levels
        for r in db.execute(sql.replace("doc", "library_itemsearch"), (level,))
    ]  # fmt: skip
    assert sorted(by_level) == found
    return found


def ranked(db, raw):
    """Ids by relevance level, newest (highest id) first within a level."""
    parsed = query.parse(raw)
    _, levels = backend.fts5_expressions(
        parsed, access.fts5_access_clause(SEARCHER, access.FilterFacts())
    )
    sql = (
        "SELECT rowid FROM library_itemsearch WHERE library_itemsearch MATCH ? ORDER BY rowid DESC"
    )
    return [r[0] for level in levels for r in db.execute(sql, (level,))]


def test_bedomning_finds_every_inflection_and_compounds(fts):
    assert search(fts, "bedömning") == [1, 3, 5]
    assert search(fts, "bedömningar") == [1, 3, 5]
    assert search(fts, "bedömningen") == [1, 3, 5]


def test_laesfoerstaaelse_is_found_by_itself_and_by_its_start_in_a_title(fts):
    assert search(fts, "läsförståelse") == [2]
    assert search(fts, "läsförståelsen") == [2]
    assert search(fts, "läs") == [2, 5]


def test_a_word_finds_compounds_in_titles_and_texts(fts):
    # "Bedömningsstöd" (a title) starts with "bedömning"; "bedömningsmatriser" and
    # "läsloggar" in the text of item 5 are compounds of "bedömning" and "läs".
    assert search(fts, "bedömning") == [1, 3, 5]
    assert search(fts, "läs") == [2, 5]
    assert search(fts, "matris") == [5]
    assert search(fts, "bedömningsmatriser") == [5]


def test_title_matches_rank_first_then_the_newest(fts):
    # "Bedömningar" (1) has the word's stem, "Bedömningsstöd" (3) has it as a compound
    # part (a level below), item 5 has it in its text only.
    assert ranked(fts, "bedömning") == [1, 3, 5]
    assert ranked(fts, "texter") == [5, 3]  # 5 in its title, 3 only in its text
    # All words in the title, then some, then none.
    assert ranked(fts, "läsförståelse strategier") == [2]
    assert ranked(fts, "bedömning formativ") == [1]
    assert ranked(fts, "stöd bedömning") == [3]


def test_english_inflections_find_each_other(fts):
    assert search(fts, "assessments") == [4]
    assert search(fts, "assessing") == [4]


def test_all_words_must_match_unless_joined_by_or(fts):
    assert search(fts, "bedömning läsförståelse") == []
    assert search(fts, "bedömning OR läsförståelse") == [1, 2, 3, 5]


def test_a_phrase_matches_words_in_order(fts):
    assert search(fts, '"formativ bedömning"') == [1]
    assert search(fts, '"bedömning formativ"') == []


@pytest.mark.parametrize(
    "raw",
    ["", "   ", '"', '""', "*", "***", "NEAR(", "NEAR(a b", "OR", "AND", "OR OR AND",
     "och i att", "the of and", "!!!", "^", "-", "(", ")", ":", "title:", "{x}", "'"],
)  # fmt: skip
def test_odd_input_gives_an_empty_query_or_a_valid_one(fts, raw):
    search(fts, raw)  # no OperationalError


def test_stop_words_and_punctuation_only_give_an_empty_query():
    assert query.parse("och i att").is_empty
    assert query.parse("the of and").is_empty
    assert query.parse('" * NEAR( OR').is_empty is False  # "near" is an ordinary word
    assert query.parse("!!! ??? ...").is_empty


def test_operators_typed_by_a_person_are_quoted_never_interpreted():
    parsed = query.parse('NEAR(bedömning* title:"läs')
    rendered = parsed.to_fts5()
    assert "NEAR(" not in rendered
    assert "title:" not in rendered
    assert rendered.count('"') % 2 == 0


def test_an_unmatched_quote_becomes_a_phrase_of_the_rest():
    parsed = query.parse('"formativ bedömning')
    assert isinstance(parsed.groups[0][0], query.Phrase)


def test_tsquery_rendering_uses_quoted_lexemes_and_title_beginnings():
    assert query.parse("bedömningar").to_tsquery() == (
        "('bedömning' | 'bedömningar' | '+bedömning' | '+bedömningar' | '^bedömning'"
        " | '^bedömningar')"
    )
    assert query.parse("Assessments").to_tsquery(level=query.EXACT) == "'=assessments'"
    assert query.parse("åk").to_tsquery(level=query.STEM) == "'åk'"
    assert query.parse("åk").to_tsquery(level=query.PART) == "('åk' | '+åk')"
    # Stop words are left out of the index, so a phrase's words follow each other.
    assert query.parse('"lärande i skolan"').to_tsquery() == (
        "(('lär' <-> 'skol') | ('lärand' <-> 'skolan'))"
    )
    assert query.parse("tal åk").to_tsquery(title=True, any_group=True) == (
        "(('tal' | '+tal' | '^tal') | ('åk' | '+åk' | '^åk'))"
    )
    # A synonym from the thesaurus is one more alternative in the word's group.
    assert query.parse("bråk").to_tsquery(level=query.PART) == (
        "(('bråk' | '+bråk') | ('fraction' | '+fraction'))"
    )
    # ... but never counts as the exact word.
    assert query.parse("bråk").to_tsquery(level=query.EXACT) == "'=bråk'"


def test_a_quote_in_a_stem_cannot_break_the_tsquery():
    assert query._lexeme("o'brien") == "'o''brien'"


def test_very_long_input_is_cut_to_a_bounded_query():
    parsed = query.parse("ord " * 1000)
    assert sum(len(g) for g in parsed.groups) <= query.MAX_CLAUSES


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_any_string_is_a_valid_fts5_query_or_empty(fts, raw):
    search(fts, raw)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            ['"', "*", "NEAR(", "NEAR", "OR", "AND", "NOT", "(", ")", ":", "^", "-", "+",
             "bedömning", "läs", "i", "och", "the", "a", "'", "{", "}", ",", "åäö"]
        ),
        max_size=12,
    )
)  # fmt: skip
def test_any_mix_of_operators_and_words_is_valid(fts, pieces):
    search(fts, " ".join(pieces))
    search(fts, "".join(pieces))

"""Search on the database the suite runs on (SQLite FTS5 or PostgreSQL tsvector).

The same tests run on both backends (see docs/dev/guide.md), so passing on both means the
two give identical results for the same data.
"""

import io

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kollegium.library import services
from kollegium.library.selectors import Filters, search_items

DOCS = [
    ("sv", "Bedömningar i praktiken", "Formativ bedömning och återkoppling i klassrummet."),
    ("sv", "Läsförståelse i åk 4", "Strategier för läsförståelsen med läsfixarna."),
    ("sv", "Bedömningsstöd i svenska", "Stöd för bedömningen av elevernas texter."),
    ("en", "Assessment for learning", "Formative assessments and feedback on reading."),
    ("en", "Reading comprehension", "Students reading a text together in pairs."),
    ("sv", "Matematik: bråk", "Eleverna jämför bråk med hjälp av tallinjen."),
]


@pytest.fixture
def library(world):
    made = []
    for language, title, body in DOCS:
        made.append(
            services.item_create(
                actor=world.bob,
                school=world.school_a,
                title=title,
                body=body,
                language=language,
                visibility="school",
                item_type="method" if "Läs" in title else "tip",
            )
        )
    return made


def titles(user, raw, **filters):
    page = search_items(user=user, raw=raw, filters=Filters(**filters))
    return sorted(h.item.title for h in page.hits)


@pytest.mark.parametrize("form", ["bedömning", "bedömningar", "bedömningen", "Bedömningarna"])
def test_every_inflection_of_bedomning_finds_the_same_items(bob, library, form):
    assert titles(bob, form) == [
        "Bedömningar i praktiken",
        "Bedömningsstöd i svenska",
    ]


@pytest.mark.parametrize("form", ["läsförståelse", "läsförståelsen", "LÄSFÖRSTÅELSE"])
def test_laesfoerstaaelse_is_found_in_every_form_with_aao_kept(bob, library, form):
    assert titles(bob, form) == ["Läsförståelse i åk 4"]


def test_a_word_without_its_swedish_letters_is_a_different_word(bob, library):
    assert titles(bob, "lasforstaelse") == []


@pytest.mark.parametrize("form", ["assessment", "assessments", "assessing"])
def test_english_inflections_find_each_other(bob, library, form):
    assert titles(bob, form) == ["Assessment for learning"]


def test_reading_finds_english_items_by_stem(bob, library):
    assert titles(bob, "reads") == ["Assessment for learning", "Reading comprehension"]


def test_two_words_must_both_match(bob, library):
    assert titles(bob, "formativ återkoppling") == ["Bedömningar i praktiken"]
    assert titles(bob, "bråk OR läsförståelse") == ["Läsförståelse i åk 4", "Matematik: bråk"]


def test_filters_narrow_the_results(bob, library):
    assert titles(bob, "", item_type="method") == ["Läsförståelse i åk 4"]
    assert titles(bob, "reading", language="sv") == []
    assert titles(bob, "", language="en") == ["Assessment for learning", "Reading comprehension"]


def test_a_title_match_ranks_above_a_body_match(bob, world, library):
    services.item_create(
        actor=bob, school=world.school_a, title="Tallinjen",
        body="Om att rita en linje.", visibility="school",
    )  # fmt: skip
    page = search_items(user=bob, raw="tallinjen", filters=Filters())
    assert [h.item.title for h in page.hits] == ["Tallinjen", "Matematik: bråk"]


def test_equal_matches_are_ordered_newest_first(bob, world):
    for title in ["Första", "Andra", "Tredje"]:
        services.item_create(
            actor=bob, school=world.school_a, title=title, body="kamratrespons", visibility="school"
        )
    page = search_items(user=bob, raw="kamratrespons", filters=Filters())
    assert [h.item.title for h in page.hits] == ["Tredje", "Andra", "Första"]


def test_snippets_mark_the_matching_words(bob, library):
    page = search_items(user=bob, raw="återkopplingen", filters=Filters())
    assert "<mark>återkoppling</mark>" in page.hits[0].snippet_html


def test_markup_in_items_is_escaped_in_snippets(bob, world):
    services.item_create(
        actor=bob, school=world.school_a, title="<b>Fet</b> <script>x</script> exitlapp",
        body="`<img src=x onerror=alert(1)>` exitlapp", visibility="school",
    )  # fmt: skip
    hit = search_items(user=bob, raw="exitlapp", filters=Filters()).hits[0]
    assert "<script>" not in hit.title_html and "<img" not in hit.snippet_html
    assert "&lt;script&gt;" in hit.title_html


def test_an_edit_updates_the_index_at_once(bob, library):
    item = library[5]
    services.item_update(
        actor=bob, item=item, base=services.item_edit_base(item),
        title="Matematik: decimaltal", body="Tiondelar och hundradelar.",
        item_type="tip", language="sv", visibility="school",
    )  # fmt: skip
    assert titles(bob, "bråk") == []
    assert titles(bob, "hundradelar") == ["Matematik: decimaltal"]


def test_a_rolled_back_save_leaves_the_index_as_it_was(bob, world, library):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.item_create(
            actor=bob, school=world.school_a, title="Flippat klassrum", body="", visibility="school"
        )
        raise RuntimeError
    assert titles(bob, "flippat") == []


def test_deleting_an_item_removes_it_from_the_index(bob, library):
    library[0].delete()
    assert titles(bob, "praktiken") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM library_itemsearch")
            assert cursor.fetchone()[0] == len(DOCS) - 1


@pytest.mark.parametrize(
    "raw", ['"', '""', "*", "NEAR(", "NEAR(a b", "OR", "AND OR", "och i att", "the of",
            "'", "-", "(((", "title:x", "^", "a*b", "bedömning\"", "\\", "%", "_"],
)  # fmt: skip
def test_odd_search_strings_never_error(bob, library, raw):
    page = search_items(user=bob, raw=raw, filters=Filters())
    assert page.total >= 0


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=40))
def test_any_search_string_runs_against_the_database(bob, library, raw):
    search_items(user=bob, raw=raw, filters=Filters())


def test_subject_stage_and_skill_filters_apply_to_word_searches(bob, world):
    from kollegium.organisations.models import Stage, Subject

    swedish, maths = Subject.objects.get(code="SV"), Subject.objects.get(code="MA")
    stage = Stage.objects.get(code="GR4-6")
    services.item_create(
        actor=bob, school=world.school_a, title="Läsloggar", body="loggbok", visibility="school",
        subjects=[swedish], stages=[stage], skills=["literacy.comprehension"],
    )  # fmt: skip
    services.item_create(
        actor=bob, school=world.school_a, title="Mattelogg", body="loggbok", visibility="school",
        subjects=[maths],
    )  # fmt: skip
    assert titles(bob, "loggbok", subject="SV") == ["Läsloggar"]
    assert titles(bob, "loggbok", subject="MA") == ["Mattelogg"]
    assert titles(bob, "loggbok", stage="GR4-6") == ["Läsloggar"]
    assert titles(bob, "loggbok", skill="literacy.comprehension") == ["Läsloggar"]
    assert titles(bob, "loggbok", skill="literacy.book_talks") == []


def test_a_changed_visibility_changes_who_finds_it_at_once(bob, dave, world):
    item = services.item_create(
        actor=bob, school=world.school_a, title="Samtalskort", body="", visibility="network"
    )
    assert titles(dave, "samtalskort") == ["Samtalskort"]
    services.item_update(
        actor=bob, item=item, base=services.item_edit_base(item),
        title="Samtalskort", body="", item_type="tip", language="sv",
        visibility="school",
    )  # fmt: skip
    assert titles(dave, "samtalskort") == []


def test_a_co_author_added_later_finds_the_draft(bob, carol, world):
    draft = services.item_create(
        actor=bob, school=world.school_a, title="Utkast om kamratrespons", visibility="private"
    )
    assert titles(carol, "kamratrespons") == []
    draft.authors.add(carol)
    assert titles(carol, "kamratrespons") == ["Utkast om kamratrespons"]


def test_a_page_past_the_end_shows_the_last_page(bob, library):
    page = search_items(user=bob, raw="bedömning", filters=Filters(), page=99)
    assert page.page == 1 and len(page.hits) == 2


def test_a_word_finds_longer_words_in_titles_but_only_its_own_forms_in_texts(bob, world):
    for title, body in [
        ("Bedömningsmatris för muntligt", "En matris."),
        ("Muntligt framförande", "Vi använder en bedömningsmatris."),
        ("Läsloggar", "Om bedömningen av loggar."),
    ]:
        services.item_create(
            actor=bob, school=world.school_a, title=title, body=body, visibility="school"
        )
    # The title compound starts with the word; the text compound is another word.
    assert titles(bob, "bedömning") == ["Bedömningsmatris för muntligt", "Läsloggar"]
    assert titles(bob, "bedömningsmatris") == [
        "Bedömningsmatris för muntligt",
        "Muntligt framförande",
    ]
    # While typing, a beginning finds titles at once.
    assert titles(bob, "bedöm") == ["Bedömningsmatris för muntligt"]
    assert titles(bob, "läslog") == ["Läsloggar"]


def test_results_rank_all_words_in_the_title_then_some_then_only_the_text(bob, world):
    made = []
    for title, body in [
        ("Exit tickets", "Om formativ bedömning i matematik."),  # some words in the title
        ("Om lektioner", "Exit tickets och formativ bedömning."),  # only in the text
        ("Formativ bedömning med exit tickets", "Kort text."),  # all in the title
        ("Formativa frågor", "Exit tickets för bedömning."),  # some (a title beginning)
        ("Planering", "Formativ bedömning, exit tickets."),  # only in the text, newer
    ]:
        made.append(
            services.item_create(
                actor=bob, school=world.school_a, title=title, body=body, visibility="school"
            )
        )
    page = search_items(user=bob, raw="formativ exit", filters=Filters())
    assert [h.item.title for h in page.hits] == [
        "Formativ bedömning med exit tickets",
        "Formativa frågor",
        "Exit tickets",
        "Planering",
        "Om lektioner",
    ]
    assert page.total == 5


def test_pages_follow_the_ranking_across_levels_with_the_full_count(bob, world):
    for n in range(23):
        where = {"title": f"Kamratrespons {n}", "body": "Text."} if n % 4 == 0 else {
            "title": f"Lektion {n}", "body": "Om kamratrespons."}  # fmt: skip
        services.item_create(actor=bob, school=world.school_a, visibility="school", **where)
    first = search_items(user=bob, raw="kamratrespons", filters=Filters(), page=1)
    second = search_items(user=bob, raw="kamratrespons", filters=Filters(), page=2)
    assert first.total == second.total == 23
    assert len(first.hits) == 20 and len(second.hits) == 3 and second.page == 2
    order = [h.item.title for h in first.hits + second.hits]
    in_title = [f"Kamratrespons {n}" for n in (20, 16, 12, 8, 4, 0)]
    assert order[:6] == in_title
    assert order[6:] == [f"Lektion {n}" for n in range(22, 0, -1) if n % 4]
    assert first.has_next and not second.has_next


def test_a_bulk_delete_removes_the_items_from_the_index(bob, library):
    from kollegium.library.models import Item

    Item.objects.filter(title__startswith="Bedöm").delete()
    assert titles(bob, "bedömning") == []
    assert search_items(user=bob, raw="bedömning", filters=Filters()).total == 0


def test_browsing_counts_only_up_to_a_limit_but_a_search_counts_all(bob, world, monkeypatch):
    from kollegium.library import search

    monkeypatch.setattr(search, "BROWSE_COUNT_LIMIT", 3)
    for n in range(5):
        services.item_create(
            actor=bob, school=world.school_a, title=f"Tips {n}", body="gruppindelning",
            visibility="school",
        )  # fmt: skip
    browsing = search_items(user=bob, raw="", filters=Filters())
    assert (browsing.total, browsing.more) == (3, True)
    assert [h.item.title for h in browsing.hits] == [
        "Tips 4",
        "Tips 3",
        "Tips 2",
        "Tips 1",
        "Tips 0",
    ]
    assert not browsing.has_next
    searching = search_items(user=bob, raw="gruppindelning", filters=Filters())
    assert (searching.total, searching.more) == (5, False)


def test_the_reindex_command_rebuilds_a_lost_index(bob, library):
    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM library_itemsearch")
    assert titles(bob, "bedömning") == []
    out = io.StringIO()
    call_command("library_reindex", stdout=out)
    assert f"{len(DOCS)} items" in out.getvalue()
    assert titles(bob, "bedömning") == ["Bedömningar i praktiken", "Bedömningsstöd i svenska"]

"""The three-way text merge used to save shared texts without losing anyone's work."""

from hypothesis import given
from hypothesis import strategies as st

from kollegium.core.textmerge import has_conflict_markers, merge_texts

BASE = "Vi läste kapitel 3.\nExit tickets i 5B.\nNästa gång: kapitel 4.\nTa med elevexempel.\n"


def test_edits_to_different_lines_merge_and_both_are_kept():
    theirs = BASE.replace("kapitel 3.", "kapitel 3 och 4.")
    mine = BASE.replace("Ta med elevexempel.", "Ta med tre elevexempel.")
    merged = merge_texts(BASE, theirs, mine)
    assert merged.clean
    assert "kapitel 3 och 4." in merged.text and "tre elevexempel" in merged.text


def test_edits_to_the_same_line_are_a_conflict_that_keeps_both_versions():
    theirs = BASE.replace("Exit tickets i 5B.", "Exit tickets i 5B och 6A.")
    mine = BASE.replace("Exit tickets i 5B.", "Mini-whiteboards i 5B.")
    merged = merge_texts(BASE, theirs, mine, theirs_label="Bob", mine_label="Du")
    assert not merged.clean and merged.conflicts == 1
    assert (
        "<<<<<<< Bob\nExit tickets i 5B och 6A.\n=======\nMini-whiteboards i 5B.\n>>>>>>> Du\n"
        in (merged.text)
    )
    assert has_conflict_markers(merged.text)
    assert merged.text.startswith("Vi läste kapitel 3.\n")


def test_line_endings_from_a_browser_do_not_make_every_line_a_change():
    theirs = BASE.replace("kapitel 3.", "kapitel 3 och 4.")
    mine = BASE.replace("\n", "\r\n").replace("Ta med", "Glöm inte")
    merged = merge_texts(BASE, theirs, mine)
    assert merged.clean and "kapitel 3 och 4." in merged.text and "Glöm inte" in merged.text


def test_adding_after_a_last_line_without_newline_is_no_conflict():
    merged = merge_texts("a\nb", "a\nb\nfrån Bob", "Alice: a\nb")
    assert merged.clean and merged.text == "Alice: a\nb\nfrån Bob"


def test_ordinary_text_has_no_conflict_markers():
    assert not has_conflict_markers(BASE)
    assert not has_conflict_markers("=======\nrubrik\n=======")


lines = st.lists(st.sampled_from(["a", "b", "c", "d", ""]), max_size=8).map("\n".join)


@given(base=lines, theirs=lines)
def test_when_only_one_side_changed_the_merge_is_that_side(base, theirs):
    merged = merge_texts(base, theirs, base)
    assert merged.clean
    assert merged.text.rstrip("\n") == theirs.rstrip("\n")
    merged = merge_texts(base, base, theirs)
    assert merged.clean
    assert merged.text.rstrip("\n") == theirs.rstrip("\n")

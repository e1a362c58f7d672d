from kollegium.library import diff


def test_identical_texts_have_an_empty_diff():
    result = diff.line_diff("a\nb", "a\nb")
    assert result.is_empty
    assert [line.kind for line in result.lines] == ["same", "same"]


def test_added_and_removed_lines_are_marked_with_their_numbers():
    result = diff.line_diff("ett\ntvå\ntre", "ett\ntre\nfyra")
    kinds = [(line.kind, line.old_number, line.new_number) for line in result.lines]
    assert ("removed", 2, None) in kinds
    assert ("added", None, 3) in kinds
    assert result.added == 1 and result.removed == 1


def test_a_changed_line_gets_a_word_level_diff():
    result = diff.line_diff("Vi läser tre dagar i veckan", "Vi läser fyra dagar i veckan")
    (line,) = result.lines
    assert line.kind == "changed"
    assert [(s.op, s.text) for s in line.segments] == [
        ("equal", "Vi läser "),
        ("delete", "tre"),
        ("insert", "fyra"),
        ("equal", " dagar i veckan"),
    ]


def test_word_diff_rebuilds_both_texts():
    old, new = "formativ bedömning i praktiken", "bedömning för lärande i praktiken"
    segments = diff.word_diff(old, new)
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new

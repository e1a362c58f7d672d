"""Single-holder risk and transfer pairing (pure, no database)."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kollegium.competence.risk import Coverage, LevelEntry, analyse, classify, summarise


def entry(person, skill, level, *, school=1, willing=True, want=False):
    return LevelEntry(
        school_id=school,
        person_id=person,
        skill_id=skill,
        level=level,
        willing_to_share=willing,
        want_to_learn=want,
    )


def coverage_of(report, school, skill):
    (risk,) = [r for r in report.risks if r.school_id == school and r.skill_id == skill]
    return risk.coverage


def test_a_skill_nobody_rated_is_a_gap_even_with_no_rows_at_all():
    report = analyse(schools=[1], skills=["a"], levels=[])
    assert coverage_of(report, 1, "a") is Coverage.GAP
    assert report.pairs == ()


def test_levels_one_and_two_do_not_count_as_holders():
    report = analyse(schools=[1], skills=["a"], levels=[entry(1, "a", 2), entry(2, "a", 1)])
    assert coverage_of(report, 1, "a") is Coverage.GAP


def test_one_confident_colleague_makes_a_skill_vulnerable_and_two_make_it_covered():
    report = analyse(
        schools=[1, 2],
        skills=["a"],
        levels=[entry(1, "a", 3, school=1), entry(2, "a", 4, school=2), entry(3, "a", 3, school=2)],
    )
    assert coverage_of(report, 1, "a") is Coverage.VULNERABLE
    assert coverage_of(report, 2, "a") is Coverage.COVERED


def test_holders_at_another_school_do_not_cover_this_school():
    report = analyse(
        schools=[1, 2],
        skills=["a"],
        levels=[entry(1, "a", 4, school=2), entry(2, "a", 4, school=2)],
    )
    assert coverage_of(report, 1, "a") is Coverage.GAP


def test_rows_for_skills_or_schools_outside_the_question_are_ignored():
    report = analyse(
        schools=[1], skills=["a"], levels=[entry(1, "b", 4), entry(2, "a", 4, school=9)]
    )
    assert [(r.skill_id, r.coverage) for r in report.risks] == [("a", Coverage.GAP)]


def test_levels_outside_one_to_four_are_ignored():
    report = analyse(schools=[1], skills=["a"], levels=[entry(1, "a", 5), entry(2, "a", 0)])
    assert coverage_of(report, 1, "a") is Coverage.GAP
    assert report.risks[0].learner_count == 0


def test_it_pairs_the_single_holder_with_colleagues_who_want_to_learn():
    report = analyse(
        schools=[1],
        skills=["a"],
        levels=[entry(1, "a", 4), entry(2, "a", 1, want=True), entry(3, "a", 2)],
    )
    assert {(p.holder_id, p.learner_id) for p in report.pairs} == {(1, 2), (1, 3)}


def test_colleagues_who_flagged_want_to_learn_are_matched_before_others():
    report = analyse(
        schools=[1],
        skills=["a"],
        levels=[entry(1, "a", 3), entry(2, "a", 2), entry(3, "a", 2, want=True)],
        max_learners_per_holder=1,
    )
    assert [(p.holder_id, p.learner_id) for p in report.pairs] == [(1, 3)]


def test_holders_who_are_not_willing_to_share_are_never_paired_but_still_count():
    report = analyse(
        schools=[1], skills=["a"], levels=[entry(1, "a", 4, willing=False), entry(2, "a", 1)]
    )
    assert coverage_of(report, 1, "a") is Coverage.VULNERABLE
    assert report.pairs == ()


def test_the_load_is_spread_over_holders_instead_of_piling_on_one():
    learners = [entry(10 + i, "a", 1, want=True) for i in range(4)]
    report = analyse(
        schools=[1], skills=["a"], levels=[entry(1, "a", 4), entry(2, "a", 3), *learners]
    )
    assert Counter(p.holder_id for p in report.pairs) == {1: 2, 2: 2}


def test_the_cap_counts_learners_over_all_skills_of_a_holder():
    levels = [entry(1, skill, 4) for skill in "abc"]
    levels += [entry(10 + i, skill, 1) for i, skill in enumerate("abc")]
    report = analyse(schools=[1], skills=list("abc"), levels=levels, max_learners_per_holder=2)
    assert len(report.pairs) == 2


def test_vulnerable_skills_are_paired_before_covered_ones_when_the_cap_bites():
    levels = [
        entry(1, "covered", 4),
        entry(2, "covered", 4),
        entry(1, "solo", 4),
        entry(10, "covered", 1),
        entry(11, "solo", 1),
    ]
    report = analyse(
        schools=[1], skills=["covered", "solo"], levels=levels, max_learners_per_holder=1
    )
    assert (1, "solo", 11) in {(p.holder_id, p.skill_id, p.learner_id) for p in report.pairs}


def test_a_cap_of_zero_proposes_no_pairs_and_a_negative_cap_is_refused():
    levels = [entry(1, "a", 4), entry(2, "a", 1)]
    assert analyse(schools=[1], skills=["a"], levels=levels, max_learners_per_holder=0).pairs == ()
    with pytest.raises(ValueError):
        analyse(schools=[1], skills=["a"], levels=levels, max_learners_per_holder=-1)


def test_sole_holdings_lists_what_only_this_person_knows():
    report = analyse(
        schools=[1],
        skills=["a", "b"],
        levels=[entry(1, "a", 4), entry(1, "b", 3), entry(2, "b", 3)],
    )
    assert [r.skill_id for r in report.sole_holdings(1)] == ["a"]
    assert report.sole_holdings(2) == ()
    assert classify(0) is Coverage.GAP


# --- properties -------------------------------------------------------------------------

SCHOOLS = st.integers(min_value=1, max_value=3)
PEOPLE = st.integers(min_value=1, max_value=12)
SKILLS = st.sampled_from(["a", "b", "c", "d"])


@st.composite
def level_rows(draw):
    raw = draw(
        st.lists(
            st.tuples(SCHOOLS, PEOPLE, SKILLS, st.integers(1, 4), st.booleans(), st.booleans()),
            max_size=60,
        )
    )
    # one row per (school, person, skill), as in the database
    unique = {(s, p, k): (lvl, w, wl) for s, p, k, lvl, w, wl in raw}
    return [
        LevelEntry(s, p, k, lvl, willing_to_share=w, want_to_learn=wl)
        for (s, p, k), (lvl, w, wl) in unique.items()
    ]


@settings(max_examples=200, deadline=None)
@given(rows=level_rows(), cap=st.integers(min_value=0, max_value=4))
def test_properties_of_every_analysis(rows, cap):
    report = analyse(
        schools=[1, 2, 3], skills=list("abcd"), levels=rows, max_learners_per_holder=cap
    )
    by_cell = {(r.school_id, r.person_id, r.skill_id): r for r in rows}

    # every (school, skill) is classified exactly once
    assert len(report.risks) == 12
    for risk in report.risks:
        holders = [
            r
            for r in rows
            if (r.school_id, r.skill_id) == (risk.school_id, risk.skill_id) and r.level >= 3
        ]
        assert risk.coverage is classify(len(holders))
        assert risk.holder_count == len(holders)
        if len(holders) == 1:
            assert risk.coverage is Coverage.VULNERABLE
            assert risk.sole_holder == holders[0].person_id
        else:
            assert risk.sole_holder is None

    # no holder is given more than the cap
    load = Counter((p.school_id, p.holder_id) for p in report.pairs)
    assert all(count <= cap for count in load.values())

    for pair in report.pairs:
        holder = by_cell[(pair.school_id, pair.holder_id, pair.skill_id)]
        learner = by_cell[(pair.school_id, pair.learner_id, pair.skill_id)]
        assert holder.level >= 3 and holder.willing_to_share
        assert learner.level <= 2  # same school and skill by construction of the lookup
        assert pair.holder_id != pair.learner_id

    # nobody learns the same skill twice
    learned = Counter((p.school_id, p.skill_id, p.learner_id) for p in report.pairs)
    assert all(count == 1 for count in learned.values())


@settings(max_examples=100, deadline=None)
@given(rows=level_rows())
def test_with_room_to_spare_every_learner_next_to_a_willing_holder_gets_a_pair(rows):
    report = analyse(
        schools=[1, 2, 3], skills=list("abcd"), levels=rows, max_learners_per_holder=100
    )
    paired = {(p.school_id, p.skill_id, p.learner_id) for p in report.pairs}
    cells_with_willing = {
        (r.school_id, r.skill_id) for r in rows if r.level >= 3 and r.willing_to_share
    }
    for r in rows:
        if r.level <= 2 and (r.school_id, r.skill_id) in cells_with_willing:
            assert (r.school_id, r.skill_id, r.person_id) in paired


def test_the_garbage_collector_is_left_as_it_was_found():
    import gc

    analyse(schools=[1], skills=["a"], levels=[entry(1, "a", 4)])
    assert gc.isenabled()
    gc.disable()
    try:
        analyse(schools=[1], skills=["a"], levels=[entry(1, "a", 4)])
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValueError):
        analyse(schools=[1], skills=["a"], levels=[], max_learners_per_holder=-1)
    assert gc.isenabled()


# --- counts across many schools (summarise) ---------------------------------------------


def test_summarise_counts_schools_per_skill_and_skills_per_school():
    summary = summarise(
        schools=[1, 2, 3],
        common_skills=["a", "b"],
        holder_counts=[(1, "a", 2), (2, "a", 1), (1, "b", 5)],
        focus=[(2, "a"), (3, "a")],
    )
    a = summary.by_skill["a"]
    assert (a.cells, a.covered, a.vulnerable, a.gap) == (3, 1, 1, 1)
    assert (a.focus, a.focus_covered, a.focus_vulnerable, a.focus_gap) == (2, 0, 1, 1)
    b = summary.by_skill["b"]
    assert (b.cells, b.covered, b.vulnerable, b.gap, b.focus) == (3, 1, 0, 2, 0)
    one, three = summary.by_school[1], summary.by_school[3]
    assert (one.cells, one.covered, one.vulnerable, one.gap) == (2, 2, 0, 0)
    assert (three.cells, three.gap, three.focus, three.focus_gap) == (2, 2, 1, 1)


def test_summarise_counts_a_schools_own_skill_only_where_it_applies():
    summary = summarise(
        schools=[1, 2],
        common_skills=["a"],
        extra_skills={1: ["own"]},
        # A person at both schools rated school 1's own skill: it does not exist at school 2.
        holder_counts=[(1, "own", 1), (2, "own", 3), (9, "a", 2)],
        focus=[(2, "own")],
    )
    own = summary.by_skill["own"]
    assert (own.cells, own.covered, own.vulnerable, own.gap, own.focus) == (1, 0, 1, 0, 0)
    assert summary.by_school[2].cells == 1
    assert summary.by_school[2].covered == 0
    assert 9 not in summary.by_school


@st.composite
def owner_data(draw):
    rows = draw(level_rows())
    extra = draw(
        st.dictionaries(SCHOOLS, st.sets(st.sampled_from(["x", "y"]), max_size=2), max_size=3)
    )
    common = draw(st.sets(SKILLS, min_size=1))
    focus = draw(st.sets(st.tuples(SCHOOLS, st.sampled_from(["a", "b", "c", "d", "x", "y"]))))
    return rows, extra, common, focus


@settings(max_examples=200, deadline=None)
@given(data=owner_data())
def test_summarise_agrees_with_the_analysis_cell_by_cell(data):
    rows, extra, common, focus = data
    rows = rows + [
        LevelEntry(s, p + 20, k, lvl) for s, p, k, lvl in [(1, 1, "x", 4), (2, 2, "y", 3)]
    ]
    schools = [1, 2, 3]
    report = analyse(schools=schools, skills=["a", "b", "c", "d", "x", "y"], levels=rows)
    summary = summarise(
        schools=schools,
        common_skills=common,
        extra_skills=extra,
        holder_counts=[(r.school_id, r.skill_id, r.holder_count) for r in report.risks],
        focus=focus,
    )
    expected_skill: dict = {}
    expected_school: dict = {s: Counter() for s in schools}
    for r in report.risks:
        if r.skill_id not in common and r.skill_id not in extra.get(r.school_id, ()):
            continue
        tally = [expected_skill.setdefault(r.skill_id, Counter()), expected_school[r.school_id]]
        for counter in tally:
            counter["cells"] += 1
            counter[r.coverage.value] += 1
            if (r.school_id, r.skill_id) in focus:
                counter["focus"] += 1
                counter["focus_" + r.coverage.value] += 1
    for key, counts in [*summary.by_skill.items(), *summary.by_school.items()]:
        expected = expected_skill.get(key) if key in summary.by_skill else None
        if isinstance(key, int):
            expected = expected_school[key]
        expected = expected or Counter()
        assert (counts.cells, counts.covered, counts.vulnerable, counts.gap) == (
            expected["cells"],
            expected["covered"],
            expected["vulnerable"],
            expected["gap"],
        )
        assert (counts.focus, counts.focus_covered, counts.focus_vulnerable, counts.focus_gap) == (
            expected["focus"],
            expected["focus_covered"],
            expected["focus_vulnerable"],
            expected["focus_gap"],
        )
    assert set(summary.by_skill) == set(expected_skill) | set(common)

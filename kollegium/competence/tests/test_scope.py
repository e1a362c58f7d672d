"""The school types file and the quick start's suggestions (pure: no database)."""

import pytest

from kollegium.competence.scope import (
    MAX_SUGGESTIONS,
    MIN_SUGGESTIONS,
    ScopeError,
    load_scope,
    parse_scope,
)
from kollegium.competence.taxonomy import load_taxonomy

TAXONOMY_KEYS = [s.key for s in load_taxonomy().skills if not s.retired]


def test_every_skill_key_in_the_file_exists_in_the_taxonomy():
    assert load_scope().all_skill_keys() - set(TAXONOMY_KEYS) == set()


def test_a_compulsory_school_leaves_out_vocational_subjects_sfi_and_preschool_play():
    excluded = load_scope().excluded({"compulsory"})
    assert {"subject.vocational", "subject.adult_sfi", "subject.preschool_play"} <= excluded
    assert "assessment.formative" not in excluded
    assert "subject.home_economics" not in excluded


def test_a_school_of_no_known_type_leaves_out_nothing():
    assert load_scope().excluded(set()) == frozenset()
    assert load_scope().applies("subject.vocational", ())


def test_stages_give_the_school_types():
    scope = load_scope()
    assert scope.types_for_stages(["GR4-6", "FS"]) == {"compulsory", "preschool"}
    assert scope.types_for_stages(["GY"]) == {"upper_secondary"}
    assert scope.types_for_stages([]) == frozenset()


def test_a_maths_teacher_in_years_4_to_6_gets_maths_first():
    keys = load_scope().suggest(
        subjects=["MA"], stages=["GR4-6"], types={"compulsory"}, available=TAXONOMY_KEYS
    )
    assert MIN_SUGGESTIONS <= len(keys) <= MAX_SUGGESTIONS
    assert keys[0] == "mathematics.problem_solving"
    assert "mathematics.discussions" in keys[:3]
    assert "subject.vocational" not in keys and "subject.preschool_play" not in keys
    assert len(set(keys)) == len(keys)


def test_a_preschool_teacher_gets_play_and_no_grading():
    keys = load_scope().suggest(
        subjects=["FSK"], stages=["FS"], types={"preschool"}, available=TAXONOMY_KEYS
    )
    assert keys[0] == "subject.preschool_play"
    assert "assessment.grading" not in keys and "assessment.national_tests" not in keys


def test_someone_who_said_nothing_still_gets_eight_general_skills():
    keys = load_scope().suggest(subjects=[], stages=[], types=(), available=TAXONOMY_KEYS)
    assert len(keys) == MIN_SUGGESTIONS
    assert keys[0] == "assessment.formative"


def test_many_subjects_are_capped_at_twelve():
    keys = load_scope().suggest(
        subjects=["SV", "MA", "EN", "SPE", "SVA"],
        stages=["GR4-6", "GR7-9"],
        types={"compulsory"},
        available=TAXONOMY_KEYS,
    )
    assert len(keys) == MAX_SUGGESTIONS


def test_only_available_skills_are_suggested():
    keys = load_scope().suggest(
        subjects=["MA"], stages=[], types=(), available=["mathematics.algebra", "digital.ai"]
    )
    assert keys == ["mathematics.algebra", "digital.ai"]


@pytest.mark.parametrize(
    "text",
    [
        "version: 2\nschool_types: []",
        "version: 1\nschool_types: []",
        "version: 1\nschool_types:\n  - {key: a, name: {sv: A}}",
        "version: 1\nschool_types:\n  - {key: a, name: {sv: A, en: A}}\nonly_at:\n  x.y: [b]",
    ],
)
def test_a_broken_file_is_refused(text):
    with pytest.raises(ScopeError):
        parse_scope(text)

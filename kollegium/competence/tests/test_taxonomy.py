"""The bundled skill taxonomy and its loader (pure, no database)."""

import textwrap

import pytest

from kollegium.competence.taxonomy import (
    SKILL_KEY_RE,
    TaxonomyError,
    load_taxonomy,
    parse_taxonomy,
)

VALID = textwrap.dedent(
    """\
    version: 1
    areas:
      - key: assessment
        name: {sv: Bedömning, en: Assessment}
        description: {sv: Om bedömning., en: About assessment.}
        skills:
          - key: assessment.formative
            name: {sv: Formativ bedömning, en: Formative assessment}
            description: {sv: Bedömning för lärande., en: Assessment for learning.}
    """
)


def test_the_bundled_taxonomy_has_at_least_sixty_skills_in_a_two_level_tree():
    taxonomy = load_taxonomy()
    assert len(taxonomy.skills) >= 60
    assert len(taxonomy.areas) >= 10
    assert all(
        skill.key.startswith(area.key + ".") for area in taxonomy.areas for skill in area.skills
    )


def test_the_bundled_taxonomy_covers_the_areas_the_issue_names():
    keys = {area.key for area in load_taxonomy().areas}
    assert {
        "subject",
        "assessment",
        "digital",
        "inclusion",
        "language",
        "classroom",
        "literacy",
        "mathematics",
        "outdoor",
        "collegial",
    } <= keys


def test_every_bundled_skill_has_swedish_and_english_names_and_descriptions():
    for skill in load_taxonomy().skills:
        assert skill.name.sv and skill.name.en, skill.key
        assert skill.description.sv and skill.description.en, skill.key
        assert SKILL_KEY_RE.match(skill.key)


def test_keys_that_profiles_depend_on_stay_stable():
    taxonomy = load_taxonomy()
    for key in (
        "assessment.formative",
        "collegial.tlc",
        "collegial.observation",
        "language.sva",
        "inclusion.npf",
        "digital.programming_block",
    ):
        assert taxonomy.skill(key) is not None, key


def test_a_valid_file_parses_with_line_numbers():
    taxonomy = parse_taxonomy(VALID, "skills.yaml")
    (skill,) = taxonomy.skills
    assert skill.key == "assessment.formative"
    assert skill.name.get("en") == "Formative assessment"
    assert skill.name.get("sv") == "Formativ bedömning"
    assert skill.line == 7


def test_it_reports_a_duplicate_skill_key_with_both_lines():
    text = VALID + textwrap.indent(
        textwrap.dedent(
            """\
              - key: assessment.formative
                name: {sv: Igen, en: Again}
                description: {sv: X., en: X.}
            """
        ),
        "      ",
    )
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(text, "skills.yaml")
    (problem,) = err.value.problems
    assert problem.line == 10
    assert "already used on line 7" in problem.message
    assert str(problem).startswith("skills.yaml:10:")


def test_it_reports_a_missing_english_name_on_its_line():
    text = VALID.replace("en: Formative assessment", "en: ''")
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(text, "skills.yaml")
    assert [(p.line, "name.en is empty" in p.message) for p in err.value.problems] == [(8, True)]


def test_it_reports_a_skill_key_outside_its_area():
    text = VALID.replace("key: assessment.formative", "key: digital.formative")
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(text, "skills.yaml")
    assert "must start with its area key 'assessment'" in str(err.value)
    assert err.value.problems[0].line == 7


def test_it_reports_unknown_fields_and_bad_keys_together():
    text = VALID.replace("key: assessment.formative", "key: Assessment.Formative").replace(
        "    name: {sv: Bedömning", "    colour: red\n    name: {sv: Bedömning"
    )
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(text, "skills.yaml")
    messages = [(p.line, p.message) for p in err.value.problems]
    assert any(line == 4 and "unknown field 'colour'" in m for line, m in messages)
    assert any(line == 8 and "key must look like" in m for line, m in messages)


def test_it_reports_broken_yaml_with_its_line():
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy("version: 1\nareas:\n  - key: [unclosed\n", "skills.yaml")
    assert err.value.problems[0].line >= 3
    assert "not valid YAML" in err.value.problems[0].message


def test_it_rejects_an_empty_file_and_an_unsupported_version():
    with pytest.raises(TaxonomyError, match="empty"):
        parse_taxonomy("", "skills.yaml")
    with pytest.raises(TaxonomyError, match="version 2 is not supported"):
        parse_taxonomy(VALID.replace("version: 1", "version: 2"), "skills.yaml")

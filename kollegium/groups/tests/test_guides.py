"""Method guides: loading, validation with file and line, and agenda generation (pure)."""

import itertools
from datetime import date
from pathlib import Path

import pytest

from kollegium.groups.guides import (
    GUIDES_DIR,
    LANGUAGES,
    ROLES,
    STEP_TYPES,
    GuideError,
    PreviousCommitment,
    generate_agenda,
    load_guide_file,
    load_guides,
    next_phase,
    parse_guide,
)

SHIPPED = load_guides()
REQUIRED_METHODS = {
    "tlc",
    "plc",
    "learning_study",
    "lesson_study",
    "action_research",
    "group_supervision",
    "mentoring",
    "module",
    "reading_circle",
    "instructional_rounds",
    "workshop",
}

MINIMAL = """\
slug: tiny
version: 1
method: tlc
title: {sv: Liten, en: Tiny}
summary: {sv: Kort, en: Short}
cadence: {sv: Ibland, en: Sometimes}
interval_days: 7
group_size: {min: 2, max: 4}
phases:
  - key: only
    meeting_type: meet
    title: {sv: Fas, en: Phase}
    description: {sv: Besk, en: Desc}
meeting_types:
  - key: meet
    title: {sv: Möte, en: Meeting}
    steps:
      - key: open
        type: introduction
        minutes: 5
        title: {sv: Start, en: Start}
        purpose: {sv: Syfte, en: Purpose}
        prompts: {sv: [Fråga], en: [Question]}
        roles: [discussion_leader]
"""


def commitment(pk, name, text="Pröva exit tickets"):
    return PreviousCommitment(
        commitment_id=pk, member_id=pk, member_name=name, text=text, due=date(2026, 12, 1)
    )


def test_every_method_the_issue_asks_for_ships_with_a_guide():
    assert {guide.method for guide in SHIPPED.values()} >= REQUIRED_METHODS


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_every_shipped_guide_is_versioned_and_fully_bilingual(slug):
    guide = SHIPPED[slug]
    assert guide.version >= 1
    for language in LANGUAGES:
        assert guide.title.get(language)
        assert guide.summary.get(language)
        for meeting_type in guide.meeting_types:
            for step in meeting_type.steps:
                assert step.title.get(language) and step.purpose.get(language)
                assert step.prompts.get(language)
    for meeting_type in guide.meeting_types:
        for step in meeting_type.steps:
            assert step.type in STEP_TYPES
            assert set(step.roles) <= ROLES
            assert len(step.prompts.sv) == len(step.prompts.en), step.key


@pytest.mark.parametrize("slug", sorted(SHIPPED))
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_agenda_can_be_generated_for_every_phase_of_every_guide(slug, language):
    guide = SHIPPED[slug]
    for phase in guide.phases:
        agenda = generate_agenda(guide, phase=phase.key, language=language)
        meeting_type = guide.meeting_type(phase.meeting_type)
        assert [step.key for step in agenda] == [step.key for step in meeting_type.steps]
        assert agenda[0].start_minute == 0
        for before, after in itertools.pairwise(agenda):
            assert after.start_minute == before.end_minute
        assert agenda[-1].end_minute == meeting_type.total_minutes
        assert all(step.title and step.purpose and step.prompts for step in agenda)


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_commitments_from_last_time_are_always_followed_up(slug):
    guide = SHIPPED[slug]
    previous = [commitment(2, "Bob"), commitment(1, "Anna")]
    for meeting_type in guide.meeting_types:
        agenda = generate_agenda(guide, meeting_type=meeting_type.key, commitments=previous)
        listing = [step for step in agenda if step.commitments]
        assert len(listing) == 1
        assert listing[0].type == "feedback"
        assert [c.member_name for c in listing[0].commitments] == ["Anna", "Bob"]


def test_the_tlc_meeting_has_wiliams_six_steps_in_order():
    agenda = generate_agenda(SHIPPED["tlc"], phase="monthly", language="en")
    assert [step.type for step in agenda] == [
        "introduction",
        "starter",
        "feedback",
        "new_learning",
        "action_planning",
        "summary",
    ]
    assert agenda[4].collects_commitments
    assert not agenda[2].collects_commitments


def test_the_plc_results_meeting_asks_dufours_questions():
    titles = [step.title for step in generate_agenda(SHIPPED["plc"], phase="cycle")]
    titles += [step.title for step in generate_agenda(SHIPPED["plc"], phase="plan_unit")]
    for number in ("Fråga 1", "Fråga 2", "Fråga 3", "Fråga 4"):
        assert any(title.startswith(number) for title in titles), number


def test_the_learning_study_walks_its_nine_steps_through_lessons_a_b_c():
    guide = SHIPPED["learning-study"]
    titles = [
        step.title
        for phase in guide.phases
        for step in generate_agenda(guide, phase=phase.key, language="en")
    ]
    for number in range(1, 10):
        assert any(title.startswith(f"Step {number}:") for title in titles), number
    assert [p.key for p in guide.phases][2:5] == ["lesson_a", "lesson_b", "lesson_c"]


def test_group_supervision_opens_and_closes_with_a_round_around_one_case():
    types = [s.type for s in generate_agenda(SHIPPED["group-supervision"], phase="supervision")]
    assert types[0] == "opening_round"
    assert types[-1] == "closing_round"
    assert "case" in types


def test_a_guide_without_a_feedback_step_gets_a_follow_up_step_for_commitments():
    guide = parse_guide(MINIMAL, "tiny.yaml")
    agenda = generate_agenda(guide, commitments=[commitment(1, "Bob")], language="en")
    assert [step.key for step in agenda] == ["open", "commitment_follow_up"]
    assert agenda[1].commitments[0].text == "Pröva exit tickets"
    assert agenda[1].title == "Follow-up of commitments"
    assert generate_agenda(guide) and len(generate_agenda(guide)) == 1


def test_the_action_research_spiral_goes_round_again():
    guide = SHIPPED["action-research"]
    assert next_phase(guide, "plan", 1).key == "act_observe"
    assert next_phase(guide, "act_observe", 1).key == "act_observe"
    assert next_phase(guide, "act_observe", 2).key == "reflect_replan"
    assert next_phase(guide, "reflect_replan", 1).key == "act_observe"


def test_a_tlc_keeps_meeting_monthly_after_its_launch():
    guide = SHIPPED["tlc"]
    assert next_phase(guide, "launch", 1).key == "monthly"
    assert next_phase(guide, "monthly", 40).key == "monthly"


# --------------------------------------------------------------------------- broken guides


def broken(old, new):
    assert old in MINIMAL
    return MINIMAL.replace(old, new, 1)


def line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_an_unknown_step_type_fails_at_load_time_with_file_and_line():
    text = broken("type: introduction", "type: brainstorm")
    with pytest.raises(GuideError) as error:
        parse_guide(text, "tiny.yaml")
    assert error.value.source == "tiny.yaml"
    assert error.value.line == line_of(text, "brainstorm")
    assert str(error.value).startswith(f"tiny.yaml:{error.value.line}:")
    assert "brainstorm" in str(error.value)


def test_a_missing_field_is_reported_with_the_line_of_its_step():
    text = broken("        minutes: 5\n", "")
    with pytest.raises(GuideError, match="missing field 'minutes'") as error:
        parse_guide(text, "tiny.yaml")
    assert error.value.line == line_of(text, "- key: open")


def test_a_time_box_that_is_not_a_number_is_reported():
    text = broken("minutes: 5", "minutes: fem")
    with pytest.raises(GuideError, match="whole number") as error:
        parse_guide(text, "tiny.yaml")
    assert error.value.line == line_of(text, "minutes: fem")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("version: 1", "version: one", "version must be a whole number"),
        ("version: 1", "version: 0", "between 1"),
        ("method: tlc", "method: yoga", "unknown value 'yoga'"),
        ("roles: [discussion_leader]", "roles: [captain]", "unknown value 'captain'"),
        ("roles: [discussion_leader]", "roles: discussion_leader", "must be a list"),
        ("title: {sv: Start, en: Start}", "title: {sv: Start}", "missing field 'en'"),
        ("prompts: {sv: [Fråga], en: [Question]}", "prompts: {sv: [], en: [Q]}", "not be empty"),
        ("meeting_type: meet", "meeting_type: other", "not defined"),
        ("interval_days: 7", "interval_days: 7\ninterval_days: 8", "duplicate key"),
        ("group_size: {min: 2, max: 4}", "group_size: {min: 5, max: 4}", "smaller than min"),
        ("slug: tiny", "slug: Tiny Guide", "slug"),
        ("interval_days: 7", "interval_days: 7\ncolour: blue", "unknown field 'colour'"),
        ("minutes: 5", "minutes: 5:00", "whole number"),
        ("title: {sv: Liten, en: Tiny}", "title: {sv: Liten, en: [Tiny", "not valid YAML"),
    ],
)
def test_broken_guides_are_rejected_with_a_clear_message(old, new, message):
    with pytest.raises(GuideError, match=message) as error:
        parse_guide(broken(old, new), "tiny.yaml")
    assert error.value.line is not None


def test_an_empty_guide_is_rejected():
    with pytest.raises(GuideError, match="empty"):
        parse_guide("", "empty.yaml")


def test_a_phase_that_continues_into_an_unknown_phase_is_rejected():
    text = broken(
        "    description: {sv: Besk, en: Desc}\n",
        "    description: {sv: B, en: D}\n    then: nowhere\n",
    )
    with pytest.raises(GuideError, match="unknown phase 'nowhere'"):
        parse_guide(text, "tiny.yaml")


def test_a_broken_file_in_the_guides_folder_stops_loading(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(broken("type: introduction", "type: nap"), "utf-8")
    with pytest.raises(GuideError, match=r"^b\.yaml:\d+:"):
        load_guides(tmp_path)


def test_two_files_with_the_same_slug_are_rejected(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(GuideError, match="slug 'tiny'"):
        load_guides(tmp_path)


def test_json_is_accepted_as_well():
    import json

    import yaml

    as_json = json.dumps(yaml.safe_load(MINIMAL), ensure_ascii=False)
    assert parse_guide(as_json, "tiny.json").slug == "tiny"


def test_shipped_guides_are_loaded_from_the_data_folder():
    guide = load_guide_file(GUIDES_DIR / "tlc.yaml")
    assert guide.source_name == "tlc.yaml"
    assert guide == SHIPPED["tlc"]


# --------------------------------------------------------------------------- talk steps

TALKS = (
    MINIMAL
    + """\
      - key: talks
        type: talk
        minutes: 20
        talk_minutes: 2
        title: {sv: Mikropresentationer, en: Micro talks}
        purpose: {sv: Korta idéer, en: Short ideas}
        prompts: {sv: ["Vad gjorde du?"], en: ["What did you do?"]}
        roles: [presenter, timekeeper]
"""
)


def test_a_talk_step_says_how_long_each_talk_is_and_how_many_fit():
    guide = parse_guide(TALKS, "tiny.yaml")
    step = guide.meeting_type("meet").steps[1]
    assert (step.talk_minutes, step.talk_capacity, step.takes_sign_ups) == (2, 10, True)
    assert guide.meeting_type("meet").talk_steps == (step,)
    agenda = generate_agenda(guide, meeting_type="meet")
    assert (agenda[1].talk_minutes, agenda[1].talk_capacity) == (2, 10)
    assert agenda[0].talk_minutes is None and not agenda[0].takes_sign_ups


def test_the_workshop_guide_fits_ten_nano_talks_four_micro_talks_and_a_soapbox():
    guide = SHIPPED["workshop"]
    assert guide.version == 3
    talks = {step.key: step for step in guide.meeting_type("teachmeet").talk_steps}
    assert {key: (s.talk_minutes, s.talk_capacity) for key, s in talks.items()} == {
        "micro_talks": (2, 10),  # nano talks (the step keys of version 2 are kept)
        "short_talks": (7, 4),  # micro talks
        "soapbox": (15, 1),
    }
    speaker_list = guide.meeting_type("planning").steps[1]
    assert (speaker_list.key, speaker_list.speaker_list_for) == ("sign_up", "teachmeet")


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_every_talk_step_of_every_shipped_guide_takes_sign_ups(slug):
    for meeting_type in SHIPPED[slug].meeting_types:
        for step in meeting_type.steps:
            if step.type == "talk":
                assert step.takes_sign_ups and step.talk_capacity >= 1, (slug, step.key)


def talk_broken(old, new):
    assert old in TALKS
    return TALKS.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("talk_minutes: 2", "talk_minutes: two", "talk_minutes: two", "must be a whole number"),
        ("talk_minutes: 2", "talk_minutes: 2.5", "talk_minutes: 2.5", "must be a whole number"),
        ("talk_minutes: 2", "talk_minutes: '2'", "talk_minutes: '2'", "must be a whole number"),
        ("talk_minutes: 2", "talk_minutes: 0", "talk_minutes: 0", "between 1 and"),
        ("talk_minutes: 2", "talk_minutes: 25", "talk_minutes: 25", "does not fit in the step"),
        (
            "        minutes: 5\n",
            "        minutes: 5\n        talk_minutes: 2\n",
            "talk_minutes: 2",
            "only for steps of type 'talk', not 'introduction'",
        ),
    ],
)
def test_a_wrong_talk_length_is_reported_with_file_and_line(old, new, needle, message):
    text = talk_broken(old, new)
    with pytest.raises(GuideError, match=message) as error:
        parse_guide(text, "tiny.yaml")
    assert error.value.line == line_of(text, needle)
    assert str(error.value).startswith(f"tiny.yaml:{error.value.line}: step '")


def test_a_talk_step_without_a_talk_length_is_reported_with_the_line_of_its_step():
    text = talk_broken("        talk_minutes: 2\n", "")
    with pytest.raises(GuideError, match="missing field 'talk_minutes'") as error:
        parse_guide(text, "tiny.yaml")
    assert error.value.line == line_of(text, "- key: talks")
    assert (error.value.code, error.value.params["field"]) == ("missing_field", "talk_minutes")


def test_a_stored_guide_from_before_talk_lengths_is_still_read_without_sign_up():
    text = talk_broken("        talk_minutes: 2\n", "")
    guide = parse_guide(text, "stored v1", require_talk_minutes=False)
    step = guide.meeting_type("meet").steps[1]
    assert step.talk_minutes is None and not step.takes_sign_ups
    assert guide.meeting_type("meet").talk_steps == ()
    # Everything else is checked as strictly as ever.
    with pytest.raises(GuideError, match="whole number"):
        parse_guide(text.replace("minutes: 20", "minutes: lots"), "v1", require_talk_minutes=False)


SPEAKER_LIST = TALKS.replace(
    "        type: introduction\n",
    "        type: introduction\n        speaker_list_for: meet\n",
    1,
)


def test_a_step_can_show_the_speaker_list_of_a_meeting_type_with_talks():
    guide = parse_guide(SPEAKER_LIST, "tiny.yaml")
    assert guide.meeting_type("meet").steps[0].speaker_list_for == "meet"


@pytest.mark.parametrize(
    ("text", "needle", "message"),
    [
        (
            SPEAKER_LIST.replace("speaker_list_for: meet", "speaker_list_for: gala"),
            "speaker_list_for: gala",
            "unknown meeting type 'gala'",
        ),
        (
            SPEAKER_LIST.replace("        talk_minutes: 2\n", "").replace(
                "type: talk", "type: discussion"
            ),
            "speaker_list_for: meet",
            "has no talk step with talk_minutes",
        ),
        (
            TALKS.replace(
                "        talk_minutes: 2\n",
                "        talk_minutes: 2\n        speaker_list_for: meet\n",
            ),
            "speaker_list_for: meet",
            "a talk step lists its own speakers",
        ),
    ],
)
def test_a_wrong_speaker_list_is_reported_with_file_and_line(text, needle, message):
    with pytest.raises(GuideError, match=message) as error:
        parse_guide(text, "tiny.yaml")
    assert error.value.line == line_of(text, needle)

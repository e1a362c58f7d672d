"""The observation guide data file: complete in both languages and validated on load."""

from __future__ import annotations

import copy

import pytest
import yaml

from kollegium.observations.guides import (
    DEFAULT_PATH,
    GuideError,
    judgement_words_in,
    load_guides,
    parse_guides,
)


@pytest.fixture
def raw():
    with open(DEFAULT_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_the_bundled_guides_load_with_both_forms_and_many_focus_areas():
    guides = load_guides()
    assert set(guides.form_keys) == {"stars_and_wish", "descriptive_evidence"}
    assert len(guides.focus_areas) >= 10
    assert {
        "questioning",
        "formative_feedback",
        "lesson_start",
        "lesson_ending",
        "instructions",
        "pupil_talk",
        "differentiation",
        "digital_tools",
        "classroom_climate",
    } <= set(guides.focus_keys)
    for area in guides.focus_areas:
        assert len(area.look_fors) >= 3
        assert area.title.sv != area.title.en


def test_two_stars_and_a_wish_has_two_stars_and_one_wish():
    form = load_guides().form("stars_and_wish")
    assert form.field_keys == ("star_1", "star_2", "wish")


def test_the_debrief_guide_fits_in_half_an_hour():
    debrief = load_guides().debrief
    assert 15 <= debrief.total_minutes <= 30
    assert debrief.steps[0].key == "open"


def test_text_falls_back_to_swedish_for_unknown_languages():
    area = load_guides().focus("questioning")
    assert area.title.get("en") == "Questioning and wait time"
    assert area.title.get("en-gb") == "Questioning and wait time"
    assert area.title.get("sv") == area.title.get("fi") == area.title.get(None)


def test_an_unknown_focus_key_raises_key_error():
    with pytest.raises(KeyError):
        load_guides().focus("astrology")


def test_a_missing_english_text_is_refused_with_its_place(raw):
    broken = copy.deepcopy(raw)
    del broken["focus_areas"][2]["look_fors"][1]["en"]
    with pytest.raises(GuideError, match=r"focus_areas\[2\]\.look_fors\[1\].*'en'"):
        parse_guides(broken)


def test_a_duplicate_focus_key_is_refused(raw):
    broken = copy.deepcopy(raw)
    broken["focus_areas"][1]["key"] = broken["focus_areas"][0]["key"]
    with pytest.raises(GuideError, match="duplicate key"):
        parse_guides(broken)


def test_a_bad_minute_count_or_version_is_refused(raw):
    broken = copy.deepcopy(raw)
    broken["debrief"]["steps"][0]["minutes"] = "five"
    with pytest.raises(GuideError, match="minutes"):
        parse_guides(broken)
    wrong_version = copy.deepcopy(raw)
    wrong_version["version"] = 2
    with pytest.raises(GuideError, match="version"):
        parse_guides(wrong_version)


def test_a_file_path_can_be_loaded(tmp_path, raw):
    path = tmp_path / "guides.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert load_guides(path).focus_keys == load_guides().focus_keys


def test_judging_words_are_found_in_either_language_once_each():
    form = load_guides().form("descriptive_evidence")
    text = "09:12 Bra fråga! Eleverna svarade. That was GOOD, really good; du borde vänta."
    assert judgement_words_in(text, form) == ("Bra", "GOOD", "borde")
    assert judgement_words_in("09:14 Fyra elever räckte upp handen.", form) == ()

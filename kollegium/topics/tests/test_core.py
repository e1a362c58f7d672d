"""The published prioritisation's pure core (no database)."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kollegium.topics.core import (
    Facts,
    FocusFit,
    LeadLevel,
    WeightsError,
    load_weights,
    rank,
    score,
    suggest_guide,
)


def facts(topic_id=1, **kwargs):
    base = {
        "focus": FocusFit.NONE,
        "has_evidence": False,
        "sharers": 1,
        "lead": LeadLevel.NONE,
        "sole_holder_skills": 0,
        "gap_skills": 0,
        "order": topic_id,
    }
    base.update(kwargs)
    return Facts(topic_id=topic_id, **base)


def test_the_published_file_loads_with_every_criterion():
    weights = load_weights()
    assert [c.key for c in weights.criteria] == ["focus", "need", "shared", "lead", "risk"]
    assert all(c.title["sv"] and c.title["en"] and c.explanation["sv"] for c in weights.criteria)


def test_the_breakdown_adds_up_to_the_score():
    weights = load_weights()
    scored = score(
        facts(focus=FocusFit.FOCUS, has_evidence=True, sharers=3, sole_holder_skills=1), weights
    )
    assert scored.score == pytest.approx(sum(p.points for p in scored.parts), abs=0.3)
    by_key = {p.key: p for p in scored.parts}
    assert by_key["focus"].value == 1.0
    assert by_key["need"].value == 1.0
    assert by_key["shared"].value == pytest.approx(3 / 5)
    assert by_key["lead"].value == 0.0
    assert by_key["risk"].value == 1.0


def test_a_topic_with_nothing_but_a_stated_need_gets_the_need_criterion_half():
    weights = load_weights()
    scored = score(facts(sharers=0), weights)
    # need: weight 3 of 11 at half value; shared: nobody counted -> 0
    assert scored.score == pytest.approx(round(100 * 3 * 0.5 / 11, 1))


def test_more_colleagues_sharing_the_need_ranks_a_topic_higher():
    weights = load_weights()
    ranked = rank([facts(1, sharers=1), facts(2, sharers=4)], weights)
    assert [s.topic_id for s in ranked] == [2, 1]
    assert [s.rank for s in ranked] == [1, 2]


def test_equal_scores_share_a_place_and_keep_the_earlier_proposal_first():
    weights = load_weights()
    ranked = rank([facts(3, order=30), facts(1, order=10), facts(2, order=20, sharers=5)], weights)
    assert [s.topic_id for s in ranked] == [2, 1, 3]
    assert [s.rank for s in ranked] == [1, 2, 2]


def test_a_leader_s_weights_change_the_order():
    weights = load_weights()
    a = facts(1, focus=FocusFit.FOCUS)
    b = facts(2, lead=LeadLevel.GUIDE, sharers=5)
    assert [s.topic_id for s in rank([a, b], weights)] == [2, 1]
    focus_only = weights.with_weights({"focus": 10, "need": 0, "shared": 0, "lead": 0, "risk": 0})
    assert [s.topic_id for s in rank([a, b], focus_only)] == [1, 2]


@pytest.mark.parametrize(
    "bad",
    [
        {"focus": -1},
        {"focus": 11},
        {"focus": "3"},
        {"focus": True},
        {"focus": 0, "need": 0, "shared": 0, "lead": 0, "risk": 0},
    ],
)
def test_weights_outside_0_to_10_or_all_zero_are_refused(bad):
    with pytest.raises(WeightsError):
        load_weights().with_weights(bad)


def test_a_weights_file_without_every_criterion_is_refused(tmp_path: Path):
    path = tmp_path / "weights.yaml"
    path.write_text("people_for_full_share: 5\ncriteria:\n  focus:\n    weight: 1\n")
    with pytest.raises(WeightsError):
        load_weights(path)


@given(
    sharers=st.integers(min_value=0, max_value=500),
    sole=st.integers(min_value=0, max_value=5),
    gap=st.integers(min_value=0, max_value=5),
    focus=st.sampled_from(list(FocusFit)),
    lead=st.sampled_from(list(LeadLevel)),
    evidence=st.booleans(),
)
def test_every_score_is_between_0_and_100(sharers, sole, gap, focus, lead, evidence):
    scored = score(
        facts(
            sharers=sharers,
            sole_holder_skills=sole,
            gap_skills=gap,
            focus=focus,
            lead=lead,
            has_evidence=evidence,
        ),
        load_weights(),
    )
    assert 0 <= scored.score <= 100
    assert all(0 <= p.value <= 1 for p in scored.parts)


def test_the_suggested_guide_follows_the_topic():
    assert suggest_guide(has_evidence=False, needs_expert=True)[0] == "reading-circle"
    assert suggest_guide(has_evidence=True, needs_expert=False)[0] == "action-research"
    assert suggest_guide(has_evidence=False, needs_expert=False)[0] == "tlc"

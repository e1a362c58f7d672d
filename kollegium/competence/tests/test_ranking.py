"""Scoring for "who can help with X" (pure, no database)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kollegium.competence.ranking import (
    Candidate,
    Proximity,
    Reason,
    ReasonCode,
    endorsement_points,
    rank,
    score_candidate,
)

TODAY = date(2026, 11, 23)


def test_a_guide_outranks_a_confident_colleague_who_outranks_a_practising_one():
    ranked = rank(
        [
            Candidate(1, Proximity.SCHOOL, level=2),
            Candidate(2, Proximity.SCHOOL, level=4),
            Candidate(3, Proximity.SCHOOL, level=3),
        ],
        today=TODAY,
    )
    assert [r.person_id for r in ranked] == [2, 3, 1]


def test_willingness_to_share_lifts_a_candidate_at_the_same_level():
    ranked = rank(
        [
            Candidate(1, Proximity.SCHOOL, level=3),
            Candidate(2, Proximity.SCHOOL, level=3, willing_to_share=True),
        ],
        today=TODAY,
    )
    assert [r.person_id for r in ranked] == [2, 1]


def test_same_team_beats_same_school_at_equal_merit():
    ranked = rank(
        [Candidate(1, Proximity.SCHOOL, level=3), Candidate(2, Proximity.TEAM, level=3)],
        today=TODAY,
    )
    assert [r.person_id for r in ranked] == [2, 1]


def test_own_school_comes_before_the_network_even_if_the_network_scores_higher():
    ranked = rank(
        [
            Candidate(1, Proximity.NETWORK, level=4, willing_to_share=True, endorsements=9),
            Candidate(2, Proximity.SCHOOL, level=2),
        ],
        today=TODAY,
    )
    assert [r.person_id for r in ranked] == [2, 1]
    assert ranked[1].score > ranked[0].score


def test_endorsements_help_with_diminishing_returns_and_a_cap():
    assert endorsement_points(0) == 0
    assert 0 < endorsement_points(1) < endorsement_points(3) < endorsement_points(8)
    assert endorsement_points(8) == endorsement_points(500) == 10


def test_recent_activity_counts_and_old_activity_does_not():
    recent = score_candidate(
        Candidate(1, Proximity.SCHOOL, level=3, last_active=TODAY - timedelta(days=3)), today=TODAY
    )
    fairly = score_candidate(
        Candidate(1, Proximity.SCHOOL, level=3, last_active=TODAY - timedelta(days=40)), today=TODAY
    )
    old = score_candidate(
        Candidate(1, Proximity.SCHOOL, level=3, last_active=TODAY - timedelta(days=400)),
        today=TODAY,
    )
    assert recent.score > fairly.score > old.score
    assert Reason(ReasonCode.ACTIVE, 3) in recent.reasons
    assert all(r.code is not ReasonCode.ACTIVE for r in old.reasons)


def test_the_reasons_explain_every_point_in_order_of_weight():
    ranked = score_candidate(
        Candidate(
            7,
            Proximity.TEAM,
            level=4,
            willing_to_share=True,
            endorsements=2,
            last_active=TODAY,
            text_match=True,
        ),
        today=TODAY,
    )
    assert ranked.reasons == (
        Reason(ReasonCode.LEVEL, 4),
        Reason(ReasonCode.WILLING),
        Reason(ReasonCode.SAME_TEAM),
        Reason(ReasonCode.ENDORSED, 2),
        Reason(ReasonCode.ACTIVE, 0),
        Reason(ReasonCode.ASK_ME_ABOUT),
    )
    assert ranked.score == 40 + 15 + 12 + 5 + 6 + 5


def test_a_free_text_match_without_a_level_still_ranks_and_says_why():
    ranked = score_candidate(Candidate(1, Proximity.NETWORK, text_match=True), today=TODAY)
    assert ranked.reasons == (Reason(ReasonCode.NETWORK), Reason(ReasonCode.ASK_ME_ABOUT))
    assert ranked.score == 5


def test_ties_are_ordered_by_person_so_the_list_is_stable():
    ranked = rank(
        [Candidate(9, Proximity.SCHOOL, level=3), Candidate(4, Proximity.SCHOOL, level=3)],
        today=TODAY,
    )
    assert [r.person_id for r in ranked] == [4, 9]


@given(
    st.lists(
        st.builds(
            Candidate,
            person_id=st.integers(1, 10_000),
            proximity=st.sampled_from(list(Proximity)),
            level=st.one_of(st.none(), st.integers(1, 4)),
            willing_to_share=st.booleans(),
            endorsements=st.integers(0, 50),
            text_match=st.booleans(),
        ),
        max_size=30,
    )
)
def test_raising_a_level_never_lowers_the_score_and_school_always_precedes_network(cands):
    ranked = rank(cands, today=TODAY)
    seen_network = False
    for r in ranked:
        if r.proximity is Proximity.NETWORK:
            seen_network = True
        else:
            assert not seen_network
    for c in cands:
        if c.level is not None and c.level < 4:
            higher = Candidate(
                c.person_id,
                c.proximity,
                c.level + 1,
                c.willing_to_share,
                c.endorsements,
                c.last_active,
                c.text_match,
            )
            assert (
                score_candidate(higher, today=TODAY).score > score_candidate(c, today=TODAY).score
            )


def test_a_willing_team_mate_still_learning_comes_after_a_confident_colleague():
    ranked = rank(
        [
            Candidate(1, Proximity.TEAM, level=2, willing_to_share=True, endorsements=3),
            Candidate(2, Proximity.SCHOOL, level=3),
            Candidate(3, Proximity.SCHOOL, text_match=True),
        ],
        today=TODAY,
    )
    by_id = {r.person_id: r for r in ranked}
    assert by_id[1].score > by_id[2].score  # more points, yet still learning
    assert [r.person_id for r in ranked] == [2, 3, 1]
    assert [r.still_learning for r in ranked] == [False, False, True]

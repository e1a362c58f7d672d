"""The pure cores: terms, teaching weeks, distributions, the research checks, chart geometry."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kollegium.insights import charts, figures, periods


def test_a_date_in_autumn_belongs_to_the_autumn_term_and_july_to_the_spring_before():
    assert periods.term_of(date(2026, 9, 1)).key == "ht2026"
    assert periods.term_of(date(2027, 3, 1)).key == "vt2027"
    assert periods.term_of(date(2027, 7, 10)).key == "vt2027"
    assert periods.term_of(date(2026, 12, 31)).end == date(2026, 12, 31)


def test_recent_terms_go_back_in_order():
    keys = [p.key for p in periods.recent_terms(date(2026, 12, 7), 4)]
    assert keys == ["ht2026", "vt2026", "ht2025", "vt2025"]


def test_a_term_key_is_parsed_and_nonsense_is_refused():
    assert periods.parse_term_key("vt2027") == periods.term("vt", 2027)
    for bad in ("", "ht26", "xx2026", "ht99999", "ht1900", "ht2026 "):
        assert periods.parse_term_key(bad) is None


def test_a_custom_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends_before_start"):
        periods.custom_period(date(2026, 10, 2), date(2026, 10, 1))
    with pytest.raises(ValueError, match="too_long"):
        periods.custom_period(date(2020, 1, 1), date(2026, 1, 1))
    assert periods.custom_period(date(2026, 10, 1), date(2026, 10, 1)).days == 1


def test_a_whole_term_has_its_teaching_weeks_and_the_summer_none():
    weeks = periods.teaching_weeks(periods.term("ht", 2026), autumn_weeks=18, spring_weeks=20)
    assert weeks == pytest.approx(18)
    summer = periods.Period("custom", date(2026, 7, 1), date(2026, 7, 31))
    assert periods.teaching_weeks(summer, autumn_weeks=18, spring_weeks=20) == 0
    year = periods.Period("custom", date(2026, 1, 1), date(2026, 12, 31))
    assert periods.teaching_weeks(year, autumn_weeks=18, spring_weeks=20) == pytest.approx(38)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)), st.integers(-30, 30))
def test_months_after_always_gives_a_real_date_in_the_right_month(day, months):
    result = periods.months_after(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months


def test_a_distribution_below_the_minimum_is_not_shown():
    people, dist = figures.distribution([(60, 100)] * 4, 5)
    assert people == 4 and dist is None
    people, dist = figures.distribution([(60, 100)] * 5, 5)
    assert dist is not None and dist.people == 5


def test_the_minimum_is_never_below_three_whatever_the_setting():
    assert figures.distribution([(1, 1)] * 2, 1)[1] is None


def test_a_distribution_counts_people_below_half_and_the_quartiles():
    pairs = [(0, 100), (40, 100), (50, 100), (80, 100), (120, 100)]
    _n, dist = figures.distribution(pairs, 5)
    assert dist is not None
    assert dist.below_half == 2  # 0 and 40; 50 is exactly half
    assert dist.median == 50 and dist.promised == 100
    assert (dist.lower_quartile, dist.upper_quartile) == (40, 80)
    assert dist.bands == (1, 1, 1, 1, 1)


def test_shares_and_the_spread_between_groups():
    assert figures.share(4, 2, 5) is None
    assert figures.share(10, 3, 5).percent == 30
    assert figures.spread([figures.Share(10, 9), None, figures.Share(10, 3)]) == 60
    assert figures.spread([figures.Share(10, 9)]) is None


def test_load_counts_put_four_or_more_together():
    assert figures.load_counts([0, 1, 1, 2, 4, 7]) == [1, 2, 1, 0, 2]


def test_the_research_file_loads_with_sources_for_every_rule():
    r = figures.rhythm()
    assert r.value("group_size_max") == 14
    assert r.value("hours_per_year_min") == 14 and r.value("hours_per_year_good") == 50
    for rule in r.rules.values():
        assert rule.source.text and rule.reason_sv and rule.reason_en


def test_a_plan_like_a_tlc_gets_no_warning():
    plan = figures.GroupPlan(members=10, interval_days=28, meeting_minutes=90, run_days=600)
    assert figures.check_plan(plan) == []


def test_a_large_rare_short_plan_gets_each_warning_with_its_reason():
    plan = figures.GroupPlan(members=20, interval_days=60, meeting_minutes=45, run_days=90)
    codes = {f.code for f in figures.check_plan(plan)}
    assert codes == {"too_large", "too_rare", "meetings_short", "too_few_hours", "too_short"}


def test_a_promise_below_fourteen_hours_a_year_is_warned_about():
    assert figures.check_promise(10).code == "too_few_hours"
    assert figures.check_promise(30).code == "below_good"
    assert figures.check_promise(60) is None


def test_bars_scale_to_the_largest_value_and_the_marker():
    chart = charts.bar_chart([("a", 2, "2"), ("b", 4, "4")], marker=8)
    assert chart.bars[1].width == pytest.approx(charts.BAR_AREA / 2)
    assert chart.marker_x == pytest.approx(charts.LABEL_WIDTH + charts.BAR_AREA)
    assert chart.height == 2 * charts.TOP + 2 * charts.ROW_HEIGHT

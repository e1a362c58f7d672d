"""Learning-study evidence: aggregates and the accessible SVG chart (pure)."""

import xml.etree.ElementTree as ET

import pytest

from kollegium.groups.evidence import (
    ChartLabels,
    ItemResult,
    VersionResults,
    evidence_chart_svg,
    percent,
    summarise,
)

LABELS = ChartLabels(
    title="Andel rätt före och efter",
    description="Förtest och eftertest per uppgift och lektionsversion",
    pre="Förtest",
    post="Eftertest",
    version="Lektion {label}",
)
SVG = "{http://www.w3.org/2000/svg}"


def versions():
    return [
        VersionResults(
            "A",
            (ItemResult("Uppgift 1", 0.3, 20, 0.6, 20), ItemResult("Uppgift 2", 0.5, 10, 0.5, 10)),
        ),
        VersionResults("B", (ItemResult("Uppgift 1", 0.2, 25, 0.9, 24),)),
    ]


def test_the_averages_are_weighted_by_the_number_of_pupils():
    a, b = summarise(versions())
    assert a.pre_average == pytest.approx((0.3 * 20 + 0.5 * 10) / 30)
    assert a.post_average == pytest.approx((0.6 * 20 + 0.5 * 10) / 30)
    assert b.change == pytest.approx(0.7)


def test_a_version_without_pupils_has_no_average_rather_than_zero():
    (row,) = summarise([VersionResults("A", (ItemResult("1", 0.0, 0, 0.0, 0),))])
    assert row.pre_average is None and row.change is None
    assert percent(row.pre_average) == "–"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"pre_share": 1.2},
        {"post_share": -0.1},
        {"pre_pupils": -1},
    ],
)
def test_impossible_results_are_refused(kwargs):
    values = {"item": "1", "pre_share": 0.5, "pre_pupils": 5, "post_share": 0.5, "post_pupils": 5}
    values.update(kwargs)
    with pytest.raises(ValueError):
        ItemResult(**values)


def test_the_chart_is_valid_svg_with_a_title_and_one_row_per_item_and_version():
    svg = evidence_chart_svg(versions(), LABELS)
    root = ET.fromstring(  # noqa: S314
        svg
    )
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == LABELS.title
    # legend has two circles; each of the three rows has a pre and a post circle
    assert len(root.findall(f"{SVG}circle")) == 2 + 3 * 2
    texts = [t.text for t in root.findall(f"{SVG}text")]
    assert "Uppgift 1 · Lektion A" in texts and "Uppgift 1 · Lektion B" in texts


def test_the_post_test_dot_sits_further_right_when_more_pupils_answered_correctly():
    root = ET.fromstring(  # noqa: S314
        evidence_chart_svg(versions()[1:], LABELS)
    )
    pre, post = root.findall(f"{SVG}circle")[2:]
    assert float(post.get("cx")) > float(pre.get("cx"))


def test_item_names_are_escaped():
    result = VersionResults("A", (ItemResult("<script>x</script>", 0.1, 3, 0.2, 3),))
    svg = evidence_chart_svg([result], LABELS)
    assert "<script>" not in svg
    ET.fromstring(  # noqa: S314
        svg
    )

"""Learning-study evidence: aggregate pre-/post-test results and an SVG chart (pure).

Only aggregates are ever handled here: per lesson version and test item, the share of
pupils who answered correctly before and after the lesson and how many pupils took the
test. There is no place for a pupil's name or identifier.

The chart is a "dumbbell" chart: one row per test item and lesson version, a hollow circle
at the pre-test share and a filled circle at the post-test share, joined by a line. Shape,
not colour, tells pre from post, and the same numbers are always shown in a data table
beside the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class ItemResult:
    item: str
    pre_share: float  # 0.0 - 1.0
    pre_pupils: int
    post_share: float
    post_pupils: int

    def __post_init__(self) -> None:
        for share in (self.pre_share, self.post_share):
            if not 0.0 <= share <= 1.0:
                raise ValueError("a share of correct answers is between 0 and 1")
        if self.pre_pupils < 0 or self.post_pupils < 0:
            raise ValueError("the number of pupils cannot be negative")

    @property
    def change(self) -> float:
        return self.post_share - self.pre_share


@dataclass(frozen=True)
class VersionResults:
    label: str  # "A", "B", "C"
    items: tuple[ItemResult, ...]

    def weighted(self, attribute: str) -> float | None:
        pupils = f"{attribute}_pupils"
        total = sum(getattr(item, pupils) for item in self.items)
        if total == 0:
            return None
        return (
            sum(getattr(item, f"{attribute}_share") * getattr(item, pupils) for item in self.items)
            / total
        )

    @property
    def pre_average(self) -> float | None:
        return self.weighted("pre")

    @property
    def post_average(self) -> float | None:
        return self.weighted("post")


@dataclass(frozen=True)
class ChartLabels:
    title: str
    description: str
    pre: str
    post: str
    version: str  # e.g. "Lesson {label}" with {label} replaced


@dataclass(frozen=True)
class SummaryRow:
    version: str
    pre_average: float | None
    post_average: float | None

    @property
    def change(self) -> float | None:
        if self.pre_average is None or self.post_average is None:
            return None
        return self.post_average - self.pre_average


def summarise(versions: Sequence[VersionResults]) -> tuple[SummaryRow, ...]:
    return tuple(
        SummaryRow(version=v.label, pre_average=v.pre_average, post_average=v.post_average)
        for v in versions
    )


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)} %"


_ROW = 22
_GAP = 12
_LEFT = 190
_WIDTH = 640
_TOP = 40
_PLOT = _WIDTH - _LEFT - 30


def _x(share: float) -> float:
    return round(_LEFT + share * _PLOT, 1)


def evidence_chart_svg(versions: Sequence[VersionResults], labels: ChartLabels) -> str:
    """An accessible inline SVG comparing pre- and post-test shares per item and version."""
    items: list[str] = []
    for version in versions:
        for result in version.items:
            if result.item not in items:
                items.append(result.item)
    rows: list[tuple[str, str, ItemResult]] = []
    for item in items:
        for version in versions:
            for result in version.items:
                if result.item == item:
                    rows.append((item, version.label, result))
    height = _TOP + len(rows) * _ROW + len(items) * _GAP + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
        f'role="img" aria-labelledby="evidence-title evidence-desc" class="evidence-chart">',
        f'<title id="evidence-title">{escape(labels.title)}</title>',
        f'<desc id="evidence-desc">{escape(labels.description)}</desc>',
    ]
    # grid and axis labels
    for tick in range(0, 101, 25):
        x = _x(tick / 100)
        parts.append(
            f'<line x1="{x}" y1="{_TOP - 8}" x2="{x}" y2="{height - 24}" stroke="#767676" '
            f'stroke-width="0.5" stroke-dasharray="2 3"/>'
        )
        parts.append(
            f'<text x="{x}" y="{height - 8}" text-anchor="middle" font-size="12" '
            f'fill="#222">{tick} %</text>'
        )
    # legend
    parts.append(
        f'<circle cx="{_LEFT}" cy="16" r="6" fill="#fff" stroke="#1d4f91" stroke-width="2"/>'
        f'<text x="{_LEFT + 12}" y="20" font-size="12" fill="#222">{escape(labels.pre)}</text>'
        f'<circle cx="{_LEFT + 150}" cy="16" r="6" fill="#1d4f91"/>'
        f'<text x="{_LEFT + 162}" y="20" font-size="12" fill="#222">{escape(labels.post)}</text>'
    )
    y = _TOP
    previous_item: str | None = None
    for item, version_label, result in rows:
        if item != previous_item:
            if previous_item is not None:
                y += _GAP
            previous_item = item
        name = labels.version.replace("{label}", version_label)
        caption = f"{item} · {name}"
        if len(caption) > 30:
            caption = caption[:29] + "…"
        pre_x, post_x = _x(result.pre_share), _x(result.post_share)
        cy = y + _ROW / 2
        parts.append(
            f'<text x="{_LEFT - 10}" y="{cy + 4}" text-anchor="end" font-size="12" '
            f'fill="#222">{escape(caption)}</text>'
            f'<line x1="{pre_x}" y1="{cy}" x2="{post_x}" y2="{cy}" stroke="#1d4f91" '
            f'stroke-width="2"/>'
            f'<circle cx="{pre_x}" cy="{cy}" r="6" fill="#fff" stroke="#1d4f91" '
            f'stroke-width="2"/>'
            f'<circle cx="{post_x}" cy="{cy}" r="6" fill="#1d4f91"/>'
        )
        y += _ROW
    parts.append("</svg>")
    return "".join(parts)

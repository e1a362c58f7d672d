"""Geometry of the server-rendered SVG bar charts (pure: no Django).

A chart is a list of horizontal bars with a label and a value; the template draws them. The
number is always printed next to its bar (colour never carries meaning alone), and every
chart has its data table and a CSV export beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 150
BAR_AREA = 300
VALUE_WIDTH = 70
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as printed
    y: int
    width: float
    text_x: float

    @property
    def label_y(self) -> int:
        return self.y + BAR_HEIGHT - 4


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    marker_x: float | None  # a vertical line (the promise), or None
    marker_text: str

    @property
    def bar_x(self) -> int:
        return self.label_width


def bar_chart(
    rows: Sequence[tuple[str, float, str]],
    *,
    scale_max: float | None = None,
    marker: float | None = None,
    marker_text: str = "",
) -> Chart:
    """Bars for (label, value, printed value) rows, scaled to the largest value or marker."""
    top = max([value for _l, value, _t in rows] + [marker or 0, scale_max or 0, 1])
    bars = []
    for index, (label, value, text) in enumerate(rows):
        width = round(BAR_AREA * max(value, 0) / top, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                y=TOP + index * ROW_HEIGHT,
                width=width,
                text_x=LABEL_WIDTH + width + 6,
            )
        )
    marker_x = round(LABEL_WIDTH + BAR_AREA * marker / top, 1) if marker else None
    return Chart(
        bars=tuple(bars),
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=TOP * 2 + max(len(bars), 1) * ROW_HEIGHT,
        label_width=LABEL_WIDTH,
        marker_x=marker_x,
        marker_text=marker_text,
    )

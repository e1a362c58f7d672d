"""Distributions, shares and research checks behind the leader's page (pure: no Django).

Everything here works on plain numbers about groups of people. Whether a figure may be shown
at all (the minimum group size) is decided with ``kollegium.core.aggregates.shown``; a figure
that may not be shown is ``None`` and never reaches a template.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kollegium.core.aggregates import shown

DATA_FILE = Path(__file__).resolve().parent / "data" / "rhythm.yaml"

#: Held time as a share of the promise, in these bands (the chart's bars).
BANDS: tuple[tuple[int, int | None], ...] = ((0, 25), (25, 50), (50, 75), (75, 100), (100, None))


@dataclass(frozen=True)
class Distribution:
    """Held minutes of a group of people against what was promised to them so far."""

    people: int
    promised: int  # minutes promised to date, per person (the median when it differs)
    median: int
    lower_quartile: int
    upper_quartile: int
    below_half: int  # people who held less than half of their promise
    bands: tuple[int, ...]  # people per band of BANDS

    @property
    def below_half_percent(self) -> int:
        return round(100 * self.below_half / self.people) if self.people else 0

    @property
    def median_percent(self) -> int | None:
        return round(100 * self.median / self.promised) if self.promised else None


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """Lower quartile, median, upper quartile (the median alone for one value)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def band_of(held: float, promised: float) -> int:
    if promised <= 0:
        return len(BANDS) - 1
    percent = 100 * held / promised
    for index, (_low, high) in enumerate(BANDS):
        if high is None or percent < high:
            return index
    return len(BANDS) - 1


def distribution(
    pairs: Iterable[tuple[float, float]], minimum: int
) -> tuple[int, Distribution | None]:
    """(people, the distribution or None below the minimum) of (held, promised) pairs."""
    rows = list(pairs)
    if not shown(len(rows), minimum):
        return len(rows), None
    held = sorted(h for h, _p in rows)
    promised_values = sorted(p for _h, p in rows)
    q1, q2, q3 = quartiles(held)
    bands = [0] * len(BANDS)
    below = 0
    for h, p in rows:
        bands[band_of(h, p)] += 1
        if p > 0 and h < p / 2:
            below += 1
    return len(rows), Distribution(
        people=len(rows),
        promised=round(statistics.median(promised_values)),
        median=round(q2),
        lower_quartile=round(q1),
        upper_quartile=round(q3),
        below_half=below,
        bands=tuple(bands),
    )


@dataclass(frozen=True)
class Share:
    people: int
    count: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.people) if self.people else 0


def share(people: int, count: int, minimum: int) -> Share | None:
    return Share(people, count) if shown(people, minimum) else None


def spread(shares: Iterable[Share | None]) -> int | None:
    """Percentage points between the highest and lowest shown share (None below two)."""
    values = [s.percent for s in shares if s is not None]
    if len(values) < 2:
        return None
    return max(values) - min(values)


def load_counts(per_person: Iterable[int], buckets: int = 5) -> list[int]:
    """People carrying 0, 1, 2, 3 … and ``buckets - 1`` or more commitments at once."""
    counts = [0] * buckets
    for value in per_person:
        counts[min(value, buckets - 1)] += 1
    return counts


# --- research rhythm -----------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    key: str
    text: str
    url: str


@dataclass(frozen=True)
class Rule:
    key: str
    value: int
    source: Source
    reason_sv: str
    reason_en: str

    def reason(self, language: str) -> str:
        return self.reason_en if language.startswith("en") else self.reason_sv


@dataclass(frozen=True)
class Rhythm:
    rules: dict[str, Rule]
    sources: tuple[Source, ...]
    autumn_weeks: float
    spring_weeks: float

    def value(self, key: str) -> int:
        return self.rules[key].value


def parse_rhythm(text: str) -> Rhythm:
    raw: Any = yaml.safe_load(text)
    sources = {
        key: Source(key, str(item["text"]), str(item.get("url", "")))
        for key, item in raw["sources"].items()
    }
    rules = {
        key: Rule(
            key=key,
            value=int(item["value"]),
            source=sources[item["source"]],
            reason_sv=str(item["reason"]["sv"]),
            reason_en=str(item["reason"]["en"]),
        )
        for key, item in raw["rules"].items()
    }
    year = raw["school_year"]
    return Rhythm(
        rules=rules,
        sources=tuple(sources.values()),
        autumn_weeks=float(year["autumn_teaching_weeks"]),
        spring_weeks=float(year["spring_teaching_weeks"]),
    )


@cache
def rhythm() -> Rhythm:
    return parse_rhythm(DATA_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class GroupPlan:
    members: int
    interval_days: int
    meeting_minutes: int
    run_days: int


@dataclass(frozen=True)
class Finding:
    """A plan outside what research suggests: which rule, and the figure that breaks it."""

    code: str  # too_large, too_small, too_rare, meetings_short, too_few_hours, too_short
    rule: Rule
    figure: float


def hours_per_year(interval_days: int, meeting_minutes: int) -> float:
    return (365 / max(interval_days, 1)) * meeting_minutes / 60


def check_plan(plan: GroupPlan, r: Rhythm | None = None) -> list[Finding]:
    """Gentle warnings for a group's plan (empty when it follows the research)."""
    r = r or rhythm()
    found: list[Finding] = []
    if plan.members > r.value("group_size_max"):
        found.append(Finding("too_large", r.rules["group_size_max"], plan.members))
    elif 0 < plan.members < r.value("group_size_min"):
        found.append(Finding("too_small", r.rules["group_size_min"], plan.members))
    if plan.interval_days > r.value("interval_days_max"):
        found.append(Finding("too_rare", r.rules["interval_days_max"], plan.interval_days))
    if 0 < plan.meeting_minutes < r.value("meeting_minutes_min"):
        found.append(
            Finding("meetings_short", r.rules["meeting_minutes_min"], plan.meeting_minutes)
        )
    hours = hours_per_year(plan.interval_days, plan.meeting_minutes)
    if plan.meeting_minutes and hours < r.value("hours_per_year_min"):
        found.append(Finding("too_few_hours", r.rules["hours_per_year_min"], round(hours, 1)))
    if plan.run_days < r.value("run_days_min"):
        found.append(Finding("too_short", r.rules["run_days_min"], plan.run_days))
    return found


def check_promise(hours_a_year: float, r: Rhythm | None = None) -> Finding | None:
    """A school's promise below the hours research finds effective."""
    r = r or rhythm()
    if hours_a_year < r.value("hours_per_year_min"):
        return Finding("too_few_hours", r.rules["hours_per_year_min"], round(hours_a_year, 1))
    if hours_a_year < r.value("hours_per_year_good"):
        return Finding("below_good", r.rules["hours_per_year_good"], round(hours_a_year, 1))
    return None

"""Terms of the Swedish school year and custom periods (pure: no Django).

Hösttermin (autumn term) runs 1 August to 31 December and vårtermin (spring term) 1 January to
30 June; July is the summer break. A promise "per week" counts teaching weeks: a term's
teaching weeks (from ``data/rhythm.yaml``) spread evenly over its calendar days, so a part of a
term, or a custom period across terms, gets its fair share and the summer none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

AUTUMN = "ht"
SPRING = "vt"
CUSTOM = "custom"

_TERM_KEY = re.compile(r"^(ht|vt)(\d{4})$")
#: The longest custom period a report may cover (two school years and a bit).
MAX_PERIOD_DAYS = 800


@dataclass(frozen=True)
class Period:
    kind: str  # "ht", "vt" or "custom"
    start: date
    end: date  # inclusive

    @property
    def key(self) -> str:
        if self.kind == CUSTOM:
            return f"{self.start.isoformat()}_{self.end.isoformat()}"
        return f"{self.kind}{self.start.year}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def until(self, today: date) -> Period:
        """The part of the period up to ``today`` (a period not begun yet is one day long)."""
        end = min(self.end, max(today, self.start))
        return Period(self.kind, self.start, end)


def term(kind: str, year: int) -> Period:
    if kind == AUTUMN:
        return Period(AUTUMN, date(year, 8, 1), date(year, 12, 31))
    if kind == SPRING:
        return Period(SPRING, date(year, 1, 1), date(year, 6, 30))
    raise ValueError(kind)


def term_of(day: date) -> Period:
    """The term a day belongs to; in July (the summer), the spring term just ended."""
    if day.month >= 8:
        return term(AUTUMN, day.year)
    return term(SPRING, day.year)


def previous_term(period: Period) -> Period:
    if period.kind == AUTUMN:
        return term(SPRING, period.start.year)
    return term(AUTUMN, period.start.year - 1)


def next_term(period: Period) -> Period:
    if period.kind == AUTUMN:
        return term(SPRING, period.start.year + 1)
    return term(AUTUMN, period.start.year)


def recent_terms(today: date, count: int = 4) -> list[Period]:
    """The current term and the ``count - 1`` before it, newest first."""
    terms = [term_of(today)]
    while len(terms) < count:
        terms.append(previous_term(terms[-1]))
    return terms


def parse_term_key(key: str) -> Period | None:
    """ "ht2026" → the autumn term 2026; anything else → None."""
    match = _TERM_KEY.match(key or "")
    if not match:
        return None
    year = int(match.group(2))
    if not 2000 <= year <= 2100:
        return None
    return term(match.group(1), year)


def custom_period(start: date, end: date) -> Period:
    """A period chosen by hand. Raises ValueError (with a code) when it makes no sense."""
    if end < start:
        raise ValueError("ends_before_start")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ValueError("too_long")
    return Period(CUSTOM, start, end)


def teaching_weeks(period: Period, *, autumn_weeks: float, spring_weeks: float) -> float:
    """The teaching weeks within a period: each term's weeks spread over its calendar days."""
    total = 0.0
    year = period.start.year
    while year <= period.end.year:
        for kind, weeks in ((SPRING, spring_weeks), (AUTUMN, autumn_weeks)):
            t = term(kind, year)
            overlap_start = max(t.start, period.start)
            overlap_end = min(t.end, period.end)
            if overlap_end >= overlap_start:
                share = ((overlap_end - overlap_start).days + 1) / t.days
                total += weeks * share
        year += 1
    return total


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


def day_after(day: date) -> date:
    return day + timedelta(days=1)

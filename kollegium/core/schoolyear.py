"""The Swedish school year's usual breaks, to keep suggested dates on school days (pure).

Breaks are set by each school owner; these are the usual weeks (Skolverket's "läsårstider"
as most municipalities place them) and serve only as defaults for dates Kollegium suggests:
an observation round's first proposal, the demo's meetings. People can always choose any date.
"""

from __future__ import annotations

from datetime import date, timedelta

# (first day, last day) as (month, day); a break over the new year runs across it.
USUAL_BREAKS: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = (
    ((12, 21), (1, 7)),  # jullov
    ((6, 13), (8, 17)),  # sommarlov
)


def _iso_week_break(day: date) -> bool:
    week = day.isocalendar().week
    return week in (9, 44)  # sportlov (most of the country), höstlov


def _in_break(day: date) -> bool:
    md = (day.month, day.day)
    for first, last in USUAL_BREAKS:
        if first <= last:
            if first <= md <= last:
                return True
        elif md >= first or md <= last:
            return True
    return _iso_week_break(day)


def is_school_day(day: date) -> bool:
    """A weekday outside the usual breaks."""
    return day.weekday() < 5 and not _in_break(day)


def next_school_day(day: date, *, weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)) -> date:
    """`day` or the first school day after it that falls on one of `weekdays` (Monday 0)."""
    while not (is_school_day(day) and day.weekday() in weekdays):
        day += timedelta(days=1)
    return day


def next_school_period(after: date, *, days: int) -> tuple[date, date]:
    """The first stretch of `days` calendar days starting on a Monday after `after` in which
    every weekday is a school day: an observation round's suggested first and last day."""
    monday = after + timedelta(days=7 - after.weekday())
    while True:
        last = monday + timedelta(days=days - 1)
        span = (monday + timedelta(days=i) for i in range(days))
        if all(is_school_day(d) for d in span if d.weekday() < 5):
            return monday, last
        monday += timedelta(days=7)

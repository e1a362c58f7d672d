"""Common free time for a set of people (pure: no Django).

Working hours and dedicated blocks are wall-clock times in a local time zone (Europe/Stockholm
by default); busy intervals are timezone-aware datetimes. Everything is turned into UTC
instants (integer seconds) once, so durations are real elapsed time even on the 23- and
25-hour days of the DST changes, and the intersection is a sweep over sorted intervals.

A wall-clock window such as 08:00–17:00 is the set of instants whose local time falls inside
it. On a day with a change that set is computed on each side of the change with that side's
UTC offset, so the skipped spring hour is never working time and the repeated autumn hour is
working time twice when the window covers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/Stockholm"
_EPOCH = datetime(1970, 1, 1)

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class WorkingHours:
    """Windows of local wall-clock time per weekday (index 0 is Monday)."""

    days: tuple[tuple[tuple[time, time], ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("working hours need one entry per weekday (7)")
        for windows in self.days:
            for start, end in windows:
                if end <= start and end != time(0):
                    raise ValueError(f"working window {start}-{end} ends before it starts")

    @classmethod
    def weekdays(cls, start: time = time(8), end: time = time(17)) -> WorkingHours:
        """The same window Monday to Friday, nothing at weekends."""
        window = ((start, end),)
        return cls((window,) * 5 + ((), ()))


DEFAULT_WORKING_HOURS = WorkingHours.weekdays()


@dataclass(frozen=True)
class DedicatedBlock:
    """One occurrence of protected time for collegial learning."""

    start: datetime
    end: datetime
    label: str = ""


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, in the local time zone
    end: datetime
    minutes: int  # real elapsed minutes
    dedicated: bool = False
    label: str = ""
    fragments: int = 1  # common free pieces of at least the minimum length on the same day
    day: date = field(default=date.min)


def _instant(day: date, wall: time, tz: ZoneInfo, *, is_end: bool) -> int:
    """The UTC second of a local wall-clock time (see the module docstring for DST rules)."""
    if is_end and wall == time(0):
        day, wall = day + timedelta(days=1), time(0)
    naive = datetime.combine(day, wall)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    a = int(first.timestamp())
    b = int(second.timestamp())
    exists_a = datetime.fromtimestamp(a, tz).replace(tzinfo=None) == naive
    exists_b = datetime.fromtimestamp(b, tz).replace(tzinfo=None) == naive
    if exists_a and exists_b:
        return max(a, b) if is_end else min(a, b)
    if exists_a:
        return a
    if exists_b:
        return b
    # In the spring-forward gap: the instant of the change lies between the two readings.
    low, high = min(a, b), max(a, b)
    while high - low > 1:
        mid = (low + high) // 2
        if datetime.fromtimestamp(mid, tz).replace(tzinfo=None) < naive:
            low = mid
        else:
            high = mid
    return high


def _offset(instant: int, tz: ZoneInfo) -> int:
    delta = datetime.fromtimestamp(instant, tz).utcoffset()
    return int(delta.total_seconds()) if delta else 0


def _wall_window(day: date, start: time, end: time, tz: ZoneInfo) -> list[tuple[int, int]]:
    """The UTC intervals (seconds) during which the local wall time on ``day`` lies in
    ``[start, end)``; ``end == 00:00`` means midnight at the end of the day."""
    midnight = datetime.combine(day, time(0))
    ws = int((midnight - _EPOCH).total_seconds()) + start.hour * 3600 + start.minute * 60
    end_day = day + timedelta(days=1) if end == time(0) else day
    we = int((datetime.combine(end_day, end) - _EPOCH).total_seconds())
    if we <= ws:
        return []
    lo = _instant(day, time(0), tz, is_end=False) - 6 * 3600
    hi = lo + 36 * 3600
    before, after = _offset(lo, tz), _offset(hi, tz)
    if before == after:
        return [(ws - before, we - before)]
    while hi - lo > 1:  # find the instant of the change (the first second with the new offset)
        mid = (lo + hi) // 2
        if _offset(mid, tz) == before:
            lo = mid
        else:
            hi = mid
    change = hi
    out = []
    s1, e1 = ws - before, min(we - before, change)
    if e1 > s1:
        out.append((s1, e1))
    s2, e2 = max(ws - after, change), we - after
    if e2 > s2:
        out.append((s2, e2))
    return out


def weekly_blocks(
    *,
    weekday: int,
    start: time,
    end: time,
    first: date,
    last: date,
    label: str = "",
    timezone: str = DEFAULT_TIMEZONE,
    every_weeks: int = 1,
) -> tuple[DedicatedBlock, ...]:
    """Occurrences of a recurring block (e.g. Wednesdays 14:00–15:30) in local wall time."""
    tz = ZoneInfo(timezone)
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    out = []
    while day <= last:
        for s, e in _wall_window(day, start, end, tz):
            out.append(
                DedicatedBlock(datetime.fromtimestamp(s, tz), datetime.fromtimestamp(e, tz), label)
            )
        day += timedelta(days=7 * every_weeks)
    return tuple(out)


def _range_bounds(start: date | datetime, end: date | datetime, tz: ZoneInfo) -> tuple[int, int]:
    if isinstance(start, datetime):
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        low = int(start.timestamp())
    else:
        low = _instant(start, time(0), tz, is_end=False)
    if isinstance(end, datetime):
        if end.tzinfo is None:
            raise ValueError("end must be timezone-aware")
        high = int(end.timestamp())
    else:  # a date end is inclusive
        high = _instant(end + timedelta(days=1), time(0), tz, is_end=False)
    return low, high


def _local_date(value: date | datetime, tz: ZoneInfo) -> date:
    return value.astimezone(tz).date() if isinstance(value, datetime) else value


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    intervals.sort()
    out: list[tuple[int, int]] = []
    for s, e in intervals:
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _subtract(windows: list[tuple[int, int]], busy: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """windows minus busy; both sorted and non-overlapping (a two-pointer sweep)."""
    out = []
    j = 0
    for s, e in windows:
        while j < len(busy) and busy[j][1] <= s:
            j += 1
        cursor = s
        i = j
        while i < len(busy) and busy[i][0] < e:
            if busy[i][0] > cursor:
                out.append((cursor, busy[i][0]))
            cursor = max(cursor, busy[i][1])
            i += 1
        if cursor < e:
            out.append((cursor, e))
    return out


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        s = max(a[i][0], b[j][0])
        e = min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def common_free_slots(
    busy: Mapping[str, Iterable[Interval]],
    *,
    start: date | datetime,
    end: date | datetime,
    min_minutes: int = 30,
    working_hours: WorkingHours = DEFAULT_WORKING_HOURS,
    dedicated: Sequence[DedicatedBlock] = (),
    timezone: str = DEFAULT_TIMEZONE,
    limit: int | None = None,
) -> list[Slot]:
    """Ranked common free slots of at least ``min_minutes`` for everyone in ``busy``.

    ``busy`` maps each person to their busy intervals (aware datetimes). The range is
    ``start``..``end``: dates are local and inclusive, datetimes exact. Each maximal stretch of
    common free working time is a slot; where it overlaps dedicated time, the overlap (if long
    enough) is an extra slot marked ``dedicated``. Ranking: dedicated first, then earlier day,
    then longer, then days with fewer fragments, then earlier start.
    """
    if min_minutes < 1:
        raise ValueError("min_minutes must be at least 1")
    tz = ZoneInfo(timezone)
    low, high = _range_bounds(start, end, tz)
    if high <= low:
        return []
    minimum = min_minutes * 60

    windows: list[tuple[int, int]] = []
    day = _local_date(start, tz) - timedelta(days=1)
    last = _local_date(end, tz)
    while day <= last:
        for w_start, w_end in working_hours.days[day.weekday()]:
            for piece_start, piece_end in _wall_window(day, w_start, w_end, tz):
                s, e = max(low, piece_start), min(high, piece_end)
                if e > s:
                    windows.append((s, e))
        day += timedelta(days=1)
    windows = _merge(windows)

    all_busy: list[tuple[int, int]] = []
    for intervals in busy.values():
        for b_start, b_end in intervals:
            if b_start.tzinfo is None or b_end.tzinfo is None:
                raise ValueError("busy intervals must be timezone-aware")
            s, e = int(b_start.timestamp()), int(b_end.timestamp())
            if e > low and s < high:
                all_busy.append((s, e))
    free = [f for f in _subtract(windows, _merge(all_busy)) if f[1] - f[0] >= minimum]

    labels: list[tuple[int, int, str]] = []
    for block in dedicated:
        labels.append((int(block.start.timestamp()), int(block.end.timestamp()), block.label))
    labels.sort()
    protected = _merge([(s, e) for s, e, _label in labels])

    def label_of(s: int, e: int) -> str:
        return next((lab for ls, le, lab in labels if ls < e and s < le and lab), "")

    fragments: dict[date, int] = {}
    for s, _e in free:
        local = datetime.fromtimestamp(s, tz).date()
        fragments[local] = fragments.get(local, 0) + 1

    def make(s: int, e: int, is_dedicated: bool) -> Slot:
        first = datetime.fromtimestamp(s, tz)
        return Slot(
            start=first,
            end=datetime.fromtimestamp(e, tz),
            minutes=(e - s) // 60,
            dedicated=is_dedicated,
            label=label_of(s, e) if is_dedicated else "",
            fragments=fragments[first.date()],
            day=first.date(),
        )

    slots = [make(s, e, False) for s, e in free]
    for s, e in _intersect(free, protected):
        if e - s >= minimum:
            slots.append(make(s, e, True))
    seen: set[tuple[datetime, datetime]] = set()
    unique = []
    for slot in sorted(slots, key=lambda x: not x.dedicated):
        if (slot.start, slot.end) not in seen:
            seen.add((slot.start, slot.end))
            unique.append(slot)
    unique.sort(key=lambda x: (not x.dedicated, x.day, -x.minutes, x.fragments, x.start))
    return unique[:limit] if limit is not None else unique


def recurring_weekly(
    *,
    weekday: int,
    start: time,
    end: time,
    first: date,
    last: date,
    timezone: str = DEFAULT_TIMEZONE,
) -> list[Interval]:
    """A weekly recurring event (a timetable lesson) as busy intervals in local wall time."""
    return [
        (b.start, b.end)
        for b in weekly_blocks(
            weekday=weekday, start=start, end=end, first=first, last=last, timezone=timezone
        )
    ]


__all__ = [
    "DEFAULT_TIMEZONE",
    "DEFAULT_WORKING_HOURS",
    "DedicatedBlock",
    "Slot",
    "WorkingHours",
    "common_free_slots",
    "recurring_weekly",
    "weekly_blocks",
]

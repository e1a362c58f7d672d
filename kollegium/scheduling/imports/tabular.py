"""CSV timetables: one weekly lesson per line.

The header must be ``weekday,start,end,subject,group,room,weeks`` (or the Swedish
``veckodag,start,slut,ämne,grupp,sal,veckor``); commas or semicolons. ``weekday`` is 1–7 or a
day name in Swedish or English, ``start``/``end`` are HH:MM, ``weeks`` lists ISO week numbers
and ranges (``34-40,42``; empty means every week). Each line is expanded to its occurrences
between two dates in local wall-clock time.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from . import ImportProblem, ParsedEntry, ParseResult, decode_text

HEADERS = (
    ("weekday", "start", "end", "subject", "group", "room", "weeks"),
    ("veckodag", "start", "slut", "ämne", "grupp", "sal", "veckor"),
)
DAY_NAMES = {
    "monday": 0, "mon": 0, "måndag": 0, "mån": 0,
    "tuesday": 1, "tue": 1, "tisdag": 1, "tis": 1,
    "wednesday": 2, "wed": 2, "onsdag": 2, "ons": 2,
    "thursday": 3, "thu": 3, "torsdag": 3, "tor": 3,
    "friday": 4, "fri": 4, "fredag": 4, "fre": 4,
    "saturday": 5, "sat": 5, "lördag": 5, "lör": 5,
    "sunday": 6, "sun": 6, "söndag": 6, "sön": 6,
}  # fmt: skip
MAX_LINES = 5_000


class _Bad(ValueError):
    pass


def _weekday(value: str) -> int:
    value = value.strip().lower()
    if value in {"1", "2", "3", "4", "5", "6", "7"}:  # not isdigit(): "²" is a digit to it
        return int(value) - 1
    if value in DAY_NAMES:
        return DAY_NAMES[value]
    raise _Bad(_("“%(value)s” is not a weekday (1–7 or a day name).") % {"value": value})


def _time(value: str) -> time:
    cleaned = value.strip().replace(".", ":")
    try:
        hours, minutes = cleaned.split(":")
        return time(int(hours), int(minutes))
    except (ValueError, OverflowError) as error:  # "99999999999999999999:00" overflows
        raise _Bad(_("“%(value)s” is not a time (HH:MM).") % {"value": value}) from error


def _weeks(value: str) -> set[int] | None:
    value = value.strip()
    if not value:
        return None
    weeks: set[int] = set()
    for part in value.replace(" ", "").split(","):
        try:
            if "-" in part:
                first, last = (int(x) for x in part.split("-", 1))
                if not (1 <= first <= 53 and 1 <= last <= 53):
                    raise ValueError
                if first <= last:
                    weeks.update(range(first, last + 1))
                else:  # over the new year, e.g. 48-3
                    weeks.update(range(first, 54))
                    weeks.update(range(1, last + 1))
            else:
                week = int(part)
                if not 1 <= week <= 53:
                    raise ValueError
                weeks.add(week)
        except ValueError as error:
            raise _Bad(
                _("“%(value)s” is not a list of week numbers.") % {"value": value}
            ) from error
    return weeks


def parse_csv(
    data: bytes, *, first: date, last: date, timezone: str = "Europe/Stockholm"
) -> ParseResult:
    if last < first:
        raise ImportProblem(_("The last date is before the first date."))
    text = decode_text(data)
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        raise ImportProblem(_("The file is empty."))
    header_line = lines[header_index]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = tuple(cell.strip().lower() for cell in rows[header_index])
    if header not in HEADERS:
        raise ImportProblem(
            _("Line %(line)d must be the header “%(expected)s”, but it is “%(found)s”.")
            % {
                "line": header_index + 1,
                "expected": ",".join(HEADERS[0]),
                "found": delimiter.join(header)[:100],
            },
            header_index + 1,
        )
    if len(rows) > MAX_LINES:
        raise ImportProblem(_("The file has more than %(n)d lines.") % {"n": MAX_LINES})
    tz = ZoneInfo(timezone)
    result = ParseResult()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 7:
            result.skip(
                number,
                _("It has %(found)d columns instead of 7.") % {"found": len(row)},
            )
            continue
        try:
            weekday = _weekday(row[0])
            start, end = _time(row[1]), _time(row[2])
            if end <= start:
                raise _Bad(_("The lesson ends before it starts."))
            weeks = _weeks(row[6])
        except _Bad as error:
            result.skip(number, str(error))
            continue
        subject, group, room = (row[3].strip()[:100], row[4].strip()[:100], row[5].strip()[:100])
        before = len(result.entries)
        for day in days:
            if day.weekday() != weekday:
                continue
            if weeks is not None and day.isocalendar()[1] not in weeks:
                continue
            begins = datetime.combine(day, start, tz)
            ends = datetime.combine(day, end, tz)
            result.entries.append(
                ParsedEntry(
                    start=begins,
                    end=ends,
                    title=" ".join(x for x in (subject, group) if x),
                    subject=subject,
                    group_name=group,
                    room=room,
                    external_id=f"csv:{day.isoformat()}:{start:%H%M}-{end:%H%M}:{subject}:{group}",
                )
            )
        if len(result.entries) == before:
            result.skip(number, _("No week in the chosen period matches this line."))
    return result

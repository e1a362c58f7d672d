"""iCalendar (RFC 5545) timetables via icalendar + recurring-ical-events.

Before parsing, the text is checked line by line so that a broken file gets a message with
the line number: broken content lines, unbalanced BEGIN/END, events without DTSTART and TZIDs
that are neither defined in the file nor known time zones. Then recurrences are expanded
(RRULE, RDATE, EXDATE, moved occurrences with RECURRENCE-ID) inside a window.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

import icalendar
import recurring_ical_events
from django.utils.translation import gettext as _

from . import ImportProblem, ParsedEntry, ParseResult, decode_text

MAX_OCCURRENCES = 5_000
MAX_SERIES = 300
_TOO_OFTEN = re.compile(r"FREQ=(SECONDLY|MINUTELY|HOURLY)", re.IGNORECASE)
_PARAM_VALUE = r'(?:"[^"]*"|[^";:,]*)'
_CONTENT_LINE = re.compile(
    rf"^[A-Za-z0-9-]+(?:;[A-Za-z0-9-]+={_PARAM_VALUE}(?:,{_PARAM_VALUE})*)*:", re.ASCII
)
_TZID = re.compile(r';TZID=("[^"]*"|[^;:]*)', re.IGNORECASE)
# Class names as timetable systems write them: 7B, 9, 4-6, NA21b, TE22A.
_GROUP = re.compile(r"^(?:\d{1,2}(?:-\d{1,2})?[A-Za-zÅÄÖåäö]{0,3}|[A-ZÅÄÖ]{2,3}\d{2}[A-Za-z]?)$")


def split_summary(summary: str) -> tuple[str, str]:
    """("Matematik 7B") -> ("Matematik", "7B"): the subject and the class, when recognisable."""
    tokens = summary.split()
    groups = [t for t in tokens if _GROUP.match(t.strip(",;()"))]
    rest = [t for t in tokens if t not in groups]
    if not rest or not groups:
        return summary, ""
    return " ".join(rest), " ".join(t.strip(",;()") for t in groups)


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfolded content lines with the number of the physical line each starts on."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + raw[1:])
        elif raw.strip():
            out.append((number, raw))
    return out


def _check_structure(lines: list[tuple[int, str]]) -> dict[str, int]:
    """Raise ImportProblem for the first structural problem. Returns {uid|recurrence: line}."""
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise ImportProblem(
            _("This is not an iCalendar file: it must start with BEGIN:VCALENDAR."), 1
        )
    defined_zones: set[str] = set()
    for _number, line in lines:
        if line.upper().startswith("TZID:") or line.upper().startswith("TZID;"):
            defined_zones.add(line.split(":", 1)[1].strip())
    stack: list[tuple[str, int]] = []
    event_lines: dict[str, int] = {}
    event_start = 0
    series = 0
    has_dtstart = False
    uid = ""
    recurrence = ""
    for number, line in lines:
        if not _CONTENT_LINE.match(line):
            raise ImportProblem(
                _("Line %(line)d is broken: “%(text)s”.") % {"line": number, "text": line[:60]},
                number,
            )
        name, value = line.split(":", 1)[0].split(";", 1)[0].upper(), line.split(":", 1)[1]
        for match in _TZID.finditer(line.split(":", 1)[0] + ":"):
            tzid = match.group(1).strip('"')
            if tzid not in defined_zones and tzid not in _known_zones():
                raise ImportProblem(
                    _("Line %(line)d uses an unknown time zone “%(tzid)s”.")
                    % {"line": number, "tzid": tzid},
                    number,
                )
        if name == "BEGIN":
            stack.append((value.strip().upper(), number))
            if value.strip().upper() == "VEVENT":
                event_start, has_dtstart, uid, recurrence = number, False, "", ""
        elif name == "END":
            if not stack or stack[-1][0] != value.strip().upper():
                raise ImportProblem(
                    _("Line %(line)d ends a “%(name)s” that was never begun.")
                    % {"line": number, "name": value.strip()},
                    number,
                )
            component, _begun = stack.pop()
            if component == "VEVENT":
                if not has_dtstart:
                    raise ImportProblem(
                        _("The event that starts on line %(line)d has no DTSTART.")
                        % {"line": event_start},
                        event_start,
                    )
                event_lines.setdefault(f"{uid}|{recurrence}", event_start)
                event_lines.setdefault(f"{uid}|", event_start)
        elif stack and stack[-1][0] == "VEVENT":
            if name == "RRULE":
                series += 1
                if series > MAX_SERIES:
                    raise ImportProblem(
                        _("The file has more than %(n)d repeating events.") % {"n": MAX_SERIES},
                        number,
                    )
            if name in ("RRULE", "EXRULE") and _TOO_OFTEN.search(value):
                raise ImportProblem(
                    _(
                        "Line %(line)d repeats more often than once a day; a timetable repeats "
                        "daily or weekly."
                    )
                    % {"line": number},
                    number,
                )
            if name == "DTSTART":
                has_dtstart = True
            elif name == "UID":
                uid = value.strip()
            elif name == "RECURRENCE-ID":
                recurrence = value.strip()
    if stack:
        component, begun = stack[-1]
        raise ImportProblem(
            _("The “%(name)s” begun on line %(line)d is never ended.")
            % {"name": component, "line": begun},
            begun,
        )
    return event_lines


class _TooMany(Exception):
    pass


def _expand(calendar: icalendar.Calendar, start: datetime, end: datetime) -> list:
    """Occurrences between start and end, a month at a time, stopping past MAX_OCCURRENCES
    (so a file cannot make the server expand without bound)."""
    query = recurring_ical_events.of(calendar)
    out: list = []
    seen: set[tuple[str, str]] = set()
    cursor = start
    while cursor < end:
        step = min(cursor + timedelta(days=31), end)
        for event in query.between(cursor, step):
            key = (_text(event, "UID"), str(event.get("DTSTART").dt))
            if key not in seen:  # an event across a chunk boundary comes back twice
                seen.add(key)
                out.append(event)
        if len(out) > MAX_OCCURRENCES:
            raise _TooMany
        cursor = step
    return out


def _check_dates(calendar: icalendar.Calendar, event_lines: dict[str, int]) -> None:
    """Every event's DTSTART, DTEND and RECURRENCE-ID must be a readable date or time."""
    for event in calendar.walk("VEVENT"):
        for key in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            prop = event.get(key)
            if prop is None:
                continue
            try:
                prop.dt  # noqa: B018 - reading it is the check
            except Exception as error:
                line = event_lines.get(f"{_text(event, 'UID')}|") or None
                raise ImportProblem(
                    _(
                        "The event that starts on line %(line)s has a %(name)s that is not a "
                        "date or time."
                    )
                    % {"line": line or "?", "name": key},
                    line,
                ) from error


def _text(component: icalendar.cal.Component, key: str) -> str:
    value = component.get(key)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value).strip()[:200]


def parse_ics(
    data: bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    timezone: str = "Europe/Stockholm",
) -> ParseResult:
    """Every busy occurrence between ``window_start`` and ``window_end``."""
    text = decode_text(data)
    lines = _logical_lines(text)
    event_lines = _check_structure(lines)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError) as error:
        raise ImportProblem(
            _("The file could not be read as iCalendar: %(error)s") % {"error": error}
        ) from error
    tz = ZoneInfo(timezone)
    _check_dates(calendar, event_lines)
    result = ParseResult()
    try:
        occurrences = _expand(calendar, window_start, window_end)
    except _TooMany as error:
        raise ImportProblem(
            _("The file has more than %(n)d events in the period; import a shorter period.")
            % {"n": MAX_OCCURRENCES}
        ) from error
    except Exception as error:  # the library raises several types for bad rules
        raise ImportProblem(
            _("The repeating events could not be expanded: %(error)s") % {"error": error}
        ) from error
    for count, event in enumerate(occurrences):
        if count >= MAX_OCCURRENCES:
            raise ImportProblem(
                _("The file has more than %(n)d events in the period; import a shorter period.")
                % {"n": MAX_OCCURRENCES}
            )
        uid = _text(event, "UID")
        line = event_lines.get(f"{uid}|{_text(event, 'RECURRENCE-ID')}") or event_lines.get(
            f"{uid}|"
        )
        start = event.get("DTSTART").dt
        end_prop = event.get("DTEND")
        if not isinstance(start, datetime):
            result.skip(
                line, _("“%(title)s” is an all-day event.") % {"title": _text(event, "SUMMARY")}
            )
            continue
        if end_prop is not None:
            end = end_prop.dt
        elif event.get("DURATION") is not None:
            end = start + event.get("DURATION").dt
        else:
            result.skip(
                line, _("“%(title)s” has no end time.") % {"title": _text(event, "SUMMARY")}
            )
            continue
        if isinstance(end, date) and not isinstance(end, datetime):
            end = datetime.combine(end, start.time())
        if start.tzinfo is None:
            start = start.replace(tzinfo=tz)
        if end.tzinfo is None:
            end = end.replace(tzinfo=tz)
        if end.timestamp() <= start.timestamp():
            result.skip(
                line, _("“%(title)s” ends before it starts.") % {"title": _text(event, "SUMMARY")}
            )
            continue
        if end - start > timedelta(hours=24):
            result.skip(
                line, _("“%(title)s” is longer than a day.") % {"title": _text(event, "SUMMARY")}
            )
            continue
        status = _text(event, "STATUS").upper()
        if status == "CANCELLED":
            result.skip(line, _("“%(title)s” is cancelled.") % {"title": _text(event, "SUMMARY")})
            continue
        if _text(event, "TRANSP").upper() == "TRANSPARENT":
            result.skip(
                line, _("“%(title)s” is marked as free time.") % {"title": _text(event, "SUMMARY")}
            )
            continue
        summary = _text(event, "SUMMARY")
        subject_part, group_part = split_summary(summary)
        categories = event.get("CATEGORIES")
        subject = ""
        if categories is not None:
            cats = categories if isinstance(categories, list) else [categories]
            names = [str(c) for cat in cats for c in getattr(cat, "cats", [cat])]
            subject = names[0][:100] if names else ""
        result.entries.append(
            ParsedEntry(
                start=start,
                end=end,
                title=summary,
                subject=(subject or subject_part)[:100],
                group_name=group_part[:100],
                room=_text(event, "LOCATION")[:100],
                external_id=f"{uid}|{start.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%SZ}"[:500],
            )
        )
    return result

"""iCalendar (RFC 5545) timetables via icalendar + recurring-ical-events.

Before parsing, the text is checked line by line so that a broken file gets a message with
the line number: broken content lines, unbalanced BEGIN/END, events without DTSTART, broken
time-zone definitions and TZIDs that are neither defined in the file nor known time zones.

Time zones are resolved here, not by the library (see ``zones``): IANA, Windows and Outlook
names become IANA zones; a VTIMEZONE that contradicts the real zone of its name is reported
and the real rules are used; a custom zone is replaced by the IANA zone with the same offsets
when there is one. The text handed to icalendar then names IANA zones only, and the library's
process-wide cache of time-zone definitions is emptied before and after each file (under a
lock), so no file can change how another is read.

Then recurrences are expanded (RRULE, RDATE, EXDATE, moved occurrences with RECURRENCE-ID)
inside a window.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import x_wr_timezone
from django.utils.translation import gettext as _
from icalendar.timezone import tzp

from . import (
    ImportProblem,
    ParsedEntry,
    ParseResult,
    decode_text,
    no_cycle_collection,
    zones,
)

MAX_OCCURRENCES = 5_000
MAX_SERIES = 300
_TOO_OFTEN = re.compile(r"FREQ=(SECONDLY|MINUTELY|HOURLY)", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z0-9-]+")
_PARAM_NAME = re.compile(r"([A-Za-z0-9-]+)=")
_PARAM_PLAIN = re.compile(r'[^";:,]*')
_OFFSET = re.compile(r"^[+-](?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?$")
_LOCAL_DATETIME = re.compile(r"^\d{8}T\d{6}$")
# Class names as timetable systems write them: 7B, 9, 4-6, NA21b, TE22A.
_GROUP = re.compile(r"^(?:\d{1,2}(?:-\d{1,2})?[A-Za-zÅÄÖåäö]{0,3}|[A-ZÅÄÖ]{2,3}\d{2}[A-Za-z]?)$")
_ZONE_PARTS = ("VTIMEZONE", "STANDARD", "DAYLIGHT")
_DATE_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE", "DUE")
_LOCK = threading.Lock()
_UTC = ZoneInfo("UTC")


@functools.lru_cache(maxsize=4096)  # a timetable repeats the same few summaries
def split_summary(summary: str) -> tuple[str, str]:
    """("Matematik 7B") -> ("Matematik", "7B"): the subject and the class, when recognisable."""
    tokens = summary.split()
    groups = [t for t in tokens if _GROUP.match(t.strip(",;()"))]
    rest = [t for t in tokens if t not in groups]
    if not rest or not groups:
        return summary, ""
    return " ".join(rest), " ".join(t.strip(",;()") for t in groups)


@dataclass(frozen=True)
class Param:
    name: str  # upper case
    value: str  # without quotes
    span: tuple[int, int]  # where the (possibly quoted) value stands in the line


def split_content_line(line: str) -> tuple[str, list[Param], str] | None:
    """name;param=value;param="quoted: value":value -> (NAME, params, value); None if broken.
    Quoted parameter values may hold colons, semicolons and commas (Outlook's zone names)."""
    match = _NAME.match(line)
    if match is None:
        return None
    name, pos, params = match.group().upper(), match.end(), []
    while pos < len(line) and line[pos] == ";":
        param = _PARAM_NAME.match(line, pos + 1)
        if param is None:
            return None
        pos = start = param.end()
        values = []
        while True:
            if line.startswith('"', pos):
                close = line.find('"', pos + 1)
                if close < 0:
                    return None
                values.append(line[pos + 1 : close])
                pos = close + 1
            else:
                plain = _PARAM_PLAIN.match(line, pos)
                assert plain is not None  # the pattern matches the empty string
                values.append(plain.group())
                pos = plain.end()
            if pos < len(line) and line[pos] == ",":
                pos += 1
                continue
            break
        params.append(Param(param.group(1).upper(), ",".join(values), (start, pos)))
    if pos >= len(line) or line[pos] != ":":
        return None
    return name, params, line[pos + 1 :]


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfolded content lines with the number of the physical line each starts on."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + raw[1:])
        elif raw.strip():
            out.append((number, raw))
    return out


@dataclass
class ZoneBlock:
    tzid: str
    line: int  # where BEGIN:VTIMEZONE stands
    first: int  # index in the logical lines
    last: int


@dataclass
class Structure:
    event_lines: dict[str, int] = field(default_factory=dict)  # "uid|recurrence-id" -> line
    zone_blocks: list[ZoneBlock] = field(default_factory=list)
    used_zones: dict[str, int] = field(default_factory=dict)  # TZID -> first line using it
    x_wr_timezone: tuple[str, int] | None = None
    recurring_uids: set[str] = field(default_factory=set)
    repeats: bool = False  # any RRULE or RDATE: expand a month at a time


def _unescape(text: str) -> str:
    return text.replace("\\,", ",").replace("\\;", ";")


def _broken(number: int, line: str) -> ImportProblem:
    return ImportProblem(
        _("Line %(line)d is broken: “%(text)s”.") % {"line": number, "text": line[:60]}, number
    )


def _check_zone_property(name: str, value: str, number: int, part: str) -> None:
    """A VTIMEZONE's own lines: offsets like +0100, local start times, readable rules."""
    if name in ("TZOFFSETFROM", "TZOFFSETTO") and not _OFFSET.match(value.strip()):
        raise ImportProblem(
            _(
                "Line %(line)d of a time-zone definition has an offset “%(text)s” that is not "
                "an offset like +0100."
            )
            % {"line": number, "text": value.strip()[:20]},
            number,
        )
    if name == "DTSTART" and part != "VTIMEZONE" and not _LOCAL_DATETIME.match(value.strip()):
        raise ImportProblem(
            _(
                "Line %(line)d of a time-zone definition has a start “%(text)s” that is not a "
                "local date and time like 19700329T020000."
            )
            % {"line": number, "text": value.strip()[:30]},
            number,
        )
    if name == "RRULE":
        _check_rule(value, number)


def _check_rule(value: str, number: int) -> None:
    try:
        icalendar.vRecur.from_ical(value.strip())
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise ImportProblem(
            _("Line %(line)d has a repeat rule (RRULE) that cannot be read.") % {"line": number},
            number,
        ) from error


def _check_structure(lines: list[tuple[int, str]]) -> Structure:
    """Raise ImportProblem for the first structural problem."""
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise ImportProblem(
            _("This is not an iCalendar file: it must start with BEGIN:VCALENDAR."), 1
        )
    found = Structure()
    stack: list[tuple[str, int]] = []
    rule_lines: set[str] = set()  # properties of the STANDARD or DAYLIGHT being read
    event_start = zone_index = series = 0
    has_dtstart = False
    uid = recurrence = zone_tzid = ""
    for index, (number, line) in enumerate(lines):
        parts = split_content_line(line)
        if parts is None:
            raise _broken(number, line)
        name, params, value = parts
        top = stack[-1][0] if stack else ""
        for param in params:
            if param.name == "TZID" and name in _DATE_PROPERTIES:
                found.used_zones.setdefault(param.value.strip(), number)
        if name == "BEGIN":
            component = value.strip().upper()
            stack.append((component, number))
            rule_lines = set()
            if component == "VEVENT":
                event_start, has_dtstart, uid, recurrence = number, False, "", ""
            elif component == "VTIMEZONE":
                zone_index, zone_tzid = index, ""
        elif name == "END":
            if not stack or stack[-1][0] != value.strip().upper():
                raise ImportProblem(
                    _("Line %(line)d ends a “%(name)s” that was never begun.")
                    % {"line": number, "name": value.strip()},
                    number,
                )
            component, begun = stack.pop()
            if component == "VEVENT":
                if not has_dtstart:
                    raise ImportProblem(
                        _("The event that starts on line %(line)d has no DTSTART.")
                        % {"line": event_start},
                        event_start,
                    )
                found.event_lines.setdefault(f"{uid}|{recurrence}", event_start)
                found.event_lines.setdefault(f"{uid}|", event_start)
            elif component in ("STANDARD", "DAYLIGHT") and not {
                "DTSTART", "TZOFFSETFROM", "TZOFFSETTO"
            } <= rule_lines:  # fmt: skip
                raise ImportProblem(
                    _(
                        "The time-zone rule that begins on line %(line)d needs DTSTART, "
                        "TZOFFSETFROM and TZOFFSETTO."
                    )
                    % {"line": begun},
                    begun,
                )
            elif component == "VTIMEZONE":
                if not zone_tzid:
                    raise ImportProblem(
                        _("The time-zone definition that begins on line %(line)d has no TZID.")
                        % {"line": begun},
                        begun,
                    )
                found.zone_blocks.append(ZoneBlock(zone_tzid, begun, zone_index, index))
        elif top in _ZONE_PARTS:
            rule_lines.add(name)
            if top == "VTIMEZONE" and name == "TZID":
                zone_tzid = _unescape(value.strip().strip('"').strip())
            _check_zone_property(name, value, number, top)
        elif top == "VCALENDAR" and name == "X-WR-TIMEZONE":
            found.x_wr_timezone = (value.strip(), number)
        elif top == "VEVENT":
            if name == "RRULE":
                series += 1
                if series > MAX_SERIES:
                    raise ImportProblem(
                        _("The file has more than %(n)d repeating events.") % {"n": MAX_SERIES},
                        number,
                    )
            if name in ("RRULE", "EXRULE"):
                if _TOO_OFTEN.search(value):
                    raise ImportProblem(
                        _(
                            "Line %(line)d repeats more often than once a day; a timetable "
                            "repeats daily or weekly."
                        )
                        % {"line": number},
                        number,
                    )
                _check_rule(value, number)
            if name == "DTSTART":
                has_dtstart = True
            elif name == "UID":
                uid = value.strip()
            elif name == "RECURRENCE-ID":
                recurrence = value.strip()
            if name in ("RRULE", "RDATE", "RECURRENCE-ID") and uid:
                found.recurring_uids.add(uid)
            found.repeats = found.repeats or name in ("RRULE", "RDATE")
    if stack:
        component, begun = stack[-1]
        raise ImportProblem(
            _("The “%(name)s” begun on line %(line)d is never ended.")
            % {"name": component, "line": begun},
            begun,
        )
    return found


# --- time zones -----------------------------------------------------------------------------


@contextmanager
def _isolated() -> Iterator[None]:
    """icalendar keeps time-zone definitions by name for the whole process: one file at a
    time, with that cache emptied before and after, so nothing of one file reaches the next."""
    with _LOCK:
        tzp.use_default()
        try:
            yield
        finally:
            tzp.use_default()


@dataclass
class ZonePlan:
    names: dict[str, str] = field(default_factory=dict)  # TZID in the file -> TZID to use
    drop: set[int] = field(default_factory=set)  # VTIMEZONE blocks (indexes) left out
    floating: tzinfo | None = None  # for times without a zone
    x_wr: tzinfo | None = None  # applied to UTC and floating times (Google's meaning)


class _BadZone(Exception):
    pass


@functools.lru_cache(maxsize=128)
def _zone_verdict(
    text: str, tzid: str, window: tuple[datetime, datetime], default: str
) -> tuple[str | None, bool]:
    """What a VTIMEZONE (its whole text) stands for in the window: the IANA zone to read its
    times with (None: a zone of its own, kept as it is) and whether it agrees with the real
    zone of its name. Kept per text, as a value: calendar programs write the same definition
    into every file and a zone read from a file is slow to ask, while nothing else of one
    file can reach another (a different definition is a different text)."""
    try:
        component = icalendar.Timezone.from_ical(text)
        assert isinstance(component, icalendar.Timezone)
        custom = component.to_tz(tzp, lookup_tzid=False)
    except Exception as error:  # the library raises many types for a bad definition
        raise _BadZone from error
    instants = zones.samples(*window, zone=default)
    named = zones.iana_name(tzid)
    if named is not None:
        own = sorted({*instants, *zones.samples(*window, zone=named)})
        return named, zones.same_offsets(custom, ZoneInfo(named), own)
    return zones.matching_zone(custom, instants, default), True


def _plan_zones(
    lines: list[tuple[int, str]],
    found: Structure,
    result: ParseResult,
    *,
    window: tuple[datetime, datetime],
    default: str,
) -> ZonePlan:
    plan = ZonePlan()
    instants = zones.samples(*window, zone=default)
    defined: dict[str, str] = {}  # TZID -> IANA name (or the custom id kept)
    for number, block in enumerate(found.zone_blocks):
        text = "\r\n".join(line for _n, line in lines[block.first : block.last + 1])
        try:
            zone, agrees = _zone_verdict(text, block.tzid, window, default)
        except _BadZone as error:
            raise ImportProblem(
                _("The time-zone definition that begins on line %(line)d cannot be read.")
                % {"line": block.line},
                block.line,
            ) from error
        if not agrees:
            result.warn(
                block.line,
                _(
                    "The file's definition of the time zone “%(tzid)s” does not agree with "
                    "the real time zone %(zone)s; the times were read with the real rules "
                    "of %(zone)s. Check that the lessons are at the right times."
                )
                % {"tzid": block.tzid[:80], "zone": zone},
            )
        if zone is not None:
            plan.drop.add(block.first)
            defined[block.tzid] = zone
        else:  # a zone of its own: kept, under a name no other file uses at the same time
            defined[block.tzid] = f"Kollegium-Zone-{number}"
    plan.names.update(defined)
    for tzid, number in found.used_zones.items():
        if tzid in defined:
            continue
        named = zones.iana_name(tzid)
        if named is None:
            raise ImportProblem(
                _("Line %(line)d uses an unknown time zone “%(tzid)s”.")
                % {"line": number, "tzid": tzid[:80]},
                number,
            )
        plan.names[tzid] = named
    x_wr_name = None
    if found.x_wr_timezone is not None:
        value, number = found.x_wr_timezone
        x_wr_name = zones.iana_name(value)
        if x_wr_name is None:
            result.warn(
                number,
                _("X-WR-TIMEZONE “%(tzid)s” is not a known time zone and was left out.")
                % {"tzid": value[:80]},
            )
    file_zones = {name for name in defined.values() if "/" in name}
    if x_wr_name is not None and defined and x_wr_name not in file_zones:
        x_wr = ZoneInfo(x_wr_name)
        if not any(zones.same_offsets(x_wr, ZoneInfo(z), instants) for z in file_zones):
            result.warn(
                found.x_wr_timezone[1] if found.x_wr_timezone else None,
                _(
                    "X-WR-TIMEZONE “%(tzid)s” differs from the time zone the file defines; the "
                    "file's own time zone was used."
                )
                % {"tzid": x_wr_name},
            )
            x_wr_name = None
    if x_wr_name is not None:
        plan.x_wr = plan.floating = ZoneInfo(x_wr_name)
    elif len(file_zones) == 1:
        plan.floating = ZoneInfo(next(iter(file_zones)))
    return plan


def _rewrite(lines: list[tuple[int, str]], found: Structure, plan: ZonePlan) -> str:
    """The file with every TZID replaced by the zone to use, the VTIMEZONEs of IANA zones and
    X-WR-TIMEZONE left out (the import applies it itself)."""
    skip: set[int] = set()
    for block in found.zone_blocks:
        if block.first in plan.drop:
            skip.update(range(block.first, block.last + 1))
    out = []
    inside_zone = False
    for index, (_number, line) in enumerate(lines):
        if index in skip:
            continue
        parts = split_content_line(line)
        assert parts is not None  # checked before
        name, params, value = parts
        if name == "BEGIN" and value.strip().upper() == "VTIMEZONE":
            inside_zone = True
        elif name == "END" and value.strip().upper() == "VTIMEZONE":
            inside_zone = False
        if name == "X-WR-TIMEZONE":
            continue
        if inside_zone and name == "TZID":
            tzid = _unescape(value.strip().strip('"').strip())
            line = f"TZID:{plan.names.get(tzid, tzid)}"
        for param in reversed(params):
            if param.name == "TZID" and param.value.strip() in plan.names:
                start, end = param.span
                line = line[:start] + plan.names[param.value.strip()] + line[end:]
        out.append(line)
    return "\r\n".join(out) + "\r\n"


# --- reading --------------------------------------------------------------------------------


class _TooMany(Exception):
    pass


def _expand(
    calendar: icalendar.Calendar, start: datetime, end: datetime, *, repeats: bool = True
) -> list:
    """Occurrences between start and end, a month at a time, stopping past MAX_OCCURRENCES
    (so a file cannot make the server expand without bound). A file without repeating events
    has as many occurrences as events: read in one go."""
    query = recurring_ical_events.of(calendar)
    out: list = []
    seen: set[tuple[str, str]] = set()
    cursor = start
    chunk = timedelta(days=31) if repeats else end - start
    while cursor < end:
        step = min(cursor + chunk, end)
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


def _categories(event: icalendar.cal.Component) -> tuple[str, ...]:
    categories = event.get("CATEGORIES")
    if categories is None:
        return ()
    cats = categories if isinstance(categories, list) else [categories]
    return tuple(str(c).strip()[:100] for cat in cats for c in getattr(cat, "cats", [cat]))


def _activity_type(event: icalendar.cal.Component) -> str:
    """SS 12000 activity type, as exporters built on SS 12000 write it."""
    for key in ("X-SS12000-ACTIVITY-TYPE", "X-SS12000-ACTIVITYTYPE", "X-ACTIVITY-TYPE"):
        text = _text(event, key)
        if text:
            return text[:100]
    return ""


def _read(text: str, found: Structure, plan: ZonePlan, window: tuple[datetime, datetime]):
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError) as error:
        raise ImportProblem(_("The file could not be read as iCalendar.")) from error
    _check_dates(calendar, found.event_lines)
    if plan.x_wr is not None:
        calendar = x_wr_timezone.to_standard(calendar, timezone=plan.x_wr)
    try:
        return _expand(calendar, *window, repeats=found.repeats)
    except _TooMany as error:
        raise ImportProblem(
            _("The file has more than %(n)d events in the period; import a shorter period.")
            % {"n": MAX_OCCURRENCES}
        ) from error
    except Exception as error:  # the library raises several types for bad rules
        raise ImportProblem(
            _("The repeating events could not be expanded; check their RRULE and EXDATE lines.")
        ) from error


def parse_ics(
    data: bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    timezone: str = "Europe/Stockholm",
) -> ParseResult:
    """Every busy occurrence between ``window_start`` and ``window_end``."""
    with no_cycle_collection():
        return _parse(data, window_start=window_start, window_end=window_end, timezone=timezone)


def _parse(
    data: bytes, *, window_start: datetime, window_end: datetime, timezone: str
) -> ParseResult:
    text = decode_text(data)
    lines = _logical_lines(text)
    found = _check_structure(lines)
    result = ParseResult()
    window = (window_start, window_end)
    with _isolated():
        plan = _plan_zones(lines, found, result, window=window, default=timezone)
        occurrences = _read(_rewrite(lines, found, plan), found, plan, window)
    tz = plan.floating or ZoneInfo(timezone)
    for count, event in enumerate(occurrences):
        if count >= MAX_OCCURRENCES:
            raise ImportProblem(
                _("The file has more than %(n)d events in the period; import a shorter period.")
                % {"n": MAX_OCCURRENCES}
            )
        _add(result, event, found, tz)
    return result


def _add(result: ParseResult, event, found: Structure, tz: tzinfo) -> None:
    uid = _text(event, "UID")
    summary = _text(event, "SUMMARY")
    line = found.event_lines.get(f"{uid}|{_text(event, 'RECURRENCE-ID')}") or (
        found.event_lines.get(f"{uid}|")
    )
    start = event.get("DTSTART").dt
    end_prop = event.get("DTEND")
    if not isinstance(start, datetime):
        result.skip(line, _("“%(title)s” is an all-day event.") % {"title": summary})
        return
    if end_prop is not None:
        end = end_prop.dt
    elif event.get("DURATION") is not None:
        end = start + event.get("DURATION").dt
    else:
        result.skip(line, _("“%(title)s” has no end time.") % {"title": summary})
        return
    if isinstance(end, date) and not isinstance(end, datetime):
        end = datetime.combine(end, start.time())
    if start.tzinfo is None:
        start = start.replace(tzinfo=tz)
    if end.tzinfo is None:
        end = end.replace(tzinfo=tz)
    if end.timestamp() <= start.timestamp():
        result.skip(line, _("“%(title)s” ends before it starts.") % {"title": summary})
        return
    if end - start > timedelta(hours=24):
        result.skip(line, _("“%(title)s” is longer than a day.") % {"title": summary})
        return
    if _text(event, "STATUS").upper() == "CANCELLED":
        result.skip(line, _("“%(title)s” is cancelled.") % {"title": summary})
        return
    if _text(event, "TRANSP").upper() == "TRANSPARENT":
        result.skip(line, _("“%(title)s” is marked as free time.") % {"title": summary})
        return
    subject_part, group_part = split_summary(summary)
    categories = _categories(event)
    local = start.astimezone(tz)
    if uid and uid in found.recurring_uids:
        series = f"uid:{uid}"
    else:
        series = f"{' '.join(summary.casefold().split())}|{local.weekday()}|{local:%H:%M}"
    result.entries.append(
        ParsedEntry(
            start=start,
            end=end,
            title=summary,
            subject=((categories[0] if categories else "") or subject_part)[:100],
            group_name=group_part[:100],
            room=_text(event, "LOCATION")[:100],
            external_id=f"{uid}|{start.astimezone(_UTC):%Y%m%dT%H%M%SZ}"[:500],
            series_key=series[:300],
            categories=categories,
            activity_type=_activity_type(event),
        )
    )

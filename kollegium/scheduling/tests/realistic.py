"""A realistic school's timetables as calendar programs export them (for tests and the bench).

``realistic_school(n_teachers=120)`` makes an autumn term (weeks 34–51 of 2026) with höstlov in
week 44, the change from summer time on 25 October, cancelled (EXDATE) and moved
(RECURRENCE-ID) lessons, part-timers with a free day, teachers on two sites (travel between
them), a weekly team meeting (Arbetslagsmöte), lunch and break duty, and writes each teacher's
timetable the way one of four programs does:

- Outlook: Windows time zones with VTIMEZONE blocks in Windows' yearly-rule style, the TZID as
  a quoted display name ("(UTC+01:00) Amsterdam, Berlin, ...") or a Windows name, CRLF, lines
  folded at 75 octets, one weekly series per lesson (RRULE) with EXDATE and RECURRENCE-ID;
- Google Calendar: X-WR-TIMEZONE:Europe/Stockholm, a VTIMEZONE for Europe/Stockholm,
  TZID=Europe/Stockholm series;
- Skola24-style exporters: one VEVENT per occurrence in UTC (Z), no VTIMEZONE;
- an SS 12000-based exporter: local times without a zone, CATEGORIES and the activity type.

Every teacher's expected busy occurrences (UTC start and end, lesson or not) are returned with
the file, computed independently of the importer (with zoneinfo), so a test can compare.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Stockholm")
TERM_FIRST = date(2026, 8, 17)  # Monday of week 34
TERM_LAST = date(2026, 12, 18)  # Friday of week 51
AUTUMN_BREAK_WEEK = 44
OUTLOOK_NAMES = (
    '"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"',
    '"(UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien"',
    "W. Europe Standard Time",
    '"(UTC+01:00) Brussels, Copenhagen, Madrid, Paris"',
)
SUBJECTS = (
    "Matematik", "Svenska", "Engelska", "NO", "SO", "Bild", "Musik", "Idrott och hälsa",
    "Slöjd", "Teknik", "Spanska", "Hemkunskap",
)  # fmt: skip
CLASSES = ("7A", "7B", "7C", "8A", "8B", "8C", "9A", "9B", "9C")
PERIODS = ((time(8, 10), 55), (time(9, 20), 55), (time(10, 40), 55), (time(12, 40), 55),
           (time(13, 50), 55), (time(15, 0), 50))  # fmt: skip


def fold(line: str) -> list[str]:
    """RFC 5545 folding: at most 75 octets a line, continuation lines start with a space."""
    out, current = [], ""
    limit = 75
    for char in line:
        if len((current + char).encode()) > limit:
            out.append(current)
            current, limit = " " + char, 75
        else:
            current += char
    out.append(current)
    return out


def calendar_bytes(lines: list[str]) -> bytes:
    return ("\r\n".join(part for line in lines for part in fold(line)) + "\r\n").encode()


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _change(zone: ZoneInfo, month: int) -> datetime:
    """The (naive UTC) hour in that month of 2026 when the zone's offset changes."""
    moment = datetime(2026, month, 1, tzinfo=UTC)
    offset = moment.astimezone(zone).utcoffset()
    while moment.astimezone(zone).utcoffset() == offset:
        moment += timedelta(hours=1)
    return moment.replace(tzinfo=None)


def outlook_vtimezone(tzid: str, iana: str) -> list[str]:
    """A VTIMEZONE the way Outlook writes it: yearly rules from 1601 (the last Sunday of March
    and October, at the zone's own hour), or one STANDARD for a zone without summer time."""
    zone = ZoneInfo(iana)
    winter = datetime(2026, 1, 15, 12, tzinfo=UTC).astimezone(zone).utcoffset()
    summer = datetime(2026, 7, 15, 12, tzinfo=UTC).astimezone(zone).utcoffset()
    assert winter is not None and summer is not None
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    if winter == summer:
        return [*lines, "BEGIN:STANDARD", "DTSTART:16010101T000000",
                f"TZOFFSETFROM:{_offset(winter)}", f"TZOFFSETTO:{_offset(winter)}",
                "END:STANDARD", "END:VTIMEZONE"]  # fmt: skip
    to_summer = (_change(zone, 3) + winter).strftime("%H%M%S")  # local time before the change
    to_winter = (_change(zone, 10) + summer).strftime("%H%M%S")
    return [
        *lines,
        "BEGIN:STANDARD", f"DTSTART:16010101T{to_winter}", f"TZOFFSETFROM:{_offset(summer)}",
        f"TZOFFSETTO:{_offset(winter)}", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "END:STANDARD",
        "BEGIN:DAYLIGHT", f"DTSTART:16010101T{to_summer}", f"TZOFFSETFROM:{_offset(winter)}",
        f"TZOFFSETTO:{_offset(summer)}", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
    ]  # fmt: skip


@dataclass(frozen=True)
class Expected:
    start: datetime  # UTC
    end: datetime
    title: str
    is_lesson: bool


@dataclass
class Series:
    uid: str
    title: str
    weekday: int
    start: time
    minutes: int
    is_lesson: bool
    room: str = ""
    cancelled: tuple[date, ...] = ()  # EXDATE
    moved: dict[date, tuple[date, time]] = field(default_factory=dict)  # RECURRENCE-ID


@dataclass
class TeacherFile:
    name: str
    program: str  # "outlook" | "google" | "skola24" | "ss12000"
    data: bytes
    expected: list[Expected]


def _term_days(weekday: int) -> list[date]:
    day = TERM_FIRST + timedelta(days=weekday)
    out = []
    while day <= TERM_LAST:
        if day.isocalendar().week != AUTUMN_BREAK_WEEK:
            out.append(day)
        day += timedelta(days=7)
    return out


def _series_for(index: int, rng: random.Random) -> list[Series]:
    part_time_free_day = rng.randrange(5) if index % 6 == 0 else None
    two_sites = index % 8 == 1
    out: list[Series] = []
    subject = SUBJECTS[index % len(SUBJECTS)]
    for weekday in range(5):
        if weekday == part_time_free_day:
            continue
        periods = rng.sample(range(len(PERIODS)), 4)
        for period in sorted(periods):
            at, minutes = PERIODS[period]
            title = f"{subject} {rng.choice(CLASSES)}"
            days = _term_days(weekday)
            cancelled = tuple(rng.sample(days, 1)) if rng.random() < 0.3 else ()
            moved = {}
            if rng.random() < 0.2:
                when = rng.choice([d for d in days if d not in cancelled])
                moved[when] = (when, time(16, 0))  # the same day, after school
            out.append(Series(f"t{index}-{weekday}-{period}@school", title, weekday, at,
                              minutes, True, room=f"Sal {rng.randint(1, 40)}",
                              cancelled=cancelled, moved=moved))  # fmt: skip
        if two_sites and weekday == 2:
            out.append(Series(f"t{index}-travel@school", "Resa till Norrskolan", 2,
                              time(12, 0), 30, False))  # fmt: skip
    team_day = 1 if part_time_free_day != 1 else 3
    out.append(Series(f"t{index}-team@school", "Arbetslagsmöte", team_day, time(16, 0), 60,
                      False, room="Personalrummet"))  # fmt: skip
    lunch_day = next(d for d in range(5) if d != part_time_free_day)
    out.append(Series(f"t{index}-lunch@school", "Lunch", lunch_day, time(11, 40), 30, False))
    if index % 3 == 0:
        duty_day = next(d for d in (4, 3, 2) if d != part_time_free_day)
        out.append(Series(f"t{index}-duty@school", "Rastvakt", duty_day, time(10, 20), 20,
                          False))  # fmt: skip
    return out


def _occurrences(series: Series) -> list[tuple[date, time, date | None]]:
    """(day, local start, the original day if moved) of every occurrence that takes place."""
    out: list[tuple[date, time, date | None]] = []
    for day in _term_days(series.weekday):
        if day in series.cancelled:
            continue
        if day in series.moved:
            new_day, new_time = series.moved[day]
            out.append((new_day, new_time, day))
        else:
            out.append((day, series.start, None))
    return out


def _expected(series: list[Series]) -> list[Expected]:
    out = []
    for item in series:
        for day, at, _original in _occurrences(item):
            start = datetime.combine(day, at, TZ)
            out.append(Expected(start.astimezone(UTC),
                                (start + timedelta(minutes=item.minutes)).astimezone(UTC),
                                item.title, item.is_lesson))  # fmt: skip
    return sorted(out, key=lambda e: (e.start, e.title))


def _local(day: date, at: time) -> str:
    return f"{day:%Y%m%d}T{at:%H%M%S}"


def _utc(day: date, at: time, minutes: int = 0) -> str:
    moment = datetime.combine(day, at, TZ) + timedelta(minutes=minutes)
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _with_zone(
    series: list[Series], tzid: str, header: list[str], extra: tuple[str, ...] = ()
) -> list[str]:
    lines = list(header)
    stamp = "DTSTAMP:20260810T080000Z"
    for item in series:
        days = _term_days(item.weekday)
        first = days[0]
        end = (datetime.combine(first, item.start) + timedelta(minutes=item.minutes)).time()
        lines += ["BEGIN:VEVENT", f"UID:{item.uid}", stamp, f"SUMMARY:{item.title}",
                  f"DTSTART;TZID={tzid}:{_local(first, item.start)}",
                  f"DTEND;TZID={tzid}:{_local(first, end)}",
                  f"RRULE:FREQ=WEEKLY;UNTIL={_utc(TERM_LAST, time(23, 59))}"]  # fmt: skip
        if item.room:
            lines.append(f"LOCATION:{item.room}")
        lines += extra
        skipped = [
            d for d in _term_days_all(item.weekday) if d.isocalendar().week == AUTUMN_BREAK_WEEK
        ]
        for day in sorted({*skipped, *item.cancelled}):
            lines.append(f"EXDATE;TZID={tzid}:{_local(day, item.start)}")
        lines.append("END:VEVENT")
        for original, (new_day, new_time) in item.moved.items():
            new_end = datetime.combine(new_day, new_time) + timedelta(minutes=item.minutes)
            lines += ["BEGIN:VEVENT", f"UID:{item.uid}", stamp, f"SUMMARY:{item.title}",
                      f"RECURRENCE-ID;TZID={tzid}:{_local(original, item.start)}",
                      f"DTSTART;TZID={tzid}:{_local(new_day, new_time)}",
                      f"DTEND;TZID={tzid}:{_local(new_day, new_end.time())}",
                      "END:VEVENT"]  # fmt: skip
    return [*lines, "END:VCALENDAR"]


def _term_days_all(weekday: int) -> list[date]:
    day = TERM_FIRST + timedelta(days=weekday)
    out = []
    while day <= TERM_LAST:
        out.append(day)
        day += timedelta(days=7)
    return out


def outlook_file(series: list[Series], tzid: str) -> bytes:
    header = ["BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
              "VERSION:2.0", "METHOD:PUBLISH", "X-MS-OLK-FORCEINSPECTOROPEN:TRUE",
              *outlook_vtimezone(tzid, "Europe/Berlin")]  # fmt: skip
    extra = (
        "DESCRIPTION:Schemat är exporterat från Outlook. Ändringar görs i skolans schemasystem "
        "och syns här efter nästa export.",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
        "X-MICROSOFT-CDO-IMPORTANCE:1",
    )
    return calendar_bytes(_with_zone(series, tzid, header, extra))


def google_file(series: list[Series]) -> bytes:
    header = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
              "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Schema",
              "X-WR-TIMEZONE:Europe/Stockholm", "BEGIN:VTIMEZONE", "TZID:Europe/Stockholm",
              "X-LIC-LOCATION:Europe/Stockholm", "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100",
              "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
              "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT", "BEGIN:STANDARD",
              "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
              "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
              "END:STANDARD", "END:VTIMEZONE"]  # fmt: skip
    return calendar_bytes(_with_zone(series, "Europe/Stockholm", header))


def skola24_file(series: list[Series]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Skola24//Schema//SV",
             "METHOD:PUBLISH"]  # fmt: skip
    for item in series:
        for day, at, _original in _occurrences(item):
            lines += [
                "BEGIN:VEVENT",
                f"UID:{item.uid}-{day:%Y%m%d}",
                "DTSTAMP:20260810T080000Z",
                f"SUMMARY:{item.title}",
                f"DTSTART:{_utc(day, at)}",
                f"DTEND:{_utc(day, at, item.minutes)}",
            ]
            if item.room:
                lines.append(f"LOCATION:{item.room}")
            lines.append("END:VEVENT")  # fmt: skip
    return calendar_bytes([*lines, "END:VCALENDAR"])


def ss12000_file(series: list[Series]) -> bytes:
    """An exporter built on SS 12000: local times without a zone, CATEGORIES and the activity
    type of each calendar event."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Skolplattform//SS 12000 export//SV"]
    for item in series:
        kind = "Undervisning" if item.is_lesson else "Läraraktivitet"
        category = "Lektion" if item.is_lesson else "Möte"
        for day, at, _original in _occurrences(item):
            end = (datetime.combine(day, at) + timedelta(minutes=item.minutes)).time()
            lines += ["BEGIN:VEVENT", f"UID:{item.uid}-{day:%Y%m%d}-ss12000",
                      "DTSTAMP:20260810T080000Z", f"SUMMARY:{item.title}",
                      f"DTSTART:{_local(day, at)}", f"DTEND:{_local(day, end)}",
                      f"CATEGORIES:{category}", f"X-SS12000-ACTIVITY-TYPE:{kind}",
                      "END:VEVENT"]  # fmt: skip
    return calendar_bytes([*lines, "END:VCALENDAR"])


def realistic_school(n_teachers: int = 120, seed: int = 13) -> list[TeacherFile]:
    """One file per teacher: a mix of Outlook (with Windows and display names), Google and
    Skola24-style exports, each with its expected occurrences."""
    rng = random.Random(seed)
    files = []
    for index in range(n_teachers):
        series = _series_for(index, rng)
        kind = index % 10
        if kind < 4:
            program, data = (
                "outlook",
                outlook_file(series, OUTLOOK_NAMES[index % len(OUTLOOK_NAMES)]),
            )
        elif kind < 7:
            program, data = "google", google_file(series)
        elif kind < 9:
            program, data = "skola24", skola24_file(series)
        else:
            program, data = "ss12000", ss12000_file(series)
        files.append(TeacherFile(f"teacher-{index:03d}.ics", program, data, _expected(series)))
    return files


# The period a test or the bench imports: the whole term.
WINDOW = (datetime(2026, 8, 10, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))

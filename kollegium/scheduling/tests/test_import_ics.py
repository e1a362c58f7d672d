"""iCalendar import: recurrences, moved and removed occurrences, time zones, DST, bad files."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import ValidationError

from kollegium.scheduling import services
from kollegium.scheduling.imports import ImportProblem
from kollegium.scheduling.imports.ics import parse_ics, split_summary
from kollegium.scheduling.models import Source, TimetableEntry

TZ = ZoneInfo("Europe/Stockholm")
WINDOW = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 6, 30, tzinfo=UTC))


def ics(*events: str, extra: str = "") -> bytes:
    body = "\r\n".join(events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Skolschema//SV\r\n"
        f"{extra}{body}\r\nEND:VCALENDAR\r\n"
    ).encode()


def vevent(*lines: str) -> str:
    return "\r\n".join(("BEGIN:VEVENT", *lines, "END:VEVENT"))


WEEKLY_MATH = """BEGIN:VEVENT
UID:math-7b@school
SUMMARY:Matematik 7B
LOCATION:Sal 12
DTSTART;TZID=Europe/Stockholm:20260316T081500
DTEND;TZID=Europe/Stockholm:20260316T090000
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Stockholm:20260323T081500
END:VEVENT
BEGIN:VEVENT
UID:math-7b@school
RECURRENCE-ID;TZID=Europe/Stockholm:20260330T081500
SUMMARY:Matematik 7B (flyttad)
DTSTART;TZID=Europe/Stockholm:20260331T100000
DTEND;TZID=Europe/Stockholm:20260331T104500
END:VEVENT""".replace("\n", "\r\n")


def local_times(result) -> list[tuple[str, str]]:
    return [
        (e.start.astimezone(TZ).strftime("%a %d %H:%M"), e.end.astimezone(TZ).strftime("%H:%M"))
        for e in sorted(result.entries, key=lambda e: e.start)
    ]


def test_weekly_lessons_keep_their_local_time_and_honour_exdate_and_moves():
    result = parse_ics(ics(WEEKLY_MATH), window_start=WINDOW[0], window_end=WINDOW[1])
    assert local_times(result) == [
        ("Mon 16 08:15", "09:00"),
        # 23 March removed by EXDATE; 30 March (after the DST change) moved to Tuesday 10:00
        ("Tue 31 10:00", "10:45"),
        ("Mon 06 08:15", "09:00"),
    ]
    april = sorted(result.entries, key=lambda e: e.start)[-1]
    assert april.start.astimezone(UTC).hour == 6  # 08:15 CEST
    assert sorted(result.entries, key=lambda e: e.start)[0].start.astimezone(UTC).hour == 7
    assert result.entries[0].room == "Sal 12"
    assert {e.subject for e in result.entries} == {"Matematik", "Matematik (flyttad)"}
    assert {e.group_name for e in result.entries} == {"7B"}


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("Matematik 7B", ("Matematik", "7B")),
        ("MA 9A", ("MA", "9A")),
        ("NA21b Kemi", ("Kemi", "NA21b")),
        ("Idrott och hälsa 4-6", ("Idrott och hälsa", "4-6")),
        ("Arbetslagsmöte", ("Arbetslagsmöte", "")),
        ("7B", ("7B", "")),
    ],
)
def test_the_subject_and_class_are_read_from_the_summary(summary, expected):
    assert split_summary(summary) == expected


def test_floating_times_are_read_as_stockholm_time_and_utc_times_stay_exact():
    floating = vevent(
        "UID:f", "SUMMARY:Svenska", "DTSTART:20260401T090000", "DTEND:20260401T100000"
    )
    utc = vevent("UID:u", "SUMMARY:Engelska", "DTSTART:20260402T070000Z", "DURATION:PT45M")
    result = parse_ics(ics(floating, utc), window_start=WINDOW[0], window_end=WINDOW[1])
    assert local_times(result) == [("Wed 01 09:00", "10:00"), ("Thu 02 09:00", "09:45")]


def test_a_time_zone_defined_in_the_file_is_accepted():
    vtimezone = (
        "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\n"
        "DTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n"
        "DTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    )
    event = (
        "BEGIN:VEVENT\r\nUID:o\r\nSUMMARY:NO\r\n"
        'DTSTART;TZID="W. Europe Standard Time":20260406T130000\r\n'
        'DTEND;TZID="W. Europe Standard Time":20260406T140000\r\nEND:VEVENT'
    )
    result = parse_ics(ics(event, extra=vtimezone), window_start=WINDOW[0], window_end=WINDOW[1])
    assert local_times(result) == [("Mon 06 13:00", "14:00")]


def test_all_day_cancelled_and_free_events_are_skipped_with_their_line():
    all_day = (
        "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Studiedag\r\nDTSTART;VALUE=DATE:20260401\r\nEND:VEVENT"
    )
    cancelled = vevent(
        "UID:c", "SUMMARY:Bild", "STATUS:CANCELLED", "DTSTART:20260402T090000Z",
        "DTEND:20260402T100000Z",
    )  # fmt: skip
    free = vevent(
        "UID:t", "SUMMARY:Lunch", "TRANSP:TRANSPARENT", "DTSTART:20260402T110000Z",
        "DTEND:20260402T113000Z",
    )  # fmt: skip
    result = parse_ics(
        ics(WEEKLY_MATH, all_day, cancelled, free), window_start=WINDOW[0], window_end=WINDOW[1]
    )
    assert len(result.entries) == 3
    reasons = {item["line"]: item["reason"] for item in result.skipped}
    assert "Studiedag" in reasons[20]
    assert any("Bild" in r for r in reasons.values())
    assert any("Lunch" in r for r in reasons.values())


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("BEGIN:VEVENT\r\nUID:x\r\nthis line is broken\r\nEND:VEVENT", 6, "6"),
        ("BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:No start\r\nEND:VEVENT", 4, "DTSTART"),
        (
            "BEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=Mars/Olympus:20260401T090000\r\nEND:VEVENT",
            6,
            "Mars/Olympus",
        ),
        ("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260401T090000Z\r\nEND:VTODO", 7, "VTODO"),
    ],
)
def test_a_broken_file_names_the_line_and_the_reason(text, line, words):
    with pytest.raises(ImportProblem) as caught:
        parse_ics(ics(text), window_start=WINDOW[0], window_end=WINDOW[1])
    assert caught.value.line == line
    assert words in caught.value.message


def test_something_that_is_not_a_calendar_is_refused():
    with pytest.raises(ImportProblem, match="BEGIN:VCALENDAR"):
        parse_ics(
            b"<html><body>Logga in</body></html>", window_start=WINDOW[0], window_end=WINDOW[1]
        )


def test_an_unended_calendar_is_refused_with_the_line_it_began_on():
    with pytest.raises(ImportProblem) as caught:
        parse_ics(
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n",
            window_start=WINDOW[0],
            window_end=WINDOW[1],
        )
    assert caught.value.line == 3


def test_importing_replaces_earlier_ics_lessons_but_keeps_lessons_entered_by_hand(bob):
    services.timetable_entry_add(
        actor=bob, weekday=4, start_time=time(13), end_time=time(14),
        first_date=datetime(2026, 3, 2).date(), last_date=datetime(2026, 3, 27).date(),
        subject="Mentorstid",
    )  # fmt: skip
    first = services.timetable_import_ics(
        actor=bob, data=ics(WEEKLY_MATH), name="a.ics", window=WINDOW
    )
    assert first.lessons_read == 3
    again = services.timetable_import_ics(
        actor=bob, data=ics(WEEKLY_MATH), name="a.ics", window=WINDOW
    )
    assert again.lessons_read == 3
    assert TimetableEntry.objects.filter(user=bob, source=Source.ICS).count() == 3
    assert TimetableEntry.objects.filter(user=bob, source=Source.MANUAL).count() == 4


def test_reimporting_keeps_unchanged_lessons_and_updates_moved_ones(bob):
    services.timetable_import_ics(actor=bob, data=ics(WEEKLY_MATH), name="a.ics", window=WINDOW)
    before = {e.external_id: e.pk for e in TimetableEntry.objects.filter(user=bob)}
    changed = ics(WEEKLY_MATH.replace("LOCATION:Sal 12", "LOCATION:Sal 14"))
    services.timetable_import_ics(actor=bob, data=changed, name="b.ics", window=WINDOW)
    after = {e.external_id: (e.pk, e.room) for e in TimetableEntry.objects.filter(user=bob)}
    assert {k: pk for k, (pk, _room) in after.items()} == before
    rooms = {room for _pk, room in after.values()}
    assert rooms == {"Sal 14", ""}  # the moved occurrence has no LOCATION of its own


def test_a_broken_file_changes_nothing(bob):
    services.timetable_import_ics(actor=bob, data=ics(WEEKLY_MATH), name="a.ics", window=WINDOW)
    broken = ics(WEEKLY_MATH, "BEGIN:VEVENT\r\nUID:y\r\nSUMMARY:Utan start\r\nEND:VEVENT")
    with pytest.raises(ValidationError) as caught:
        services.timetable_import_ics(actor=bob, data=broken, name="b.ics", window=WINDOW)
    assert "DTSTART" in " ".join(caught.value.messages)
    assert TimetableEntry.objects.filter(user=bob).count() == 3
    assert bob.timetable_imports.count() == 1


def test_a_file_with_only_all_day_events_imports_nothing_and_says_why(bob):
    all_day = "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Lov\r\nDTSTART;VALUE=DATE:20260401\r\nEND:VEVENT"
    with pytest.raises(ValidationError) as caught:
        services.timetable_import_ics(actor=bob, data=ics(all_day), name="c.ics", window=WINDOW)
    assert "Lov" in " ".join(caught.value.messages)
    assert not TimetableEntry.objects.filter(user=bob).exists()


def test_the_import_report_counts_lessons_and_lists_skipped_lines(bob):
    all_day = "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Lov\r\nDTSTART;VALUE=DATE:20260401\r\nEND:VEVENT"
    record = services.timetable_import_ics(
        actor=bob, data=ics(WEEKLY_MATH, all_day), name="d.ics", window=WINDOW
    )
    assert record.lessons_read == 3
    assert record.skipped == [{"line": 20, "reason": record.skipped[0]["reason"]}]
    assert "Lov" in record.skipped[0]["reason"]


def test_the_parser_output_round_trips_through_icalendar():
    # the test data itself is valid iCalendar
    assert icalendar.Calendar.from_ical(ics(WEEKLY_MATH).decode()).walk("VEVENT")


def test_rules_repeating_more_often_than_daily_are_refused_by_line():
    every_minute = vevent(
        "UID:m", "SUMMARY:Spam", "DTSTART:20260301T000000Z", "DTEND:20260301T000100Z",
        "RRULE:FREQ=MINUTELY",
    )  # fmt: skip
    with pytest.raises(ImportProblem) as caught:
        parse_ics(ics(every_minute), window_start=WINDOW[0], window_end=WINDOW[1])
    assert caught.value.line == 9


def test_too_many_occurrences_are_stopped_and_explained(monkeypatch):
    monkeypatch.setattr("kollegium.scheduling.imports.ics.MAX_OCCURRENCES", 50)
    daily = vevent(
        "UID:d", "SUMMARY:Rast", "DTSTART:20260301T090000Z", "DTEND:20260301T091500Z",
        "RRULE:FREQ=DAILY",
    )  # fmt: skip
    with pytest.raises(ImportProblem, match="50"):
        parse_ics(ics(daily), window_start=WINDOW[0], window_end=WINDOW[1])


def test_an_unreadable_date_names_the_event_line():
    bad = vevent("UID:b", "SUMMARY:Fel", "DTSTART:20260817T0100000Z", "DTEND:20260817T020000Z")
    with pytest.raises(ImportProblem) as caught:
        parse_ics(ics(bad), window_start=WINDOW[0], window_end=WINDOW[1])
    assert caught.value.line == 4
    assert "DTSTART" in caught.value.message


def test_an_event_across_midnight_between_weeks_is_read_once():
    # The import reads a month at a time; this lesson crosses the end of the first month.
    late = vevent(
        "UID:n", "SUMMARY:Nattvandring", "DTSTART:20260331T233000Z", "DTEND:20260401T003000Z",
    )  # fmt: skip
    result = parse_ics(ics(late), window_start=WINDOW[0], window_end=WINDOW[1])
    assert len(result.entries) == 1

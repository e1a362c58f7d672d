"""Time zones as Outlook, Google and others write them; one file never changes how another is
read; a VTIMEZONE that contradicts its real zone is reported and the real rules win."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import translation
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from kollegium.scheduling import services
from kollegium.scheduling.imports import ImportProblem, zones
from kollegium.scheduling.imports.ics import parse_ics
from kollegium.scheduling.models import TimetableEntry
from kollegium.scheduling.tests.realistic import calendar_bytes, outlook_vtimezone

WINDOW = (datetime(2026, 8, 1, tzinfo=UTC), datetime(2027, 1, 31, tzinfo=UTC))
EUROPEAN_WINDOWS = sorted(
    name for name, zone in WINDOWS_TO_OLSON.items() if zones.is_european(zone)
)
DISPLAY_NAMES = sorted(
    (display, windows)
    for windows, names in __import__("yaml").safe_load(zones.DATA.read_text("utf-8")).items()
    for display in names
)


def outlook_file(tzid_value: str, param: str, iana: str, *, define: bool = True) -> bytes:
    """Outlook's layout: VTIMEZONE with the display name, CRLF, folded lines."""
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
             "VERSION:2.0", "METHOD:PUBLISH"]  # fmt: skip
    if define:
        lines += outlook_vtimezone(tzid_value, iana)
    lines += [
        "BEGIN:VEVENT", "UID:040000008200E00074C5B7101A82E00800000000@outlook",
        "SUMMARY:Matematik 7B",
        "DESCRIPTION:Lektionen flyttas till sal 12 under vecka 40. Ta med läroboken och "
        "miniräknaren; vi repeterar algebra inför provet.",
        f"DTSTART;TZID={param}:20260914T084000", f"DTEND;TZID={param}:20260914T093000",
        "RRULE:FREQ=WEEKLY;COUNT=10", "END:VEVENT", "END:VCALENDAR",
    ]  # fmt: skip
    return calendar_bytes(lines)


def expected_utc(iana: str) -> list[datetime]:
    """Ten Mondays at 08:40 local time, across the October change, computed with zoneinfo."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    first = datetime(2026, 9, 14, 8, 40, tzinfo=ZoneInfo(iana))
    return [(first + timedelta(weeks=n)).astimezone(UTC) for n in range(10)]


def starts(result) -> list[datetime]:
    return sorted(e.start.astimezone(UTC) for e in result.entries)


def test_the_test_covers_every_windows_zone_of_europe_and_each_has_an_outlook_name():
    assert "W. Europe Standard Time" in EUROPEAN_WINDOWS and len(EUROPEAN_WINDOWS) >= 18
    assert set(EUROPEAN_WINDOWS) <= {windows for _display, windows in DISPLAY_NAMES}


@pytest.mark.parametrize("windows", EUROPEAN_WINDOWS)
def test_every_european_windows_name_is_read_with_its_vtimezone(windows):
    iana = WINDOWS_TO_OLSON[windows]
    result = parse_ics(
        outlook_file(windows, f'"{windows}"', iana), window_start=WINDOW[0], window_end=WINDOW[1]
    )
    assert starts(result) == expected_utc(iana)
    assert result.warnings == []


@pytest.mark.parametrize("windows", EUROPEAN_WINDOWS)
def test_every_european_windows_name_is_read_without_a_vtimezone(windows):
    iana = WINDOWS_TO_OLSON[windows]
    data = outlook_file(windows, windows, iana, define=False)
    result = parse_ics(data, window_start=WINDOW[0], window_end=WINDOW[1])
    assert starts(result) == expected_utc(iana)


@pytest.mark.parametrize(("display", "windows"), DISPLAY_NAMES)
def test_every_outlook_display_name_of_a_european_zone_is_read(display, windows):
    iana = WINDOWS_TO_OLSON[windows]
    # Outlook quotes the name in the VTIMEZONE and in the parameter (it holds a colon).
    data = outlook_file(f'"{display}"', f'"{display}"', iana)
    assert b"\r\n " in data  # the long lines are folded
    result = parse_ics(data, window_start=WINDOW[0], window_end=WINDOW[1])
    assert starts(result) == expected_utc(iana)
    assert result.warnings == []


def test_a_display_name_not_in_the_table_is_read_by_its_rules():
    display = '"(UTC+01:00) Stockholm, Göteborg, Malmö"'
    data = outlook_file(display, display, "Europe/Stockholm")
    result = parse_ics(data, window_start=WINDOW[0], window_end=WINDOW[1])
    assert starts(result) == expected_utc("Europe/Stockholm")


def custom_zone_file(tzid: str, standard: str, daylight: str | None, at: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//SV", "BEGIN:VTIMEZONE",
             f"TZID:{tzid}", "BEGIN:STANDARD", "DTSTART:16010101T030000",
             f"TZOFFSETFROM:{daylight or standard}", f"TZOFFSETTO:{standard}"]  # fmt: skip
    if daylight:
        lines += ["RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "END:STANDARD", "BEGIN:DAYLIGHT",
                  "DTSTART:16010101T020000", f"TZOFFSETFROM:{standard}",
                  f"TZOFFSETTO:{daylight}", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
                  "END:DAYLIGHT"]  # fmt: skip
    else:
        lines.append("END:STANDARD")
    lines += [
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:x",
        "SUMMARY:Svenska 8A",
        f"DTSTART;TZID={tzid}:{at}",
        "DURATION:PT45M",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return calendar_bytes(lines)


def test_a_custom_zone_in_one_file_does_not_change_how_the_next_file_is_read(bob, carol):
    # The first file defines "Skolans tid" as UTC+4; the second, correctly, as Swedish time.
    wrong = custom_zone_file("Skolans tid", "+0400", None, "20261109T084000")
    right = custom_zone_file("Skolans tid", "+0100", "+0200", "20261109T084000")
    services.timetable_import_ics(actor=bob, data=wrong, name="a.ics", window=WINDOW)
    services.timetable_import_ics(actor=carol, data=right, name="b.ics", window=WINDOW)
    (entry,) = TimetableEntry.objects.filter(user=carol)
    assert entry.start == datetime(2026, 11, 9, 7, 40, tzinfo=UTC)  # 08:40 CET, not 05:40Z
    (other,) = TimetableEntry.objects.filter(user=bob)
    assert other.start == datetime(2026, 11, 9, 4, 40, tzinfo=UTC)  # its own zone, UTC+4


def test_a_wrong_definition_under_a_windows_name_does_not_reach_the_next_file():
    wrong = custom_zone_file("W. Europe Standard Time", "+0300", None, "20261109T084000")
    first = parse_ics(wrong, window_start=WINDOW[0], window_end=WINDOW[1])
    assert first.warnings  # it contradicts the real zone: reported, real rules used
    bare = outlook_file("", "W. Europe Standard Time", "Europe/Berlin", define=False)
    second = parse_ics(bare, window_start=WINDOW[0], window_end=WINDOW[1])
    assert starts(second) == expected_utc("Europe/Berlin")


@pytest.mark.parametrize(
    ("standard", "daylight"),
    [("+0200", "+0100"), ("+0100", None)],
    ids=["offsets-swapped", "daylight-missing"],
)
def test_a_vtimezone_contradicting_its_real_zone_is_reported_and_the_real_rules_win(
    bob, standard, daylight
):
    data = custom_zone_file("Europe/Stockholm", standard, daylight, "20260914T084000")
    record = services.timetable_import_ics(actor=bob, data=data, name="w.ics", window=WINDOW)
    (entry,) = TimetableEntry.objects.filter(user=bob)
    assert entry.start == datetime(2026, 9, 14, 6, 40, tzinfo=UTC)  # 08:40 CEST
    assert len(record.warnings) == 1
    assert record.warnings[0]["line"] == 4
    assert "Europe/Stockholm" in record.warnings[0]["reason"]


def test_x_wr_timezone_does_not_override_the_zone_the_file_defines():
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//SV",
             "X-WR-TIMEZONE:America/New_York", *outlook_vtimezone("Europe/Stockholm",
             "Europe/Stockholm"), "BEGIN:VEVENT", "UID:f", "SUMMARY:Floating",
             "DTSTART:20261109T084000", "DURATION:PT45M", "END:VEVENT", "BEGIN:VEVENT",
             "UID:z", "SUMMARY:Zoned", "DTSTART;TZID=Europe/Stockholm:20261110T084000",
             "DURATION:PT45M", "END:VEVENT", "END:VCALENDAR"]  # fmt: skip
    result = parse_ics(calendar_bytes(lines), window_start=WINDOW[0], window_end=WINDOW[1])
    assert starts(result) == [
        datetime(2026, 11, 9, 7, 40, tzinfo=UTC),
        datetime(2026, 11, 10, 7, 40, tzinfo=UTC),
    ]
    assert any("X-WR-TIMEZONE" in w["reason"] for w in result.warnings)


def test_google_files_repeat_utc_series_in_x_wr_timezone_across_the_change():
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Google Inc//Google Calendar//EN",
             "X-WR-TIMEZONE:Europe/Stockholm", "BEGIN:VEVENT", "UID:g",
             "SUMMARY:Engelska 9A", "DTSTART:20261019T064000Z", "DTEND:20261019T073000Z",
             "RRULE:FREQ=WEEKLY;COUNT=2", "END:VEVENT", "END:VCALENDAR"]  # fmt: skip
    result = parse_ics(calendar_bytes(lines), window_start=WINDOW[0], window_end=WINDOW[1])
    # 08:40 local both weeks: 06:40Z in summer time, 07:40Z after 25 October
    assert starts(result) == [
        datetime(2026, 10, 19, 6, 40, tzinfo=UTC),
        datetime(2026, 10, 26, 7, 40, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("bad", "line"),
    [("TZOFFSETTO:+01", 9), ("DTSTART:1601-01-01", 7), ("RRULE:FREQ=YEARLY;BYDAY=XX", 10)],
)
def test_an_error_inside_a_vtimezone_names_its_line_in_swedish_without_library_text(bad, line):
    good = custom_zone_file("Europe/Stockholm", "+0100", "+0200", "20260914T084000")
    name = bad.split(":")[0]
    text = good.decode().split("\r\n")
    index = next(i for i, t in enumerate(text) if t.startswith(name + ":"))
    text[index] = bad
    with translation.override("sv"), pytest.raises(ImportProblem) as caught:
        parse_ics("\r\n".join(text).encode(), window_start=WINDOW[0], window_end=WINDOW[1])
    assert caught.value.line == line
    assert f"{line}" in caught.value.message
    for english in ("Expected", "Wrong", "format", "invalid", "the "):
        assert english not in caught.value.message
    assert "Rad" in caught.value.message


def test_an_unknown_zone_name_is_still_refused_with_its_line():
    data = outlook_file("", '"(UTC+01:00) Atlantis"', "Europe/Berlin", define=False)
    with pytest.raises(ImportProblem) as caught:
        parse_ics(data, window_start=WINDOW[0], window_end=WINDOW[1])
    assert "Atlantis" in caught.value.message
    assert caught.value.line == 10  # the description before it is folded


def unusual_zone_file(standard: str, daylight: str, at: str) -> bytes:
    """A zone of its own (summer time from the first Sunday of April to the first Sunday of
    October): no IANA zone has these rules, so the file's definition is used."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//SV", "BEGIN:VTIMEZONE",
             "TZID:Skolans egen tid", "BEGIN:STANDARD", "DTSTART:16010101T030000",
             f"TZOFFSETFROM:{daylight}", f"TZOFFSETTO:{standard}",
             "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=10", "END:STANDARD", "BEGIN:DAYLIGHT",
             "DTSTART:16010101T020000", f"TZOFFSETFROM:{standard}", f"TZOFFSETTO:{daylight}",
             "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4", "END:DAYLIGHT", "END:VTIMEZONE",
             "BEGIN:VEVENT", "UID:x", "SUMMARY:Svenska 8A",
             f"DTSTART;TZID=Skolans egen tid:{at}", "DURATION:PT45M", "END:VEVENT",
             "END:VCALENDAR"]  # fmt: skip
    return calendar_bytes(lines)


def test_two_files_defining_their_own_zone_under_one_name_are_read_each_by_its_own(bob, carol):
    first = unusual_zone_file("+0300", "+0400", "20261109T084000")
    second = unusual_zone_file("+0100", "+0200", "20261109T084000")
    services.timetable_import_ics(actor=bob, data=first, name="a.ics", window=WINDOW)
    services.timetable_import_ics(actor=carol, data=second, name="b.ics", window=WINDOW)
    assert TimetableEntry.objects.get(user=bob).start == datetime(2026, 11, 9, 5, 40, tzinfo=UTC)
    assert TimetableEntry.objects.get(user=carol).start == datetime(2026, 11, 9, 7, 40, tzinfo=UTC)

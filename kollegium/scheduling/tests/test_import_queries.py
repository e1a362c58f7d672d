"""What an import costs: the same number of SQL queries for 30 lessons as for 3,000 (a first
import, re-imports that rename and move lessons, one that drops most of them); no cyclic
garbage collection while a file is read; a time-zone definition checked once per text, never
deciding how a different definition is read."""

from __future__ import annotations

import gc
import sys
from datetime import UTC, datetime, timedelta
from types import FrameType
from zoneinfo import ZoneInfo

import pytest

from kollegium.core.testing.factories import teacher_at
from kollegium.core.testing.queries import count_queries
from kollegium.scheduling import services
from kollegium.scheduling.imports import ImportProblem, ics
from kollegium.scheduling.imports.ics import parse_ics
from kollegium.scheduling.models import EntryKind, TimetableEntry
from kollegium.scheduling.tests.test_import_zones import custom_zone_file

TZ = ZoneInfo("Europe/Stockholm")
WINDOW = (datetime(2026, 8, 1, tzinfo=UTC), datetime(2027, 1, 31, tzinfo=UTC))


def _ics(events: int, *, title: str = "Matematik 7B", shift: int = 0) -> bytes:
    """``events`` single events (no RRULE), each its own UID; ``shift`` minutes later."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//SV"]
    first = datetime(2026, 8, 17, 8, 0, tzinfo=TZ)
    for i in range(events):
        start = first + timedelta(days=(i // 7) % 150, minutes=55 * (i % 7) + shift)
        lines += [
            "BEGIN:VEVENT",
            f"UID:q-{i}@test",
            f"SUMMARY:{'Arbetslagsmöte' if i % 7 == 3 else title}",
            "LOCATION:Sal 1",
            f"DTSTART;TZID=Europe/Stockholm:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/Stockholm:{start + timedelta(minutes=50):%Y%m%dT%H%M%S}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def _queries(person, data: bytes) -> int:
    count, _record, _sql = count_queries(
        lambda: services.timetable_import_ics(actor=person, data=data, name="t.ics", window=WINDOW)
    )
    return count


@pytest.mark.django_db
def test_an_import_runs_a_constant_number_of_queries_whatever_the_number_of_events(world):
    small, large = teacher_at(world.school_a), teacher_at(world.school_a)
    first = (_queries(small, _ics(30)), _queries(large, _ics(3000)))
    assert first[0] == first[1]
    assert TimetableEntry.objects.filter(user=large).count() == 3000
    # Renamed: every lesson is updated in place (same ids).
    ids = set(TimetableEntry.objects.filter(user=large).values_list("pk", flat=True))
    renamed = (
        _queries(small, _ics(30, title="Svenska 8A")),
        _queries(large, _ics(3000, title="Svenska 8A")),
    )
    assert renamed[0] == renamed[1]
    after = TimetableEntry.objects.filter(user=large)
    assert set(after.values_list("pk", flat=True)) == ids
    assert after.filter(subject="Svenska", group_name="8A", kind=EntryKind.LESSON).count() == (
        3000 - 3000 // 7 - (1 if 3000 % 7 > 3 else 0)
    )
    assert not after.filter(title="Arbetslagsmöte", kind=EntryKind.LESSON).exists()
    # Moved five minutes: new occurrences replace the old ones.
    moved = (_queries(small, _ics(30, shift=5)), _queries(large, _ics(3000, shift=5)))
    assert moved[0] == moved[1]
    assert not TimetableEntry.objects.filter(user=large, pk__in=ids).exists()
    assert TimetableEntry.objects.filter(user=large).count() == 3000
    # Most dropped: the rest are removed.
    dropped = (_queries(small, _ics(3)), _queries(large, _ics(3)))
    assert dropped[0] == dropped[1]
    assert TimetableEntry.objects.filter(user=large).count() == 3


def test_reading_a_file_runs_no_cycle_collection_and_leaves_the_collector_as_it_was():
    while_reading: list[int] = []  # collections that started inside the reading of a file

    def count(phase: str, info: dict) -> None:
        frame: FrameType | None = sys._getframe(1)
        while frame is not None:
            if frame.f_code is ics._parse.__code__:
                if phase == "start":
                    while_reading.append(info["generation"])
                return
            frame = frame.f_back

    data, small = _ics(3000), _ics(3)
    gc.callbacks.append(count)
    try:
        result = parse_ics(data, window_start=WINDOW[0], window_end=WINDOW[1])
        assert len(result.entries) == 3000
        assert while_reading == []
        assert gc.isenabled()
        with pytest.raises(ImportProblem):
            parse_ics(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", window_start=WINDOW[0],
                      window_end=WINDOW[1])  # fmt: skip
        assert gc.isenabled()
        gc.disable()  # someone else's pause is theirs to end
        parse_ics(small, window_start=WINDOW[0], window_end=WINDOW[1])
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(count)


def _read(data: bytes):
    return parse_ics(data, window_start=WINDOW[0], window_end=WINDOW[1])


def test_a_time_zone_definition_read_before_never_decides_how_another_is_read():
    right = custom_zone_file("W. Europe Standard Time", "+0100", "+0200", "20260914T084000")
    wrong = custom_zone_file("W. Europe Standard Time", "+0300", None, "20260914T084000")
    for data, warned in ((right, False), (wrong, True), (right, False), (wrong, True)):
        result = _read(data)
        assert bool(result.warnings) is warned
        assert [e.start for e in result.entries] == [datetime(2026, 9, 14, 6, 40, tzinfo=UTC)]
    # A broken definition names its own line in every file, wherever it stands.
    broken = right.replace(b"TZOFFSETTO:+0200", b"TZOFFSETTO:+02")
    later = broken.replace(b"PRODID:-//Test//SV", b"PRODID:-//Test//SV\r\nCALSCALE:GREGORIAN")
    lines = []
    for data in (broken, later, broken):
        with pytest.raises(ImportProblem) as caught:
            _read(data)
        lines.append(caught.value.line)
    assert lines[0] == lines[2] and lines[1] == lines[0] + 1

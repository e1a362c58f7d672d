"""A realistic school's 120 timetables (Outlook, Google, Skola24 and SS 12000 exports;
höstlov, the October change, cancelled and moved lessons, part-timers, two sites, team
meetings, lunch, duty) all import, every occurrence at the right UTC time, and no team meeting
is taken for a lesson."""

from __future__ import annotations

from collections import Counter

import pytest

from kollegium.core.testing.factories import teacher_at
from kollegium.scheduling import services
from kollegium.scheduling.models import EntryKind, TimetableEntry
from kollegium.scheduling.tests.realistic import AUTUMN_BREAK_WEEK, TZ, WINDOW, realistic_school

FILES = realistic_school(120)


def test_the_generator_writes_what_real_programs_write():
    programs = Counter(f.program for f in FILES)
    assert programs == {"outlook": 48, "google": 36, "skola24": 24, "ss12000": 12}
    outlook = [f.data for f in FILES if f.program == "outlook"]
    assert any(
        b'TZID="(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"'
        in d.replace(b"\r\n ", b"")
        for d in outlook
    )
    assert any(b"TZID=W. Europe Standard Time" in d for d in outlook)
    assert all(b"\r\n " in d for d in outlook)  # folded lines
    assert all(b"X-WR-TIMEZONE:Europe/Stockholm" in f.data for f in FILES if f.program == "google")
    assert any(b"RECURRENCE-ID" in f.data for f in FILES) and any(
        b"EXDATE" in f.data for f in FILES
    )
    everything = [e for f in FILES for e in f.expected]
    assert not any(
        e.start.astimezone(TZ).isocalendar().week == AUTUMN_BREAK_WEEK for e in everything
    )
    assert {e.start.astimezone(TZ).utcoffset().total_seconds() for e in everything} == {3600, 7200}
    assert any(e.title == "Arbetslagsmöte" for e in everything)


@pytest.mark.django_db
def test_all_120_files_import_with_every_occurrence_at_the_right_time(world):
    refused = []
    for teacher_file in FILES:
        person = teacher_at(world.school_a)
        try:
            services.timetable_import_ics(
                actor=person, data=teacher_file.data, name=teacher_file.name, window=WINDOW
            )
        except Exception as error:  # counted and shown below
            refused.append((teacher_file.name, teacher_file.program, str(error)))
            continue
        stored = sorted(
            TimetableEntry.objects.filter(user=person).values_list("start", "end", "title", "kind")
        )
        expected = sorted(
            (e.start, e.end, e.title, EntryKind.LESSON if e.is_lesson else EntryKind.BUSY)
            for e in teacher_file.expected
        )
        assert stored == expected, teacher_file.name
    assert refused == []
    meetings = TimetableEntry.objects.filter(title="Arbetslagsmöte")
    assert meetings.count() > 120 * 10
    assert not meetings.filter(kind=EntryKind.LESSON).exists()
    assert not TimetableEntry.objects.filter(
        kind=EntryKind.LESSON, subject="Arbetslagsmöte"
    ).exists()

"""An import runs the same number of SQL queries for 30 lessons as for 3,000: a first import,
re-imports that rename and move lessons, and one that drops most of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kollegium.core.testing.factories import teacher_at
from kollegium.core.testing.queries import count_queries
from kollegium.scheduling import services
from kollegium.scheduling.models import EntryKind, TimetableEntry

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

"""CSV import: the header, weeks, skipped lines with reasons, DST, nothing half-imported."""

from __future__ import annotations

from datetime import UTC, date
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from kollegium.scheduling import services
from kollegium.scheduling.imports import ImportProblem
from kollegium.scheduling.imports.tabular import parse_csv
from kollegium.scheduling.models import Source, TimetableEntry

TZ = ZoneInfo("Europe/Stockholm")
FIRST, LAST = date(2026, 3, 16), date(2026, 4, 12)  # ISO weeks 12-15, DST change in week 13


def test_weekly_lines_become_occurrences_at_the_same_local_time_across_dst():
    data = b"weekday,start,end,subject,group,room,weeks\n1,08:15,09:00,Matematik,7B,Sal 12,\n"
    result = parse_csv(data, first=FIRST, last=LAST)
    assert [e.start.astimezone(TZ).strftime("%d %H:%M") for e in result.entries] == [
        "16 08:15", "23 08:15", "30 08:15", "06 08:15",
    ]  # fmt: skip
    assert [e.start.astimezone(UTC).hour for e in result.entries] == [7, 7, 6, 6]
    assert result.entries[0].group_name == "7B"
    assert result.entries[0].room == "Sal 12"
    assert result.skipped == []


def test_swedish_headers_semicolons_day_names_and_week_lists_are_understood():
    data = (
        "veckodag;start;slut;ämne;grupp;sal;veckor\n"
        "ons;10.00;10.45;Svenska;8A;B2;12,14-15\n"
        "fredag;13:00;14:00;Idrott;9C;Hallen;13\n"
    ).encode("cp1252")
    result = parse_csv(data, first=FIRST, last=LAST)
    assert sorted(e.start.astimezone(TZ).strftime("%m-%d %H:%M") for e in result.entries) == [
        "03-18 10:00", "03-27 13:00", "04-01 10:00", "04-08 10:00",
    ]  # fmt: skip
    assert {e.subject for e in result.entries} == {"Svenska", "Idrott"}


def test_bad_lines_are_skipped_with_their_number_and_reason():
    data = (
        b"weekday,start,end,subject,group,room,weeks\n"
        b"1,08:00,09:00,Ma,7A,1,\n"
        b"8,08:00,09:00,Ma,7A,1,\n"
        b"2,nine,10:00,Sv,7A,1,\n"
        b"3,10:00,09:00,En,7A,1,\n"
        b"4,10:00,11:00,No,7A\n"
        b"5,10:00,11:00,So,7A,1,60\n"
        b"5,10:00,11:00,So,7A,1,30\n"
    )
    result = parse_csv(data, first=FIRST, last=LAST)
    assert len(result.entries) == 4
    lines = [item["line"] for item in result.skipped]
    assert lines == [3, 4, 5, 6, 7, 8]
    reasons = " | ".join(item["reason"] for item in result.skipped)
    assert "8" in reasons
    assert "nine" in reasons
    assert "60" in reasons


def test_a_wrong_header_is_refused_with_the_expected_header():
    with pytest.raises(ImportProblem) as caught:
        parse_csv(b"day,from,to,what\n1,08:00,09:00,Ma\n", first=FIRST, last=LAST)
    assert caught.value.line == 1
    assert "weekday,start,end,subject,group,room,weeks" in caught.value.message


def test_a_wrong_header_imports_nothing_and_keeps_the_old_timetable(bob):
    good = b"weekday,start,end,subject,group,room,weeks\n1,08:15,09:00,Ma,7B,12,\n"
    services.timetable_import_csv(actor=bob, data=good, name="a.csv", first=FIRST, last=LAST)
    with pytest.raises(ValidationError):
        services.timetable_import_csv(
            actor=bob, data=b"a,b\n1,2\n", name="b.csv", first=FIRST, last=LAST
        )
    assert TimetableEntry.objects.filter(user=bob, source=Source.CSV).count() == 4


def test_a_file_where_no_line_can_be_read_imports_nothing(bob):
    data = b"weekday,start,end,subject,group,room,weeks\n9,08:00,09:00,Ma,7A,1,\n"
    with pytest.raises(ValidationError) as caught:
        services.timetable_import_csv(actor=bob, data=data, name="c.csv", first=FIRST, last=LAST)
    assert "9" in " ".join(caught.value.messages)
    assert not TimetableEntry.objects.filter(user=bob).exists()

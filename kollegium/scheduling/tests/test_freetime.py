"""Common free time: exact across the DST changes, and checked minute by minute."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kollegium.scheduling.core.freetime import (
    DedicatedBlock,
    WorkingHours,
    common_free_slots,
    recurring_weekly,
    weekly_blocks,
)

TZ = ZoneInfo("Europe/Stockholm")
SPRING = date(2026, 3, 29)  # last Sunday of March: 02:00 -> 03:00
AUTUMN = date(2026, 10, 25)  # last Sunday of October: 03:00 -> 02:00


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def hours(slot) -> tuple[str, str]:
    return slot.start.strftime("%H:%M"), slot.end.strftime("%H:%M")


def test_a_weekly_lesson_stays_at_the_same_local_time_across_the_spring_change():
    lessons = recurring_weekly(
        weekday=0, start=time(10), end=time(11), first=date(2026, 3, 16), last=date(2026, 4, 6)
    )
    assert [s.astimezone(UTC).hour for s, _ in lessons] == [9, 9, 8, 8]
    slots = common_free_slots(
        {"bob": lessons}, start=date(2026, 3, 23), end=date(2026, 3, 30), min_minutes=60
    )
    mondays = [s for s in slots if s.day in (date(2026, 3, 23), date(2026, 3, 30))]
    assert sorted(hours(s) for s in mondays) == [
        ("08:00", "10:00"),
        ("08:00", "10:00"),
        ("11:00", "17:00"),
        ("11:00", "17:00"),
    ]
    assert {s.minutes for s in mondays} == {120, 360}


def test_a_weekly_lesson_stays_at_the_same_local_time_across_the_autumn_change():
    lessons = recurring_weekly(
        weekday=0, start=time(13), end=time(14), first=date(2026, 10, 19), last=date(2026, 11, 2)
    )
    slots = common_free_slots(
        {"bob": lessons}, start=date(2026, 10, 26), end=date(2026, 10, 26), min_minutes=30
    )
    assert [hours(s) for s in slots] == [("08:00", "13:00"), ("14:00", "17:00")]
    assert slots[0].start.utcoffset() == timedelta(hours=1)


def test_a_night_window_on_the_spring_day_is_one_hour_shorter():
    sundays = WorkingHours(((),) * 6 + (((time(0), time(6)),),))
    slots = common_free_slots({}, start=SPRING, end=SPRING, working_hours=sundays)
    assert [s.minutes for s in slots] == [300]


def test_a_night_window_on_the_autumn_day_is_one_hour_longer():
    sundays = WorkingHours(((),) * 6 + (((time(0), time(6)),),))
    slots = common_free_slots({}, start=AUTUMN, end=AUTUMN, working_hours=sundays)
    assert [s.minutes for s in slots] == [420]


def test_a_window_starting_in_the_spring_gap_starts_at_the_change():
    sundays = WorkingHours(((),) * 6 + (((time(2, 30), time(4)),),))
    slots = common_free_slots({}, start=SPRING, end=SPRING, working_hours=sundays)
    assert hours(slots[0]) == ("03:00", "04:00")
    assert slots[0].minutes == 60


def test_the_repeated_autumn_half_hour_is_working_time_twice():
    sundays = WorkingHours(((),) * 6 + (((time(1), time(2, 30)),),))
    slots = common_free_slots({}, start=AUTUMN, end=AUTUMN, working_hours=sundays, min_minutes=30)
    assert [s.minutes for s in slots] == [90, 30]
    assert [s.start.utcoffset() for s in slots] == [timedelta(hours=2), timedelta(hours=1)]


def test_busy_time_in_utc_is_removed_at_the_right_local_time_after_the_change():
    meeting = (datetime(2026, 3, 30, 7, 0, tzinfo=UTC), datetime(2026, 3, 30, 8, 0, tzinfo=UTC))
    slots = common_free_slots(
        {"alice": [meeting]}, start=date(2026, 3, 30), end=date(2026, 3, 30), min_minutes=30
    )
    assert sorted(hours(s) for s in slots) == [("08:00", "09:00"), ("10:00", "17:00")]


def test_only_time_free_for_everyone_is_returned():
    day = date(2026, 9, 7)
    busy = {
        "alice": [(local(day, 8), local(day, 12))],
        "bob": [(local(day, 13), local(day, 15))],
        "carol": [(local(day, 11), local(day, 13, 30))],
    }
    slots = common_free_slots(busy, start=day, end=day, min_minutes=45)
    assert [hours(s) for s in slots] == [("15:00", "17:00")]


def test_slots_shorter_than_the_minimum_are_left_out():
    day = date(2026, 9, 7)
    busy = {"bob": [(local(day, 8, 20), local(day, 16, 40))]}
    assert common_free_slots(busy, start=day, end=day, min_minutes=30) == []
    assert len(common_free_slots(busy, start=day, end=day, min_minutes=20)) == 2


def test_dedicated_time_is_ranked_first_then_earlier_then_longer():
    first = date(2026, 9, 7)
    blocks = weekly_blocks(
        weekday=2,
        start=time(14),
        end=time(15, 30),
        first=first,
        last=first + timedelta(6),
        label="Kollegialt lärande",
    )
    busy = {"bob": [(local(first, 9), local(first, 16))]}
    slots = common_free_slots(busy, start=first, end=first + timedelta(days=4), dedicated=blocks)
    assert slots[0].dedicated
    assert slots[0].label == "Kollegialt lärande"
    assert hours(slots[0]) == ("14:00", "15:30")
    assert slots[0].day == date(2026, 9, 9)
    rest = slots[1:]
    assert not any(s.dedicated for s in rest)
    assert [s.day for s in rest] == sorted(s.day for s in rest)
    monday = [s for s in rest if s.day == first]
    assert [s.minutes for s in monday] == [60, 60]
    assert [hours(s) for s in monday] == [("08:00", "09:00"), ("16:00", "17:00")]
    tuesday = [s for s in rest if s.day == date(2026, 9, 8)]
    assert [s.minutes for s in tuesday] == [540]


def test_datetime_ranges_are_exact_and_naive_input_is_refused():
    day = date(2026, 9, 7)
    slots = common_free_slots({}, start=local(day, 9, 15), end=local(day, 10))
    assert [hours(s) for s in slots] == [("09:15", "10:00")]
    with pytest.raises(ValueError, match="aware"):
        common_free_slots(
            {"x": [(datetime(2026, 9, 7, 9), datetime(2026, 9, 7, 10))]}, start=day, end=day
        )
    with pytest.raises(ValueError):
        WorkingHours(((),) * 3)


def test_a_term_for_twelve_people_gives_slots_on_free_days():
    first = date(2026, 8, 17)
    last = first + timedelta(weeks=10) - timedelta(days=1)
    busy = {}
    for p in range(12):
        intervals = []
        for weekday in range(5):
            for slot in range(7):
                if (slot + p + weekday) % 3 == 0:
                    continue
                start = time(8 + slot)
                intervals += recurring_weekly(
                    weekday=weekday, start=start, end=time(8 + slot, 50), first=first, last=last
                )
        busy[f"p{p}"] = intervals
    slots = common_free_slots(busy, start=first, end=last, min_minutes=45)
    # Someone teaches in every hour until 14:50; the gaps between lessons are 10 minutes.
    assert len(slots) == 50
    assert {hours(s) for s in slots} == {("14:50", "17:00")}


# ---------------------------------------------------------------------------------------------
# Properties, checked minute by minute around both DST changes.
# ---------------------------------------------------------------------------------------------

RANGES = [(date(2026, 3, 27), date(2026, 3, 30)), (date(2026, 10, 23), date(2026, 10, 26))]


@st.composite
def scenarios(draw):
    first, last = draw(st.sampled_from(RANGES))
    low = datetime.combine(first, time(0), TZ)
    span = int((datetime.combine(last + timedelta(1), time(0), TZ) - low).total_seconds()) // 60
    days = []
    for _weekday in range(7):
        start_h = draw(st.integers(0, 20))
        if start_h in (2,):
            start_h = 3
        length = draw(st.integers(0, 8))
        end_h = min(24, start_h + length)
        days.append(((time(start_h), time(end_h % 24)),) if end_h > start_h else ())
    hours_ = WorkingHours(tuple(days))
    busy = {}
    for person in range(draw(st.integers(1, 4))):
        intervals = []
        for _ in range(draw(st.integers(0, 8))):
            offset = draw(st.integers(0, span - 1))
            minutes = draw(st.integers(5, 300))
            start = low.astimezone(UTC) + timedelta(minutes=offset)
            intervals.append((start, start + timedelta(minutes=minutes)))
        busy[f"p{person}"] = intervals
    blocks = []
    for _ in range(draw(st.integers(0, 2))):
        offset = draw(st.integers(0, span - 1))
        start = low.astimezone(UTC) + timedelta(minutes=offset)
        blocks.append(DedicatedBlock(start, start + timedelta(minutes=draw(st.integers(30, 240)))))
    return first, last, hours_, busy, blocks, draw(st.integers(15, 180))


def working_minute(instant: datetime, hours_: WorkingHours) -> bool:
    wall = instant.astimezone(TZ)
    for w_start, w_end in hours_.days[wall.weekday()]:
        end = time(23, 59, 59) if w_end == time(0) else w_end
        if w_start <= wall.time() < end:
            return True
    return False


@settings(max_examples=80, deadline=None)
@given(scenarios())
def test_slots_are_free_long_enough_inside_working_hours_and_complete(scenario):
    first, last, hours_, busy, blocks, minimum = scenario
    slots = common_free_slots(
        busy, start=first, end=last, min_minutes=minimum, working_hours=hours_, dedicated=blocks
    )
    for slot in slots:
        assert slot.minutes >= minimum
        # (aware datetimes in the same zone subtract as wall clocks; timestamps are real time)
        assert slot.minutes * 60 == int(slot.end.timestamp() - slot.start.timestamp())
        for intervals in busy.values():
            for b_start, b_end in intervals:
                assert not (b_start < slot.end and slot.start < b_end)
        probe = slot.start.astimezone(UTC)
        while probe < slot.end:
            assert working_minute(probe, hours_)
            probe += timedelta(minutes=1)
    # Completeness: every maximal run of common free working minutes that is long enough is
    # exactly one (non-dedicated) slot.
    low = datetime.combine(first, time(0), TZ).astimezone(UTC)
    high = datetime.combine(last + timedelta(1), time(0), TZ).astimezone(UTC)
    runs = []
    run_start = None
    probe = low
    while probe <= high:
        free = (
            probe < high
            and working_minute(probe, hours_)
            and not any(s <= probe < e for intervals in busy.values() for s, e in intervals)
        )
        if free and run_start is None:
            run_start = probe
        if not free and run_start is not None:
            if probe - run_start >= timedelta(minutes=minimum):  # both in UTC
                runs.append((run_start, probe))
            run_start = None
        probe += timedelta(minutes=1)
    spans = [(s.start.astimezone(UTC), s.end.astimezone(UTC), s.dedicated) for s in slots]
    # a free stretch that is entirely dedicated time is listed once, as dedicated
    assert sorted((a, b) for a, b, dedicated in spans if not dedicated) == [
        run for run in runs if run not in {(a, b) for a, b, dedicated in spans if dedicated}
    ]
    assert set(runs) <= {(a, b) for a, b, _dedicated in spans}
    for slot in slots:
        if slot.dedicated:
            assert any(b.start <= slot.start and slot.end <= b.end for b in blocks)

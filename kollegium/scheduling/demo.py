"""Demo timetables and dedicated time, so the finder and observation rounds work in `make run`.

Every demo teacher's weekly timetable (data/demo_timetables.yaml) goes through the real CSV
importer for this term: from the Monday of last week to twelve weeks ahead.
"""

from __future__ import annotations

import csv
import io
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone

from . import services

DATA = Path(__file__).resolve().parent / "data" / "demo_timetables.yaml"


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["weekday", "start", "end", "subject", "group", "room", "weeks"])
    for weekday, start, end, subject, group, room in rows:
        writer.writerow([weekday, start, end, subject, group, room, ""])
    return buffer.getvalue().encode()


def load_demo(demo: Any) -> None:
    data = yaml.safe_load(DATA.read_text("utf-8"))
    today = timezone.localdate()
    first = today - timedelta(days=today.weekday() + 7)
    last = first + timedelta(weeks=14) - timedelta(days=1)
    for key, rows in data["teachers"].items():
        person = demo.people.get(key)
        if person is None:
            continue
        services.timetable_import_csv(
            actor=person, data=_csv(rows), name="schema.csv", first=first, last=last
        )
    alice, eva = demo.people.get("alice"), demo.people.get("eva")
    if alice is not None:
        services.dedicated_time_create(
            actor=alice, school=demo.school_a, title="Kollegialt lärande", weekday=2,
            start_time=time(14), end_time=time(15, 30), first_date=first, last_date=last,
        )  # fmt: skip
    if eva is not None:
        services.dedicated_time_create(
            actor=eva, school=demo.school_b, title="Ämneslag: gemensam planering", weekday=3,
            start_time=time(15, 15), end_time=time(16, 15), first_date=first, last_date=last,
            every_weeks=2,
        )  # fmt: skip

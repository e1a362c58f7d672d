"""One date style for every page and email (issue 16).

Two forms, in the reader's language:

- **long**: "7 december 2026" (en "7 December 2026"), with a weekday where the day matters
  ("måndag 7 december"), and a time after a comma ("7 december 2026, 14:00");
- **short**, where space is tight (lists, tables, a phone): "mån 7 dec" (en "Mon 7 Dec"),
  "mån 7 dec, 14:00"; never with a year.

Months are never capitalised abbreviations in Swedish ("Dec", "Okt") and never numbers with a
year in running text ("2026-12-07"). Templates use the filters in `kollegium/core/templatetags/
dates.py` (`{% load dates %}`: `|long_date`, `|long_datetime`, `|short_date`,
`|short_datetime`) or Django's `|date` with a long format ("j F Y", "l j F"); Python code uses
the functions below. kollegium/core/tests/test_date_style.py scans every page of the sweep.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import get_language

LONG = "j F Y"
LONG_TIME = "j F Y, H:i"


def _short(with_time: bool) -> str:
    # Swedish month abbreviations are lower case ("dec"); Django's "M" capitalises them.
    month = "b" if (get_language() or "sv").startswith("sv") else "M"
    return f"D j {month}" + (", H:i" if with_time else "")


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value: date | datetime | None) -> str:
    return "" if value is None else formats.date_format(_local(value), LONG)


def long_datetime(value: datetime | None) -> str:
    return "" if value is None else formats.date_format(_local(value), LONG_TIME)


def short_date(value: date | datetime | None) -> str:
    return "" if value is None else formats.date_format(_local(value), _short(False))


def short_datetime(value: datetime | None) -> str:
    return "" if value is None else formats.date_format(_local(value), _short(True))

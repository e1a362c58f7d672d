"""Lesson choices are labelled as before, with each day's text made once (issue 10)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import formats, timezone, translation

from kollegium.core.dates import short_datetime
from kollegium.observations.timetable import LessonOption


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_lesson_choice_reads_as_the_short_date_time_and_end(language):
    start = datetime(2026, 12, 7, 7, 10, tzinfo=UTC)  # 08:10 in Stockholm
    with translation.override(language):
        for days in range(0, 40, 3):
            begins = start + timedelta(days=days, minutes=7 * days)
            option = LessonOption("1", begins, begins + timedelta(minutes=50), "Ma 7B")
            local_start = timezone.localtime(begins)
            expected = (
                short_datetime(local_start)
                + "–"
                + formats.time_format(timezone.localtime(option.end), "H:i")
            )
            assert option.choice_label == f"{expected} · Ma 7B"
        assert LessonOption("2", start, start + timedelta(hours=1), "").choice_label == (
            short_datetime(timezone.localtime(start)) + "–09:10"
        )

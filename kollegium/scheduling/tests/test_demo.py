"""The demo gives every demo teacher a timetable, so the finder and a round work in `make run`."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from kollegium.organisations.demo import create_demo
from kollegium.scheduling import demo as scheduling_demo
from kollegium.scheduling import selectors
from kollegium.scheduling.core.rounds import (
    Lesson,
    RoundInstance,
    RoundRules,
    Teacher,
    check_round,
    solve_round,
)
from kollegium.scheduling.models import DedicatedTime, TimetableEntry

pytestmark = pytest.mark.django_db


def test_the_demo_teachers_have_timetables_that_allow_a_round_and_common_time():
    demo = create_demo()
    scheduling_demo.load_demo(demo)
    school_a = [
        demo.people[k] for k in ("bob", "carol", "erik", "fatima", "gustav", "hanna", "ida")
    ]
    assert all(TimetableEntry.objects.filter(user=p).count() > 100 for p in school_a)
    assert DedicatedTime.objects.filter(school=demo.school_a).count() == 1

    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    slots = selectors.common_free_slots(
        actor=demo.people["alice"],
        users=school_a,
        start=monday,
        end=monday + timedelta(days=4),
        min_minutes=60,
    )
    assert slots and slots[0].dedicated

    start = timezone.make_aware(datetime.combine(monday, time(0)))
    end = start + timedelta(weeks=2)
    lessons = selectors.lessons_for(users=school_a, start=start, end=end)
    busy = selectors.busy_intervals_for(users=school_a, start=start, end=end)
    instance = RoundInstance(
        teachers=tuple(Teacher(str(p.pk), frozenset({"x"})) for p in school_a),
        lessons=tuple(
            Lesson(str(x.pk), str(x.user_id), x.start, x.end, x.subject) for x in lessons
        ),
        busy={str(k): tuple(v) for k, v in busy.items()},
        rules=RoundRules(k=2, subject_mode="mixed"),
    )
    result = solve_round(instance, time_limit_s=10)
    assert result.status in ("optimal", "feasible")
    assert check_round(instance, result.assignments) == []

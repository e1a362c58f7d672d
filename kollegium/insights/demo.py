"""Demo data for the insights pages: Björkskolan's promise of time, and a year of history.

Alice has promised 60 minutes a week to everyone, and 80 to the 4–6 work team. Last school
year six teachers took a Lärportalen-style reading module (Läslyftet) that ended about six and a
half months ago; most of them still meet in this year's groups, which is what "does it last?"
shows. The module's meetings give the teachers' own ledgers earlier terms to look back on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from kollegium.groups.models import Attendance, GroupMembership, LearningGroup, Meeting
from kollegium.groups.services.guides import shipped_guide
from kollegium.insights import services
from kollegium.observations.models import Observation, ObservationStatus
from kollegium.organisations.actor import as_actor

#: The module's meetings: days before its end, and who was there (indexes into members).
_MODULE_MEETINGS = (
    (280, "moment_b", (0, 1, 2, 3, 4, 5)),
    (266, "moment_d", (0, 1, 2, 3, 4, 5)),
    (238, "moment_b", (0, 1, 2, 4, 5)),
    (224, "moment_d", (0, 1, 2, 3, 4)),
    (196, "moment_b", (0, 1, 2, 3, 4, 5)),
    (182, "moment_d", (0, 1, 3, 4, 5)),
    (126, "moment_b", (0, 1, 2, 3, 4, 5)),
    (112, "moment_d", (0, 2, 3, 4, 5)),
    (70, "moment_b", (0, 1, 2, 3, 5)),
    (56, "moment_d", (0, 1, 2, 3, 4, 5)),
    (28, "moment_b", (0, 1, 2, 3, 4, 5)),
    (14, "moment_d", (0, 1, 2, 3, 4, 5)),
)


def _module(demo: Any) -> None:
    p = demo.people
    members = [p[k] for k in ("bob", "carol", "erik", "fatima", "gustav", "hanna")]
    today = timezone.localdate()
    ends_on = today - timedelta(days=198)
    guide = shipped_guide("module")
    group = LearningGroup.objects.create(
        name="Läslyftet: Läsa och skriva i alla ämnen",
        school=demo.school_a,
        guide=guide,
        purpose="Lärportalens modul om läsande och skrivande i alla ämnen, del för del.",
        focus=demo.focus_areas[1] if len(demo.focus_areas) > 1 else None,
        interval_days=14,
        starts_on=ends_on - timedelta(days=300),
        ends_on=ends_on,
        created_by=p["carol"],
    )
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(
                group=group,
                user=person,
                role=GroupMembership.Role.FACILITATOR if person == p["carol"] else "member",
            )
            for person in members
        ]
    )
    parsed = guide.parsed
    for days_before, phase, present in _MODULE_MEETINGS:
        day = ends_on - timedelta(days=days_before)
        start = timezone.make_aware(datetime(day.year, day.month, day.day, 15, 15))
        meeting_type = parsed.meeting_type(parsed.phase(phase).meeting_type)
        meeting = Meeting.objects.create(
            group=group,
            starts_at=start,
            ends_at=start + timedelta(minutes=meeting_type.total_minutes),
            place="Biblioteket, Björkskolan",
            phase_key=phase,
            meeting_type_key=meeting_type.key,
            status=Meeting.Status.HELD,
        )
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=meeting, user=person, present=index in present)
                for index, person in enumerate(members)
            ]
        )


def _observations(demo: Any) -> None:
    """Observations held last term and this, with debriefs (who and when only)."""
    p = demo.people
    now = timezone.now()
    pairs = (
        ("erik", "fatima", 150),
        ("fatima", "erik", 143),
        ("gustav", "hanna", 40),
        ("hanna", "ida", 33),
        ("ida", "gustav", 26),
    )
    for observer, observed, days_ago in pairs:
        start = timezone.localtime(now - timedelta(days=days_ago)).replace(
            hour=9, minute=40, second=0, microsecond=0
        )
        Observation.objects.create(
            school=demo.school_a,
            observer=p[observer],
            observed=p[observed],
            requested_by="observer",
            start=start,
            end=start + timedelta(minutes=60),
            lesson_label="Svenska 5B",
            form_key="stars_and_wish",
            status=ObservationStatus.DEBRIEFED,
            debrief_start=start + timedelta(hours=5),
            debrief_end=start + timedelta(hours=5, minutes=30),
        )


def load_demo(demo: Any) -> None:
    if "alice" not in demo.people or "hanna" not in demo.people:
        return
    alice = as_actor(demo.people["alice"])
    services.promise_set(actor=alice, school=demo.school_a, team=None, minutes=60, unit="week")
    team = demo.teams.get("work46")
    if team is not None:
        services.promise_set(actor=alice, school=demo.school_a, team=team, minutes=80, unit="week")
    _module(demo)
    _observations(demo)

"""Insights (issue 14): the leader's page and the owner's comparison at scale.

- The leader's page of a 120-teacher school with two school years of history (twelve
  learning groups meeting every fortnight, attendance, commitments with outcomes, peer
  observations with debriefs, teams, three development focus areas, a group that ended a
  year ago): p50 in-process with the Django test client, target < 150 ms, and its SQL queries.
- The owner's comparison over 1,001 schools (the 120-teacher school and 1,000 schools of 20
  teachers, each with a group meeting this term): p50, target < 2 s.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, datetime, timedelta

from bench.common import BenchContext, row


def _aware(day: date, hour: int = 15) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def _history(school, people, today: date, rng: random.Random) -> dict[str, int]:
    """Two school years of collegial learning at one school, written in bulk."""
    from kollegium.groups.models import (
        Attendance,
        Commitment,
        GroupMembership,
        LearningGroup,
        Meeting,
    )
    from kollegium.groups.services.guides import shipped_guide
    from kollegium.insights.models import TimePromise
    from kollegium.observations.models import Observation, ObservationStatus
    from kollegium.organisations.models import DevelopmentFocus, Team, TeamMembership

    guide = shipped_guide("tlc")
    parsed = guide.parsed
    phase = max(parsed.phases, key=lambda p: p.meetings)
    focuses = [DevelopmentFocus.objects.create(school=school, title=f"Fokus {i}") for i in range(3)]
    teams = [Team.objects.create(school=school, name=f"Arbetslag {i}") for i in range(8)]
    TeamMembership.objects.bulk_create(
        [TeamMembership(team=teams[i % 8], user=p) for i, p in enumerate(people)]
    )
    TimePromise.objects.create(school=school, minutes=60, unit="week")
    TimePromise.objects.create(school=school, team=teams[0], minutes=90, unit="week")
    start = today - timedelta(days=730)
    groups = []
    for i in range(12):
        ends = today + timedelta(days=120) if i else today - timedelta(days=365)
        groups.append(
            LearningGroup(
                name=f"Lärgrupp {i}",
                school=school,
                guide=guide,
                focus=focuses[i % 3],
                interval_days=14,
                starts_on=start,
                ends_on=ends,
            )
        )
    groups = LearningGroup.objects.bulk_create(groups)
    members = {g.pk: people[i * 10 : i * 10 + 10] for i, g in enumerate(groups)}
    GroupMembership.objects.bulk_create(
        [GroupMembership(group=g, user=p) for g in groups for p in members[g.pk]]
    )
    meetings = []
    for group in groups:
        day = start
        while day <= min(group.ends_on, today):
            if day.month != 7:
                meetings.append(
                    Meeting(
                        group=group,
                        starts_at=_aware(day),
                        ends_at=_aware(day, 17),
                        phase_key=phase.key,
                        meeting_type_key=phase.meeting_type,
                        status=Meeting.Status.HELD,
                    )
                )
            day += timedelta(days=14)
    meetings = Meeting.objects.bulk_create(meetings, batch_size=2000)
    attendance, commitments = [], []
    for meeting in meetings:
        for person in members[meeting.group_id]:
            came = rng.random() < 0.85
            attendance.append(Attendance(meeting=meeting, user=person, present=came))
            if came and rng.random() < 0.5:
                outcome = rng.choice(["worked", "partly", "did_not_work", "not_tried", ""])
                commitments.append(
                    Commitment(
                        group_id=meeting.group_id,
                        meeting=meeting,
                        user=person,
                        text="Pröva exit tickets",
                        due_on=meeting.starts_at.date() + timedelta(days=14),
                        outcome=outcome,
                        reflected_at=meeting.starts_at + timedelta(days=14) if outcome else None,
                        created_at=meeting.starts_at,
                    )
                )
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    Commitment.objects.bulk_create(commitments, batch_size=5000)
    observations = []
    for i in range(960):
        observer, observed = rng.sample(people, 2)
        day = start + timedelta(days=rng.randrange(0, 730))
        begins = _aware(day, 9)
        observations.append(
            Observation(
                school=school,
                observer=observer,
                observed=observed,
                requested_by="observer",
                start=begins,
                end=begins + timedelta(minutes=60),
                form_key="stars_and_wish",
                status=ObservationStatus.DEBRIEFED if i % 2 else ObservationStatus.DONE,
                debrief_start=begins + timedelta(hours=4) if i % 2 else None,
                debrief_end=begins + timedelta(hours=4, minutes=30) if i % 2 else None,
            )
        )
    Observation.objects.bulk_create(observations, batch_size=2000)
    return {
        "meetings": len(meetings),
        "attendance": len(attendance),
        "commitments": len(commitments),
        "observations": len(observations),
    }


def _other_schools(schools, today: date) -> int:
    """One group per school with ten members meeting four times this term."""
    from kollegium.groups.models import Attendance, GroupMembership, LearningGroup, Meeting
    from kollegium.groups.services.guides import shipped_guide
    from kollegium.insights.periods import term_of
    from kollegium.organisations.models import Membership

    guide = shipped_guide("tlc")
    phase = max(guide.parsed.phases, key=lambda p: p.meetings)
    people: dict[int, list[int]] = {}
    for school_id, user_id in Membership.objects.filter(school__in=schools).values_list(
        "school_id", "user_id"
    ):
        people.setdefault(school_id, []).append(user_id)
    groups = LearningGroup.objects.bulk_create(
        [
            LearningGroup(
                name="Lärgrupp",
                school=s,
                guide=guide,
                starts_on=today - timedelta(days=100),
                ends_on=today + timedelta(days=200),
            )
            for s in schools
        ],
        batch_size=2000,
    )
    GroupMembership.objects.bulk_create(
        [GroupMembership(group=g, user_id=u) for g in groups for u in people[g.school_id][:10]],
        batch_size=5000,
    )
    first = max(term_of(today).start, today - timedelta(days=60))
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                group=g,
                starts_at=_aware(first + timedelta(days=7 * k)),
                ends_at=_aware(first + timedelta(days=7 * k), 17),
                phase_key=phase.key,
                meeting_type_key=phase.meeting_type,
                status=Meeting.Status.HELD,
            )
            for g in groups
            for k in range(4)
        ],
        batch_size=2000,
    )
    members = {g.pk: people[g.school_id][:10] for g in groups}
    rows = [Attendance(meeting=m, user_id=u) for m in meetings for u in members[m.group_id]]
    Attendance.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _page(ctx: BenchContext, client, url: str, repeat: int) -> tuple[int, dict[str, float]]:
    from django.db import connection

    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    cpu: list[float] = []

    def get() -> None:
        started = time.process_time()
        client.get(url)
        cpu.append((time.process_time() - started) * 1000)

    timing = ctx.timeit(get, repeat=repeat, warmup=2)
    # The app process's CPU time (with SQLite, the database's work too): what the page costs
    # apart from waiting for a busy machine's cores.
    timing["cpu_p50"] = statistics.median(cpu[2:])
    return len(executed), timing


def run(ctx: BenchContext) -> list[dict]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from kollegium.accounts.models import User
    from kollegium.organisations.models import Membership, Organisation, OwnerStaff, Role

    n = 40 if ctx.quick else 120
    others = 50 if ctx.quick else 1000
    rng = random.Random(14)
    today = timezone.localdate()
    ctx.seed_people(1, n)
    school = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).order_by("pk").first()
    people = list(User.objects.filter(memberships__school=school).order_by("pk")[:n])
    leader = people[0]
    Membership.objects.filter(user=leader, school=school).update(role=Role.LEADER)
    sizes = _history(school, people, today, rng)

    ctx.seed_people(others, 20)
    owner = school.parent
    Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).update(parent=owner)
    rest = list(Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).exclude(pk=school.pk))
    attended = _other_schools(rest, today)
    staff = User.objects.create_user(email="owner-staff@bench.example", password="x" * 20)
    OwnerStaff.objects.create(user=staff, owner=owner)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(leader)
    leader_q, leader_t = _page(
        ctx, client, f"/insights/school/{school.pk}/", 10 if ctx.quick else 30
    )
    report_q, report_t = _page(
        ctx, client, f"/insights/school/{school.pk}/report/", 5 if ctx.quick else 15
    )
    owner_client = Client()
    owner_client.force_login(staff)
    owner_q, owner_t = _page(
        ctx, owner_client, f"/insights/owner/{owner.pk}/", 3 if ctx.quick else 7
    )
    schools = others + 1
    history = (
        f"{n} teachers, {sizes['meetings']} meetings, {sizes['attendance']} attendance rows, "
        f"{sizes['commitments']} commitments, {sizes['observations']} observations over two years"
    )
    return [
        row(
            f"insights_leader_page_{n}_teachers_p50",
            leader_t["p50"],
            "ms",
            target="< 150 ms",
            ok=leader_t["p50"] < 150,
            note=f"p95 {leader_t['p95']:.1f} ms, app CPU p50 {leader_t['cpu_p50']:.1f} ms, "
            f"{leader_q} queries; {history}",
        ),
        row(
            f"insights_term_report_{n}_teachers_p50",
            report_t["p50"],
            "ms",
            note=f"p95 {report_t['p95']:.1f} ms, app CPU p50 {report_t['cpu_p50']:.1f} ms, "
            f"{report_q} queries (printable HTML)",
        ),
        row(
            f"insights_owner_view_{schools}_schools_p50",
            owner_t["p50"] / 1000,
            "s",
            target="< 2 s",
            ok=owner_t["p50"] < 2000,
            note=f"p95 {owner_t['p95'] / 1000:.2f} s, "
            f"app CPU p50 {owner_t['cpu_p50'] / 1000:.2f} s, "
            f"{owner_q} queries; "
            f"{attended} attendance rows this term across the other schools",
        ),
    ]

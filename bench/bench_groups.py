"""Learning groups: the group page with a long history, and the person's home page at scale.

- Group page with 200 past meetings and 2,000 commitments: SQL queries and latency
  (in-process, Django test client), against the same page of a small group.
- Home page ("my next meetings, my open commitments") with 50,000 teachers seeded and
  2,000 learning groups in the database: throughput as a ratio to the bare view (gunicorn +
  wrk), target at least 40 %. The page is kept per person until something on it changes
  (kollegium/core/homepage.py); the same load with the page rendered on every visit
  (HOME_CACHE=off) is reported beside it.
"""

from __future__ import annotations

import os
import random
from datetime import timedelta

from bench.common import BenchContext, row, throughput_ratio

SCHOOLS, TEACHERS = 1000, 50


def _build_group(school, people, *, meetings: int, commitments_per_meeting: int, name: str):
    from django.utils import timezone

    from kollegium.groups import services
    from kollegium.groups.models import (
        Attendance,
        Commitment,
        GroupMembership,
        LearningGroup,
        Meeting,
    )

    guide = services.shipped_guide("tlc")
    today = timezone.localdate()
    group = LearningGroup.objects.create(
        name=name,
        school=school,
        guide=guide,
        interval_days=7,
        starts_on=today - timedelta(days=meetings * 7 + 7),
        ends_on=today + timedelta(days=200),
    )
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(
                group=group,
                user=person,
                role="facilitator" if i == 0 else "member",
            )
            for i, person in enumerate(people)
        ]
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = []
    for i in range(meetings):
        start = now - timedelta(days=7 * (i + 1))
        rows.append(
            Meeting(
                group=group,
                starts_at=start,
                ends_at=start + timedelta(minutes=95),
                place="Biblioteket",
                phase_key="monthly",
                meeting_type_key="monthly",
                status=Meeting.Status.HELD,
                minutes="Vi följde upp åtagandena och läste kapitel 4." * 3,
                discussion_leader=people[i % len(people)],
                note_taker=people[(i + 1) % len(people)],
                timekeeper=people[(i + 2) % len(people)],
            )
        )
    Meeting.objects.bulk_create(rows)
    made = list(Meeting.objects.filter(group=group).order_by("starts_at"))
    commitments, attendance = [], []
    for m_index, meeting in enumerate(made):
        for p_index in range(commitments_per_meeting):
            person = people[(m_index + p_index) % len(people)]
            reflected = m_index < len(made) - 1
            commitments.append(
                Commitment(
                    group=group,
                    meeting=meeting,
                    user=person,
                    text=f"Pröva exit tickets i klass {p_index + 4}B, vecka {m_index}",
                    due_on=timezone.localdate(meeting.starts_at) + timedelta(days=6),
                    outcome="worked" if reflected else "",
                    reflection="Det fungerade, eleverna svarade kort." if reflected else "",
                    reflected_at=meeting.starts_at + timedelta(days=7) if reflected else None,
                )
            )
        attendance.extend(Attendance(meeting=meeting, user=p, present=True) for p in people)
    Commitment.objects.bulk_create(commitments, batch_size=1000)
    Attendance.objects.bulk_create(attendance, batch_size=1000)
    return group


def _analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would have by now."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _page_stats(ctx: BenchContext, client, url: str) -> tuple[int, dict[str, float]]:
    from django.db import connection

    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timing = ctx.timeit(lambda: client.get(url), repeat=10 if ctx.quick else 30)
    return len(executed), timing


def run(ctx: BenchContext) -> list[dict]:
    from django.test import Client
    from django.utils import timezone

    from kollegium.accounts.models import User
    from kollegium.groups import services
    from kollegium.groups.models import Commitment, GroupMembership, LearningGroup, Meeting
    from kollegium.organisations.models import Membership, Organisation, Role

    schools, teachers = (20, 20) if ctx.quick else (SCHOOLS, TEACHERS)
    ctx.seed_people(schools, teachers)
    rows: list[dict] = []

    school = Organisation.objects.filter(kind="school").order_by("pk").first()
    staff = list(User.objects.filter(memberships__school=school).order_by("pk")[:12])
    facilitator = staff[0]
    Membership.objects.filter(user=facilitator, school=school).update(role=Role.FACILITATOR)

    big_meetings, big_per_meeting = (40, 10) if ctx.quick else (200, 10)
    big = _build_group(
        school,
        staff,
        meetings=big_meetings,
        commitments_per_meeting=big_per_meeting,
        name="Stor TLC",
    )
    small = _build_group(school, staff[:4], meetings=2, commitments_per_meeting=2, name="Liten TLC")
    _analyze()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the in-process client
    client = Client()
    client.force_login(facilitator)
    small_q, small_t = _page_stats(ctx, client, f"/groups/{small.pk}/")
    big_q, big_t = _page_stats(ctx, client, f"/groups/{big.pk}/")
    n_commitments = Commitment.objects.filter(group=big).count()
    rows.append(
        row(
            f"group page queries, {big_meetings} meetings / {n_commitments} commitments",
            big_q,
            "queries",
            target=f"= small group ({small_q})",
            ok=big_q == small_q,
        )
    )
    rows.append(
        row(
            "group page p50, small group", small_t["p50"], "ms", note=f"p95 {small_t['p95']:.1f} ms"
        )
    )
    rows.append(
        row(
            "group page p50, long history",
            big_t["p50"],
            "ms",
            target="< 300 ms",
            ok=big_t["p50"] < 300,
            note=f"p95 {big_t['p95']:.1f} ms",
        )
    )
    export_q, export_t = _page_stats(ctx, client, f"/groups/{big.pk}/export/")
    rows.append(
        row(
            "documentation export p50, long history",
            export_t["p50"],
            "ms",
            note=f"{export_q} queries",
        )
    )

    # Many other groups across the installation, so the home page's queries meet real tables.
    rng = random.Random(4)
    other_schools = list(
        Organisation.objects.filter(kind="school").order_by("pk")[
            1 : 1 + (20 if ctx.quick else 1000)
        ]
    )
    guide = services.shipped_guide("tlc")
    today = timezone.localdate()
    groups = LearningGroup.objects.bulk_create(
        [
            LearningGroup(
                name=f"Grupp {i}",
                school=other_schools[i % len(other_schools)],
                guide=guide,
                starts_on=today,
                ends_on=today + timedelta(days=200),
            )
            for i in range(200 if ctx.quick else 2000)
        ]
    )
    groups = list(LearningGroup.objects.filter(name__startswith="Grupp "))
    by_school: dict[int, list[int]] = {}
    for user_id, school_id in Membership.objects.filter(school__in=other_schools).values_list(
        "user_id", "school_id"
    ):
        by_school.setdefault(school_id, []).append(user_id)
    memberships, meetings = [], []
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for group in groups:
        for user_id in rng.sample(
            by_school[group.school_id], min(8, len(by_school[group.school_id]))
        ):
            memberships.append(GroupMembership(group=group, user_id=user_id))
        for k in range(6):
            start = now + timedelta(days=7 * (k - 3))
            meetings.append(
                Meeting(
                    group=group,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=90),
                    place="Rum 1",
                    phase_key="monthly",
                    meeting_type_key="monthly",
                    status=Meeting.Status.HELD if k < 3 else Meeting.Status.PLANNED,
                )
            )
    GroupMembership.objects.bulk_create(memberships, batch_size=2000)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    for k in range(4):
        services.meeting_schedule(
            actor=facilitator,
            group=big,
            starts_at=now + timedelta(days=3 + 7 * k),
            place="Biblioteket",
        )

    _analyze()
    from django.core.cache import caches
    from django.db import connection

    from kollegium.core.homepage import CACHE_ALIAS
    from kollegium.groups.selectors import home_panel_data

    client.get("/")  # the first visit of a person made in bulk creates their version row

    def rendered() -> None:
        caches[CACHE_ALIAS].clear()
        client.get("/")

    rendered_q = _queries(rendered)
    rendered_t = ctx.timeit(rendered, repeat=10 if ctx.quick else 30)
    kept_q = _queries(lambda: client.get("/"))
    panel_sql: list[str] = []

    def count(execute, sql, params, many, context):
        panel_sql.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        home_panel_data(facilitator)
    panel = ctx.timeit(lambda: home_panel_data(facilitator), repeat=30 if ctx.quick else 100)
    rows.append(
        row(
            "groups home panel (my next meetings, my open commitments)",
            panel["p50"],
            "ms",
            note=f"{len(panel_sql)} queries, p95 {panel['p95']:.2f} ms",
        )
    )
    seconds = 3 if ctx.quick else 6
    # Bare view and home page take turns in the same server, so drift does not skew the ratio.
    load: dict = {"email": facilitator.email, "anonymous": ("/bench/bare",), "seconds": seconds}
    measured = ctx.http_load(["/bench/bare", "/"], rounds=1 if ctx.quick else 3, **load)
    bare, home = measured["/bench/bare"], measured["/"]
    ratio = throughput_ratio(measured, "/", "/bench/bare")
    os.environ["HOME_CACHE"] = "off"
    try:
        rendered_load = ctx.http_load(["/bench/bare", "/"], **load)
    finally:
        del os.environ["HOME_CACHE"]
    cold = rendered_load["/"]
    cold_ratio = throughput_ratio(rendered_load, "/", "/bench/bare")
    people = User.objects.count()
    rows.append(
        row(
            f"home page queries, rendered ({people} people seeded)",
            rendered_q,
            "queries",
            note=f"in-process p50 {rendered_t['p50']:.1f} ms",
        )
    )
    rows.append(row("home page queries, kept page", kept_q, "queries"))
    rows.append(
        row(
            "home page throughput",
            home["rps"],
            "rps",
            note=f"p50 {home['p50_ms']:.1f} ms, errors {home['errors']}",
        )
    )
    rows.append(
        row(
            "home page throughput, rendered on every visit (HOME_CACHE=off)",
            cold["rps"],
            "rps",
            note=f"ratio {cold_ratio:.2f}, p50 {cold['p50_ms']:.1f} ms",
        )
    )
    rows.append(row("bare view throughput", bare["rps"], "rps"))
    rounds = ", ".join(
        f"{h / b:.2f}" for h, b in zip(home["rounds_rps"], bare["rounds_rps"], strict=True)
    )
    rows.append(
        row(
            "home page / bare view",
            ratio,
            "ratio",
            target=">= 0.40",
            ok=ratio >= 0.40,
            note=(
                "the whole home page (every app's panel), signed in as a group facilitator; "
                f"median of the rounds {rounds}"
            ),
        )
    )
    return rows


def _queries(action) -> int:
    from django.db import connection

    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        action()
    return len(executed)

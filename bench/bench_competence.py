"""Competence: "who can help" over 50,000 teachers in 1,000 schools, and the single-holder
analysis of one school owner with 1,000 schools, end to end through the selector that the
owner's coverage page uses (database read included)."""

import random
import time

from bench.common import BenchContext, row

SCHOOLS, TEACHERS = 1000, 50
SKILLS_TOTAL = 150  # the taxonomy (103) plus bench skills, like a school's own additions
RATED_PER_TEACHER = 20
LEVEL_WEIGHTS = [(1, 25), (2, 30), (3, 30), (4, 15)]


def _skills() -> list:
    from kollegium.competence.models import Skill, SkillArea

    area, _ = SkillArea.objects.get_or_create(
        key="bench", defaults={"name_sv": "Bänk", "name_en": "Bench", "order": 99}
    )
    have = list(Skill.objects.filter(is_retired=False, school=None, network=None))
    missing = SKILLS_TOTAL - len(have)
    if missing > 0:
        Skill.objects.bulk_create(
            [
                Skill(
                    key=f"bench.skill_{i}",
                    area=area,
                    name_sv=f"Bänkkompetens {i}",
                    name_en=f"Bench skill {i}",
                    order=i,
                )
                for i in range(missing)
            ],
            ignore_conflicts=True,
        )
    return list(Skill.objects.filter(is_retired=False, school=None, network=None))


def _fill_levels(user_ids: list[int], skill_ids: list[int], rng: random.Random) -> int:
    from kollegium.competence.models import CompetenceProfile, SkillLevel

    levels, weights = zip(*LEVEL_WEIGHTS, strict=True)
    batch: list = []
    total = 0
    for user_id in user_ids:
        for skill_id in rng.sample(skill_ids, RATED_PER_TEACHER):
            level = rng.choices(levels, weights)[0]
            batch.append(
                SkillLevel(
                    user_id=user_id,
                    skill_id=skill_id,
                    level=level,
                    willing_to_share=level >= 3 and rng.random() < 0.7,
                    want_to_learn=level <= 2 and rng.random() < 0.5,
                )
            )
        if len(batch) >= 20_000:
            SkillLevel.objects.bulk_create(batch, batch_size=5000)
            total += len(batch)
            batch = []
    SkillLevel.objects.bulk_create(batch, batch_size=5000)
    total += len(batch)
    CompetenceProfile.objects.bulk_create(
        [CompetenceProfile(user_id=u, visible_in_network=rng.random() < 0.3) for u in user_ids],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return total


FOCUS_AREAS_PER_SCHOOL, SKILLS_PER_FOCUS = 2, 3


def _one_owner_of_every_school() -> tuple:
    """The seeder makes owners of 50 schools; the target is one owner with 1,000 schools. All
    seeded schools move to one owner, who gets one development-staff person."""
    from kollegium.accounts.models import User
    from kollegium.organisations.models import Organisation, OwnerStaff

    owner = Organisation.objects.create(
        kind=Organisation.Kind.OWNER, name="Bänkstads kommun", name_en="Bench municipality"
    )
    Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).update(parent=owner)
    staff = User.objects.create_user(email="strateg@bench.example", full_name="Bänk Strateg")
    OwnerStaff.objects.create(user=staff, owner=owner, title="Utvecklingsstrateg")
    return owner, staff


def _focus_areas(school_ids: list[int], skill_ids: list[int], rng: random.Random) -> int:
    """Each school's development focus: two areas with three skills each."""
    from kollegium.competence.models import FocusSkill
    from kollegium.organisations.models import DevelopmentFocus

    focuses = DevelopmentFocus.objects.bulk_create(
        [
            DevelopmentFocus(school_id=school_id, title=f"Fokus {n + 1}", order=n)
            for school_id in school_ids
            for n in range(FOCUS_AREAS_PER_SCHOOL)
        ],
        batch_size=5000,
    )
    links = [
        FocusSkill(focus_id=focus.pk, skill_id=skill_id)
        for focus in focuses
        for skill_id in rng.sample(skill_ids, SKILLS_PER_FOCUS)
    ]
    FocusSkill.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    return len(links)


def run(ctx: BenchContext) -> list[dict]:
    from django.test import Client
    from django.urls import reverse

    from kollegium.accounts.models import User
    from kollegium.competence import risk, selectors
    from kollegium.competence.models import SkillLevel
    from kollegium.organisations.models import Membership, Organisation

    schools, teachers = (20, 20) if ctx.quick else (SCHOOLS, TEACHERS)
    ctx.seed_people(schools, teachers)
    rng = random.Random(3)
    skills = _skills()
    skill_ids = [s.pk for s in skills]
    user_ids = list(Membership.objects.values_list("user_id", flat=True).distinct())
    started = time.perf_counter()
    if not SkillLevel.objects.exists():
        rows_made = _fill_levels(user_ids, skill_ids, rng)
    else:
        rows_made = SkillLevel.objects.count()
    owner, staff = _one_owner_of_every_school()
    school_ids = list(
        Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).values_list("pk", flat=True)
    )
    focus_links = _focus_areas(school_ids, skill_ids, rng)
    if ctx.database == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:  # bulk-loaded tables: give the planner statistics
            cursor.execute("ANALYZE")
    fill_seconds = time.perf_counter() - started
    out = [
        row(
            f"fill {rows_made} skill levels ({len(user_ids)} people × {RATED_PER_TEACHER})",
            fill_seconds,
            "s",
        )
    ]

    viewers = rng.sample(user_ids, min(50, len(user_ids)))
    by_key = {s.key: s for s in skills}
    common_keys = [
        "assessment.formative",
        "literacy.comprehension",
        "inclusion.npf",
        "digital.programming_block",
        "language.sva",
    ]
    queries = iter(range(10**9))

    def help_by_skill() -> None:
        i = next(queries)
        viewer = User.objects.get(pk=viewers[i % len(viewers)])
        selectors.who_can_help(viewer=viewer, skill=by_key[common_keys[i % len(common_keys)]])

    def help_by_text() -> None:
        i = next(queries)
        viewer = User.objects.get(pk=viewers[i % len(viewers)])
        selectors.who_can_help(viewer=viewer, text=["bedöm", "läs", "program", "NPF"][i % 4])

    repeat = 20 if ctx.quick else 100
    for label, fn in (("by skill", help_by_skill), ("by free text", help_by_text)):
        stats = ctx.timeit(fn, repeat=repeat)
        out.append(
            row(
                f"who can help {label}: p95 ({len(user_ids)} teachers, {schools} schools)",
                stats["p95"],
                "ms",
                target="< 50 ms",
                ok=stats["p95"] < 50,
                note=f"p50 {stats['p50']:.1f} ms, {ctx.database}",
            )
        )

    # The owner's coverage, end to end: the selector the page uses (5 queries: schools,
    # networks, skills, focus links, and the GROUP BY over the members' level rows) plus the
    # counting in Python. Several runs: one run on a shared machine says little.
    runs = 2 if ctx.quick else 5
    stats = ctx.timeit(lambda: selectors.owner_coverage(owner=owner), repeat=runs, warmup=1)
    data = selectors.owner_coverage(owner=owner)
    vulnerable = sum(r.counts.vulnerable for r in data.schools)
    gaps = sum(r.counts.gap for r in data.schools)
    whole = stats["p50"] / 1000
    out.append(
        row(
            f"single-holder analysis of one owner: {data.school_count} schools × "
            f"{data.skill_count} skills, end to end (owner_coverage: database read + counts)",
            whole,
            "s",
            target="< 2 s",
            ok=whole < 2,
            note=(
                f"median of {runs}, min {stats['min'] / 1000:.2f} s,"
                f" max {stats['max'] / 1000:.2f} s;"
                f" {rows_made} level rows, {focus_links} focus links; {vulnerable} vulnerable"
                f" and {gaps} gap cells"
            ),
        )
    )
    page = Client(HTTP_HOST="127.0.0.1")
    page.force_login(staff)
    url = reverse("competence:owner_coverage", args=[owner.pk])
    response = page.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    page_stats = ctx.timeit(lambda: page.get(url), repeat=2 if ctx.quick else 3, warmup=0)
    out.append(
        row(
            f"owner coverage page as the development staff ({data.school_count} schools, "
            "HTTP in-process, rendering included)",
            page_stats["p50"] / 1000,
            "s",
            note=f"median of {page_stats['n']}, {len(response.content) // 1024} KiB of HTML",
        )
    )

    entries = [
        risk.LevelEntry(*r)
        for r in SkillLevel.objects.filter(user__memberships__school_id__in=school_ids).values_list(
            "user__memberships__school_id",
            "user_id",
            "skill_id",
            "level",
            "willing_to_share",
            "want_to_learn",
        )
    ]
    started = time.perf_counter()
    risk.analyse(schools=school_ids, skills=skill_ids, levels=entries)
    pure = time.perf_counter() - started
    out.append(
        row(
            f"single-holder analysis, pure function only ({len(entries)} level rows in memory)",
            pure,
            "s",
            target="< 2 s",
            ok=pure < 2,
            note=f"the end-to-end selector above takes {whole / pure:.2f}× this",
        )
    )
    return out

"""Competence: "who can help" over 50,000 teachers in 1,000 schools, and the single-holder
analysis of 1,000 schools (the whole seeded installation: more than one owner's worth)."""

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


def run(ctx: BenchContext) -> list[dict]:
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

    school_ids = list(
        Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).values_list("pk", flat=True)
    )
    started = time.perf_counter()
    report = selectors.risk_report(school_ids=school_ids, skill_ids=skill_ids)
    whole = time.perf_counter() - started
    vulnerable = len(report.by_coverage(risk.Coverage.VULNERABLE))
    out.append(
        row(
            f"single-holder analysis, {len(school_ids)} schools × {len(skill_ids)} skills "
            "(query + analysis)",
            whole,
            "s",
            target="< 2 s",
            ok=whole < 2,
            note=f"{len(report.risks)} cells, {vulnerable} vulnerable, {len(report.pairs)} pairs",
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
            f"single-holder analysis, pure function only ({len(entries)} level rows)",
            pure,
            "s",
            target="< 2 s",
            ok=pure < 2,
        )
    )
    return out

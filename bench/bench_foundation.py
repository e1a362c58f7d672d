"""Foundation: seed time, and the home and people pages against the bare view under load."""

from bench.common import BenchContext, row, throughput_ratio

SCHOOLS, TEACHERS = 1000, 50


def run(ctx: BenchContext) -> list[dict]:
    schools, teachers = (20, 20) if ctx.quick else (SCHOOLS, TEACHERS)
    result = ctx.seed_people(schools, teachers)
    rows = [
        row(
            f"seed {schools} schools × {teachers} teachers",
            result.seconds,
            "s",
            target="< 120 s",
            ok=result.seconds < 120,
            note=f"{result.people} people",
        ),
    ]
    from kollegium.organisations.models import Membership, Role

    leader = (
        Membership.objects.filter(role=Role.LEADER)
        .select_related("user", "school")
        .order_by("school_id")
        .last()
    )
    people_path = f"/school/{leader.school_id}/people/"
    seconds = 3 if ctx.quick else 6
    pages = ctx.http_load(
        ["/bench/bare", "/", people_path],
        email=leader.user.email,
        anonymous=("/bench/bare",),
        seconds=seconds,
        rounds=1 if ctx.quick else 3,
    )
    bare = pages["/bench/bare"]
    rows.append(row("bare view throughput", bare["rps"], "rps"))
    rows.append(
        row("bare view p50 / p95", bare["p50_ms"], "ms", note=f"p95 {bare['p95_ms']:.1f} ms")
    )
    for label, path in (("home page", "/"), ("school people page", people_path)):
        stats = pages[path]
        rows.append(
            row(f"{label} throughput", stats["rps"], "rps", note=f"errors {stats['errors']}")
        )
        rows.append(row(f"{label} p50", stats["p50_ms"], "ms"))
        rows.append(row(f"{label} p95", stats["p95_ms"], "ms"))
        rows.append(
            row(f"{label} / bare view", throughput_ratio(pages, path, "/bench/bare"), "ratio")
        )
    return rows

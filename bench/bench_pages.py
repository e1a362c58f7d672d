"""Every signed-in GET page, rendered fresh, against the bare view (issue 10).

1,000 schools × 50 teachers are seeded, then the demo's two schools with every app's content
(groups, meetings, library items, questions, observations, timetables), and School A is
staffed up to 50 people. Every URL pattern from the resolver is filled with ids of School A's
rows (kollegium/core/testing/pages.py) and opened as a teacher (Bob), a facilitator (Carol)
and a leader (Alice): each page's SQL query count in-process, then its throughput under wrk in
one gunicorn server with the home page rendered on every visit (HOME_CACHE=off), as a ratio to
the bare view measured in the same server just before and after it, signed in as the same
persona (the same middleware and signed-in statement, no view work); the ratio to the
anonymous bare view is in each row's note. Patterns that are not
pages for that person (POST only, a redirect, nothing to fill) get a row saying so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any

from bench.common import ROOT, WRK_REPORT, BenchContext, _free_port, row
from kollegium.core.testing.pages import PERSONAS

SCHOOLS, TEACHERS = 1000, 50
TARGETS = {"core:home": 0.30, "organisations:people": 0.25}
DEFAULT_TARGET = 0.20
BARE = "/bench/bare"
# BENCH_PAGES="core:,organisations:,account" measures only the URL names starting so (one
# part's pages, when the whole walk would not fit); unset: every page.
ONLY = tuple(p for p in os.environ.get("BENCH_PAGES", "").split(",") if p)
# The anonymous bare view is measured after every this many pages (the signed-in one after each).
ANONYMOUS_EVERY = 4


def target_for(name: str) -> float:
    return TARGETS.get(name, DEFAULT_TARGET)


def prepare(ctx: BenchContext, *, schools: int, teachers: int) -> dict[str, str]:
    """Seeds the installation and the demo schools; returns raw tokens by url name."""
    from kollegium.core.testing.pages import load_demo_world, staff_up
    from kollegium.organisations.models import Organisation

    ctx.seed_people(schools, teachers)
    tokens = load_demo_world()
    staff_up(Organisation.objects.get(name="Björkskolan", kind="school"), teachers)
    analyze()
    return tokens


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would have by now."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def discover(tokens: dict[str, str]) -> list[Any]:
    """Every pattern for every persona, filled and opened in-process, with its query count."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kollegium.accounts.models import User
    from kollegium.core.homepage import CACHE_ALIAS
    from kollegium.core.testing.pages import OWNER_STAFF, Filler, fill, patterns
    from kollegium.organisations.models import Organisation

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the in-process client
    school = Organisation.objects.get(name="Björkskolan", kind="school")
    found: list[Any] = []
    opened: set[str] = set()
    for persona, email in [*PERSONAS, OWNER_STAFF]:
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        filler = Filler(user, school, tokens)

        def get(path: str, client: Client = client) -> Any:
            caches[CACHE_ALIAS].clear()  # rendered, never the kept home page
            return client.get(path)

        for pattern in patterns():
            if ONLY and not (pattern.name or "").startswith(ONLY):
                continue
            if (persona, email) == OWNER_STAFF and pattern.name in opened:
                continue  # the owner's staff only for what no school persona opens
            page = fill(pattern, persona, filler, get)
            page.queries = None  # type: ignore[attr-defined]
            if page.outcome in {"page", "post-only"}:
                opened.add(pattern.name)
            if page.outcome == "page" and page.path is not None:
                get(page.path)  # once more, so first-visit work (a version row) is done
                caches[CACHE_ALIAS].clear()
                with CaptureQueriesContext(connection) as captured:
                    client.get(page.path)
                page.queries = len(captured.captured_queries)  # type: ignore[attr-defined]
                page.cpu = cpu_ratio(client, page.path, get)  # type: ignore[attr-defined]
            page.email = email  # type: ignore[attr-defined]
            found.append(page)
    return found


# In-process CPU per request: best of BATCHES batches (the least disturbed by the other
# processes on the machine), PAGE_REQUESTS requests of the page and BARE_REQUESTS of the bare
# view in a batch.
BATCHES, PAGE_REQUESTS, BARE_REQUESTS = 3, 5, 20


def cpu_ratio(client: Any, path: str, get: Any) -> dict[str, float]:
    """The page's and the signed-in bare view's CPU and wall time per request in this process,
    measured back to back, and their ratios (bare over page: comparable with the throughput
    ratio, and steady when the machine's load swamps wall time).

    Through Django's test client: the whole middleware stack and the same session as the page,
    no HTTP server or socket. The process's CPU (`time.process_time`) holds all of the page's
    Python and, on SQLite, the database's work; PostgreSQL's work is in its own process, so on
    PostgreSQL the wall-time ratio is given too."""

    def best(fn: Any, requests: int) -> tuple[float, float]:
        cpu = wall = float("inf")
        for _ in range(BATCHES):
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            for _ in range(requests):
                fn()
            cpu = min(cpu, (time.process_time() - started_cpu) / requests)
            wall = min(wall, (time.perf_counter() - started_wall) / requests)
        return cpu * 1000, wall * 1000

    bare_cpu, bare_wall = best(lambda: client.get(BARE), BARE_REQUESTS)
    page_cpu, page_wall = best(lambda: get(path), PAGE_REQUESTS)
    after_cpu, after_wall = best(lambda: client.get(BARE), BARE_REQUESTS)
    bare_cpu, bare_wall = (bare_cpu + after_cpu) / 2, (bare_wall + after_wall) / 2
    return {
        "page_cpu_ms": page_cpu,
        "bare_cpu_ms": bare_cpu,
        "ratio": bare_cpu / page_cpu if page_cpu else 0.0,
        "page_wall_ms": page_wall,
        "bare_wall_ms": bare_wall,
        "wall_ratio": bare_wall / page_wall if page_wall else 0.0,
    }


class Server:
    """`manage.py serve` (gunicorn, as deployed) on 127.0.0.1, rendering the home page fresh."""

    def __init__(self, ctx: BenchContext, workers: int = 2) -> None:
        from django.db import connections

        connections.close_all()
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": ctx.database_url,
            "KOLLEGIUM_BENCH": "1",
            "HOME_CACHE": "off",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
        }
        command = [sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(
            [*command, "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_REPORT)
        self.script = script.name
        deadline = time.time() + 240  # two workers loading the app on a loaded machine took 56 s
        while True:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if time.time() > deadline or self.process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)

    def prepare(self, path: str, cookie: str) -> list[str]:
        """One request (the page must answer 200 itself), and the wrk command with the cookies
        it set sent back, as a browser would."""
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie})  # noqa: S310
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            if response.status != 200 or response.url != self.base + path:
                raise RuntimeError(f"{path} answered {response.status} at {response.url}")
            kept = [h.split(";", 1)[0] for h in response.headers.get_all("Set-Cookie") or []]
        sent = "; ".join(c for c in [cookie, *kept] if c)
        command = ["wrk", "-t", "2", "-c", "8", "-s", self.script]
        if sent:
            command += ["-H", f"Cookie: {sent}"]
        return [*command, self.base + path]

    @staticmethod
    def load(command: list[str], seconds: int) -> dict[str, Any]:
        out = subprocess.run(
            [*command, "-d", f"{max(1, seconds)}s"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        report = json.loads(out.strip().splitlines()[-1])
        report["rps"] = report["requests"] / report["seconds"]
        return report

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def measure(ctx: BenchContext, pages: list[Any], *, seconds: int, bare_seconds: int):
    """Each page under load for `seconds`, with the bare view for `bare_seconds` between every
    two pages: a page's ratio is its throughput over the mean of the bare view's measured just
    before and just after it, so the machine's load drifting (2 cores shared) cancels out.

    The bare view is requested with the same persona's session cookie as the page: the same
    middleware, the same one signed-in statement (session, person, home version, unread
    count), no view work. The anonymous bare view (no session, no statement) is measured too,
    every few pages, and each page's ratio to it is reported beside the target's."""
    cookies = {email: ctx.session_cookie_for(email) for email in {page.email for page in pages}}
    server = Server(ctx)
    try:
        anonymous = server.prepare(BARE, "")
        signed = {email: server.prepare(BARE, cookie) for email, cookie in cookies.items()}
        server.load(anonymous, 2)  # warm every worker up
        bares: dict[str, list[dict[str, Any]]] = {"anonymous": [server.load(anonymous, 1)]}
        last: dict[str, dict[str, Any]] = {}
        for number, page in enumerate(pages):
            page.load, page.load_error = None, ""
            try:
                command = server.prepare(page.path, cookies[page.email])
                if page.email not in last:
                    last[page.email] = server.load(signed[page.email], bare_seconds)
                    bares.setdefault(page.email, []).append(last[page.email])
                page.bare_before = last[page.email]
                page.anonymous_before = bares["anonymous"][-1]
                page.load = server.load(command, seconds)
            except (urllib.error.URLError, RuntimeError, subprocess.CalledProcessError) as error:
                page.load_error = str(error)[:200]
                continue
            last[page.email] = server.load(signed[page.email], bare_seconds)
            bares[page.email].append(last[page.email])
            page.bare_after = last[page.email]
            if number % ANONYMOUS_EVERY == ANONYMOUS_EVERY - 1 or number == len(pages) - 1:
                bares["anonymous"].append(server.load(anonymous, bare_seconds))
            page.anonymous_after = bares["anonymous"][-1]
    finally:
        server.close()
    return bares


def run(ctx: BenchContext) -> list[dict]:
    schools, teachers = (20, 20) if ctx.quick else (SCHOOLS, TEACHERS)
    started = time.time()
    tokens = prepare(ctx, schools=schools, teachers=teachers)
    seeded = time.time() - started
    found = discover(tokens)
    pages = [p for p in found if p.outcome == "page"]
    if ctx.quick:  # a smoke run: one persona's pages under load, the others' query counts
        pages = [p for p in pages if p.persona == PERSONAS[0][0]]
    load_before = os.getloadavg()
    bares = measure(ctx, pages, seconds=1 if ctx.quick else 2, bare_seconds=1)
    load_after = os.getloadavg()
    rows = []
    for who, measured in sorted(bares.items()):
        rps = sorted(b["rps"] for b in measured)
        label = "anonymous" if who == "anonymous" else f"signed in as {who.split('@')[0]}"
        rows.append(
            row(
                f"bare view, {label} (median rps)",
                rps[len(rps) // 2],
                "rps",
                note=(
                    f"{len(rps)} measurements, {rps[0]:.0f}–{rps[-1]:.0f} rps; "
                    f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
                    f"seeded in {seeded:.0f} s"
                ),
            )
        )
    for page in found:
        label = f"{page.pattern.name} [{page.persona}]"
        if page.outcome != "page":
            rows.append(
                row(
                    f"{label} {page.outcome}",
                    page.status or 0,
                    "status",
                    note=f"{page.path or page.pattern.route} {page.note}".strip(),
                )
            )
            continue
        if not hasattr(page, "load"):
            rows.append(
                row(
                    f"{label} {page.queries}q",
                    page.queries,
                    "queries",
                    note=f"{page.path}: not measured under load (--quick); {cpu_note(page.cpu)}",
                )
            )
            rows[-1]["cpu"] = page.cpu
            continue
        if page.load is None:
            rows.append(row(f"{label} load failed", 0, "ratio", ok=False, note=page.load_error))
            rows[-1]["cpu"] = page.cpu
            continue
        bare = (page.bare_before["rps"] + page.bare_after["rps"]) / 2
        anonymous = (page.anonymous_before["rps"] + page.anonymous_after["rps"]) / 2
        if not bare or not anonymous:
            # The machine's load can starve a 1 s measurement of the bare view to no request
            # at all (seen at load average 20): no ratio for this page, the run goes on.
            note = f"{page.path}: bare view {bare:.0f} rps, anonymous {anonymous:.0f} rps"
            rows.append(row(f"{label} load failed", 0, "ratio", ok=False, note=note))
            rows[-1]["cpu"] = page.cpu
            continue
        ratio = page.load["rps"] / bare
        target = target_for(page.pattern.name)
        rows.append(
            row(
                f"{label} {page.queries}q",
                ratio,
                "ratio",
                target=f">= {target:.2f}",
                ok=ratio >= target and page.load["errors"] == 0,
                note=(
                    f"{page.path}: {page.queries} queries, {page.load['rps']:.1f} rps, "
                    f"bare signed in {bare:.0f} rps, anonymous {anonymous:.0f} rps "
                    f"(ratio to anonymous {page.load['rps'] / anonymous:.3f}), "
                    f"p50 {page.load['p50_ms']:.1f} ms, p95 {page.load['p95_ms']:.1f} ms, "
                    f"errors {page.load['errors']}, {page.content_type}; {cpu_note(page.cpu)}"
                ),
            )
        )
        rows[-1]["cpu"] = page.cpu
    return rows


def cpu_note(cpu: dict[str, float]) -> str:
    return (
        f"in-process CPU {cpu['page_cpu_ms']:.2f} ms, bare {cpu['bare_cpu_ms']:.2f} ms "
        f"(CPU ratio {cpu['ratio']:.3f}); wall {cpu['page_wall_ms']:.2f} ms, "
        f"bare {cpu['bare_wall_ms']:.2f} ms (wall ratio {cpu['wall_ratio']:.3f})"
    )

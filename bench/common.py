"""What every benchmark module gets: a fresh database, the seeder, timers and a load generator.

Load tests only ever target the app served by this process on 127.0.0.1.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, ' ..
    '"errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
"""


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "p50": pick(0.50),
        "p95": pick(0.95),
        "mean": statistics.fmean(ordered),
        "min": ordered[0],
        "max": ordered[-1],
        "n": len(ordered),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class BenchContext:
    database: str  # "sqlite" or "postgresql"
    database_url: str
    quick: bool = False
    _seeded: dict[tuple[int, int], Any] = field(default_factory=dict)

    def seed_people(self, schools: int, teachers_per_school: int, seed_value: int = 1) -> Any:
        """Runs the foundation's bulk seeder once per size in this database."""
        key = (schools, teachers_per_school)
        if key not in self._seeded:
            from kollegium.organisations.seeding import seed

            self._seeded[key] = seed(
                schools=schools, teachers_per_school=teachers_per_school, seed_value=seed_value
            )
        return self._seeded[key]

    def timeit(
        self, fn: Callable[[], Any], *, repeat: int = 50, warmup: int = 3
    ) -> dict[str, float]:
        for _ in range(warmup):
            fn()
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - started) * 1000)
        return percentiles(samples)

    def session_cookie_for(self, email: str) -> str:
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

        from kollegium.accounts.models import User
        from kollegium.accounts.sessions import SessionStore

        user = User.objects.get(email=email)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"sessionid={session.session_key}"

    def http_load(
        self,
        paths: list[str],
        *,
        email: str | None = None,
        anonymous: tuple[str, ...] = (),
        seconds: int = 10,
        rounds: int = 1,
        connections: int = 8,
        workers: int = 2,
    ) -> dict[str, dict[str, Any]]:
        """Serves the app with `manage.py serve` (gunicorn) on 127.0.0.1 and drives each path
        with wrk, signed in as `email` except for the `anonymous` paths.

        Each path is warmed up first. With `rounds` > 1 the paths take turns that many times
        in the same server, so that a ratio between two paths is not skewed by the machine
        drifting between two runs; each path's report is then its median round, with every
        round's throughput in `rounds_rps`."""
        from django.db import connections as db_connections

        db_connections.close_all()
        cookie = self.session_cookie_for(email) if email else ""
        db_connections.close_all()
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "KOLLEGIUM_BENCH": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
        }
        # The product's own server command (gunicorn, its workers and threads), so the bench
        # measures what `make run` and a deployment serve.
        server = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        results: dict[str, dict[str, float]] = {}
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.time() + 60
            while True:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                        if response.status == 200:
                            break
                except OSError:
                    if time.time() > deadline or server.poll() is not None:
                        raise RuntimeError("gunicorn did not start") from None
                    time.sleep(0.3)
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(WRK_REPORT)
            commands = {}
            for path in paths:
                # One request first, so the page is known to work (and not a redirect); then
                # send back the cookies it set (the CSRF cookie), as a browser would.
                sent = "" if path in anonymous else cookie
                request = urllib.request.Request(base + path, headers={"Cookie": sent})  # noqa: S310
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    if response.status != 200 or response.url != base + path:
                        raise RuntimeError(f"{path} answered {response.status} at {response.url}")
                    kept = [
                        header.split(";", 1)[0]
                        for header in response.headers.get_all("Set-Cookie") or []
                    ]
                path_cookie = "; ".join([c for c in [sent, *kept] if c])
                command = ["wrk", "-t", "2", "-c", str(connections), "-s", script.name]
                if path_cookie:
                    command += ["-H", f"Cookie: {path_cookie}"]
                commands[path] = [*command, base + path]
                # Warm every worker and thread up (connections, caches) before measuring.
                subprocess.run([*commands[path], "-d", "2s"], capture_output=True, check=True)
            measured: dict[str, list[dict[str, Any]]] = {path: [] for path in paths}
            for _round in range(rounds):
                for path in paths:
                    command = [*commands[path], "-d", f"{seconds}s"]
                    output = subprocess.run(
                        command, capture_output=True, text=True, check=True
                    ).stdout
                    report = json.loads(output.strip().splitlines()[-1])
                    report["rps"] = report["requests"] / report["seconds"]
                    measured[path].append(report)
            for path, reports in measured.items():
                ordered = sorted(reports, key=lambda r: r["rps"])
                results[path] = {
                    **ordered[len(ordered) // 2],
                    "rounds_rps": [r["rps"] for r in reports],
                }
        finally:
            server.terminate()
            server.wait(timeout=20)
        return results


def throughput_ratio(results: dict[str, dict[str, Any]], page: str, bare: str) -> float:
    """The page's throughput over the bare view's: the median of the rounds' ratios."""
    ratios = sorted(
        p / b for p, b in zip(results[page]["rounds_rps"], results[bare]["rounds_rps"], strict=True)
    )
    return ratios[len(ratios) // 2]


def row(
    name: str, value: float, unit: str, *, target: str = "", ok: bool | None = None, note: str = ""
) -> dict[str, Any]:
    return {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "target": target,
        "ok": ok,
        "note": note,
    }

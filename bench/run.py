"""`make bench`: runs every bench/bench_*.py on SQLite and PostgreSQL, prints a table and
writes bench/results/latest.json.

    python -m bench.run [--only foundation,competence] [--db sqlite|postgresql|both] [--quick]
"""

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def modules() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in (ROOT / "bench").glob("bench_*.py"))


def fresh_database(name: str, database: str) -> str:
    if database == "sqlite":
        path = ROOT / "var" / "bench" / f"{name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    db_name = f"kollegium_bench_{name}"
    admin = PG_ADMIN_URL.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{db_name}"


def run_child(name: str, database: str, quick: bool) -> list[dict]:
    """Runs one module on one database, inside this (child) process."""
    os.environ["DATABASE_URL"] = fresh_database(name, database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["KOLLEGIUM_BENCH"] = "1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from bench.common import BenchContext

    ctx = BenchContext(database=database, database_url=os.environ["DATABASE_URL"], quick=quick)
    module = importlib.import_module(f"bench.bench_{name}")
    rows = module.run(ctx)
    for r in rows:
        r["module"], r["database"] = name, database
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="")
    parser.add_argument("--db", default="both", choices=["sqlite", "postgresql", "both"])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", default="")
    args = parser.parse_args()

    if args.child:
        rows = run_child(args.child, args.db, args.quick)
        print("BENCH-ROWS " + json.dumps(rows))
        return 0

    names = [n for n in args.only.split(",") if n] or modules()
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    all_rows: list[dict] = []
    failures: list[str] = []
    for name in names:
        for database in databases:
            started = time.time()
            print(f"… {name} on {database}", flush=True)
            command = [sys.executable, "-m", "bench.run", "--child", name, "--db", database]
            if args.quick:
                command.append("--quick")
            result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            lines = [ln for ln in result.stdout.splitlines() if ln.startswith("BENCH-ROWS ")]
            if result.returncode != 0 or not lines:
                failures.append(f"{name}/{database}: {result.stderr.strip()[-2000:]}")
                print(f"  failed after {time.time() - started:.0f} s", flush=True)
                continue
            rows = json.loads(lines[-1][len("BENCH-ROWS ") :])
            all_rows.extend(rows)
            print(f"  done in {time.time() - started:.0f} s", flush=True)

    print()
    header = f"{'module':<13}{'db':<11}{'measure':<58}{'value':>12} {'unit':<6}{'target':<14}ok"
    print(header)
    print("-" * len(header))
    for r in all_rows:
        ok = "" if r["ok"] is None else ("yes" if r["ok"] else "NO")
        print(
            f"{r['module']:<13}{r['database']:<11}{r['name'][:57]:<58}{r['value']:>12.2f} "
            f"{r['unit']:<6}{r['target']:<14}{ok}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "quick": args.quick,
        "rows": all_rows,
        "failures": failures,
    }
    previous = RESULTS / "latest.json"
    if args.only and previous.exists():
        # A partial run replaces only its own modules' rows and keeps everyone else's.
        kept = json.loads(previous.read_text())
        ran = {(name, database) for name in names for database in databases}
        report["rows"] = [
            r for r in kept.get("rows", []) if (r["module"], r["database"]) not in ran
        ] + all_rows
        report["failures"] = kept.get("failures", []) + failures
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nWrote {RESULTS / 'latest.json'}")
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

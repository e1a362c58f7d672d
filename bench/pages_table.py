"""The pages bench's rows as Markdown tables (docs/notes/issue-10-pages.md).

`.venv/bin/python -m bench.pages_table FILE...`: each FILE is either `bench/results/latest.json`
or the saved output of a child run (`python -m bench.run --child pages --db sqlite > FILE`, whose
`BENCH-ROWS` line holds the rows). Prints two tables with one row per page: the throughput ratio
under wrk (T = teacher, F = facilitator, L = leader or, where only they open the page, the
owner's staff) and the in-process CPU ratio, each per database, with the query counts.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

PERSONAS = {"teacher": 0, "facilitator": 1, "leader": 2, "owner staff": 2}
NAME = re.compile(r"^(?P<page>\S+) \[(?P<persona>[^\]]+)\] (?P<queries>\d+)q$")
DATABASES = ("sqlite", "postgresql")
# As in bench/bench_pages.py (rows measured for their queries only carry no target).
TARGETS = {"core:home": ">= 0.30", "organisations:people": ">= 0.25"}


def load(paths: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths:
        text = Path(path).read_text()
        if text.lstrip().startswith("{"):
            rows += [r for r in json.loads(text)["rows"] if r.get("module") == "pages"]
            continue
        for line in text.splitlines():
            if line.startswith("BENCH-ROWS "):
                found = json.loads(line[len("BENCH-ROWS ") :])
                database = "postgresql" if "postgres" in path else "sqlite"
                for r in found:
                    r.setdefault("database", database)
                rows += found
    return rows


def tables(rows: list[dict[str, Any]]) -> str:
    pages: dict[str, dict[str, Any]] = {}
    for r in rows:
        match = NAME.match(r["name"])
        if match is None or "cpu" not in r:
            continue
        page = pages.setdefault(
            match["page"], {"target": TARGETS.get(match["page"], ">= 0.20"), "cells": {}}
        )
        page.setdefault("queries", ["–"] * 3)
        column = PERSONAS[match["persona"]]
        page["cells"][(r["database"], column)] = r
        page["queries"][column] = match["queries"]

    def cell(r: dict[str, Any] | None, value: float | None, target: float) -> str:
        if r is None or value is None:
            return "–"
        return f"{value:.2f}" + ("" if value >= target else " ✗")

    heads = [f"{d} {p}" for d in DATABASES for p in "TFL"]
    out = []
    for title, pick in (
        (
            "Throughput under wrk over the signed-in bare view's",
            lambda r: r["value"] if r["unit"] == "ratio" else None,
        ),
        ("In-process CPU: the signed-in bare view's over the page's", lambda r: r["cpu"]["ratio"]),
    ):
        out.append(f"{title}:\n")
        out.append("| page | target | " + " | ".join(heads) + " | queries (T/F/L) |")
        out.append("|---" * (len(heads) + 3) + "|")
        met = total = 0
        for name in sorted(pages):
            page = pages[name]
            target = float(page["target"].split()[-1])
            cells = []
            for database in DATABASES:
                for column in range(3):
                    r = page["cells"].get((database, column))
                    value = None if r is None else pick(r)
                    if value is not None:
                        total += 1
                        met += value >= target
                    cells.append(cell(r, value, target))
            queries = "/".join(page["queries"])
            out.append(f"| {name} | {page['target']} | " + " | ".join(cells) + f" | {queries} |")
        out.append(f"\n{met} of {total} measurements meet their target.\n")
    return "\n".join(out)


if __name__ == "__main__":
    print(tables(load(sys.argv[1:])))

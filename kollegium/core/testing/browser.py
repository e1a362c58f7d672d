"""Playwright helpers: Debian's chromium, signing in, and axe-core on every page."""

import json
import os
import shutil
from pathlib import Path
from typing import Any

AXE_PATH = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError(
            "Debian's chromium is missing: run `make setup` (apt-get install chromium)."
        )
    return path


def check_accessibility(page: Any, *, context: str = "") -> None:
    """Runs axe-core on the page as it is now and fails on any WCAG 2.1 A/AA violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') allows it.
        page.evaluate(AXE_PATH.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    violations = result["violations"]
    if violations:
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
                "summary": [n.get("failureSummary", "") for n in v["nodes"]][:2],
            }
            for v in violations
        ]
        raise AssertionError(
            f"axe-core found WCAG violations on {page.url} {context}:\n"
            + json.dumps(summary, indent=2, ensure_ascii=False)
        )


def sign_in(page: Any, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-postadress").or_(page.get_by_label("Email address")).fill(email)
    page.get_by_label("Lösenord", exact=True).or_(page.get_by_label("Password", exact=True)).fill(
        password
    )
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()

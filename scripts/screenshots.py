"""The README's screenshots, taken with Playwright from the demo (`make run`, then
`.venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]`). Writes docs/screenshots/.

Each shot signs in as a demo person, opens a page at 1280 px (or a 390 px phone) and checks
it with axe-core first, so a screenshot never shows a page with an accessibility fault.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kollegium.core.testing.browser import (  # noqa: E402
    CHROMIUM_ARGS,
    check_accessibility,
    chromium_path,
    sign_in,
)

PASSWORD = "kollegium-demo"  # noqa: S105 — the demo's printed password
OUT = ROOT / "docs" / "screenshots"

# (file, person, path, width, optional path that must exist for the shot to be taken)
SHOTS = [
    ("leader-home.png", "alice@bjorkskolan.example", "/", 1280, None),
    ("profile-quick-start.png", "erik@bjorkskolan.example", "/competence/quick/", 1280, None),
    ("digest-settings.png", "bob@bjorkskolan.example", "/notifications/settings/", 1280, True),
    ("digest-preview.png", "bob@bjorkskolan.example", "/notifications/digest/preview/", 1280, True),
]


def main(base: str) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for name, email, path, width, optional in SHOTS:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
            page = context.new_page()
            sign_in(page, base, email, PASSWORD)
            response = page.goto(base + path)
            if optional and (response is None or response.status != 200):
                print(f"skipped {name}: {path} answers {response.status if response else '-'}")
                context.close()
                continue
            check_accessibility(page, context=name)
            page.screenshot(path=str(OUT / name), full_page=False)
            print(f"wrote docs/screenshots/{name}")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))

"""Fails when a Swedish translation is missing or fuzzy.

For every app with a locale/sv catalogue, makemessages runs on a temporary copy of the app, so
strings added to the code but not yet to the catalogue count as missing, and the working tree
is left untouched. Then every entry must have a non-empty msgstr and no fuzzy flag.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APPS_DIR = ROOT / "kollegium"


def problems_in(po_file: Path, label: str) -> list[str]:
    catalogue = polib.pofile(str(po_file))
    problems = []
    if catalogue.metadata_is_fuzzy:
        problems.append(f"{label}: the catalogue header is marked fuzzy")
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{label}: fuzzy: {entry.msgid[:70]!r}")
        elif not entry.translated():
            problems.append(f"{label}: missing: {entry.msgid[:70]!r}")
    return problems


def main() -> int:
    problems: list[str] = []
    catalogues = sorted(APPS_DIR.glob("*/locale/sv/LC_MESSAGES/django.po"))
    apps_with_templates = {
        p.parent.name for p in APPS_DIR.glob("*/templates") if any(p.rglob("*.html"))
    }
    apps_with_catalogue = {po.parents[3].name for po in catalogues}
    for app in sorted(apps_with_templates - apps_with_catalogue):
        problems.append(f"kollegium/{app}: has templates but no locale/sv/LC_MESSAGES/django.po")
    for po in catalogues:
        app_dir = po.parents[3]
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / app_dir.name
            shutil.copytree(
                app_dir, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo", "data")
            )
            result = subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "makemessages",
                    "-l",
                    "sv",
                    "-e",
                    "html,txt,py",
                    "--no-obsolete",
                    "--no-location",
                ],
                cwd=copy,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                problems.append(f"{app_dir.name}: makemessages failed: {result.stderr.strip()}")
                continue
            label = str(po.relative_to(ROOT))
            problems.extend(problems_in(copy / "locale/sv/LC_MESSAGES/django.po", label))
    if problems:
        print("Swedish translations are incomplete:")
        print("\n".join(f"  {p}" for p in problems))
        print(
            f"{len(problems)} problem(s). Fill them in the app's locale/sv/LC_MESSAGES/django.po."
        )
        return 1
    print(f"Swedish translations complete in {len(catalogues)} catalogues.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Demo library: real, usable items in Swedish and English and School A's "start here"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kollegium.library import services
from kollegium.organisations.models import Stage, Subject

DATA = Path(__file__).resolve().parent / "data" / "demo.yaml"


def load_demo(demo: Any) -> None:
    data = yaml.safe_load(DATA.read_text("utf-8"))
    subjects = {s.code: s for s in Subject.objects.all()}
    stages = {s.code: s for s in Stage.objects.all()}
    items: dict[str, Any] = {}
    for entry in data["items"]:
        author = demo.people[entry["author"]]
        school = demo.school_b if entry["author"] in {"dave", "eva"} else demo.school_a
        items[entry["key"]] = services.item_create(
            actor=author,
            school=school,
            title=entry["title"],
            body=entry["body"],
            item_type=entry["type"],
            language=entry["language"],
            visibility=entry["visibility"],
            skills=entry.get("skills") or (),
            subjects=[subjects[c] for c in entry.get("subjects") or () if c in subjects],
            stages=[stages[c] for c in entry.get("stages") or () if c in stages],
        )
    for entry in data["collections"]:
        services.collection_save(
            actor=demo.people["alice"],
            school=demo.school_a,
            title=entry["title"],
            intro=entry["intro"],
            is_start_here=bool(entry.get("start_here")),
            item_ids=[items[k].pk for k in entry["items"]],
        )

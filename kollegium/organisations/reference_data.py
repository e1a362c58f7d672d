"""Loads subjects and school stages from the data files (idempotent, keyed by code)."""

from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_reference_file(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        rows = yaml.safe_load(handle)
    for number, row in enumerate(rows, start=1):
        missing = {"code", "sv", "en"} - set(row)
        if missing:
            raise ValueError(f"{name}: entry {number} lacks {', '.join(sorted(missing))}")
    return rows


def load_reference_data(subject_model: Any, stage_model: Any) -> None:
    for model, filename in ((subject_model, "subjects.yaml"), (stage_model, "stages.yaml")):
        for order, row in enumerate(read_reference_file(filename)):
            model.objects.update_or_create(
                code=row["code"],
                defaults={"name_sv": row["sv"], "name_en": row["en"], "order": order},
            )

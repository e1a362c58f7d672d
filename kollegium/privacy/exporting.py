"""Making a person's export: a zip with a readable HTML summary and one JSON file per app.

Rows are read in chunks (``iterator``) and written straight into the zip on disk, so a very
large account takes as much memory as a small one; after each model the progress is stored
(its own short transaction) for the page that polls it.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from typing import IO, Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kollegium.core.registry import PersonalData, personal_data
from kollegium.privacy.erasing import person_rows

#: Rows per model shown in the HTML summary (the JSON files hold them all).
SUMMARY_ROWS = 50
CHUNK = 1000


@dataclass
class Section:
    label: str
    model: str
    fields: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    count: int = 0


def exported() -> list[PersonalData]:
    """The exported models, app by app."""
    return sorted((e for e in personal_data() if e.exported), key=lambda e: e.model)


def _rows(entry: PersonalData, person: Any) -> Iterable[Mapping[str, Any]]:
    if entry.export is not None:
        return entry.export(person)
    queryset = person_rows(entry, person)
    if any("__" in lookup or _is_many(entry, lookup) for lookup in entry.person_fields):
        queryset = queryset.distinct()
    return queryset.order_by("pk").values(*entry.export_fields).iterator(chunk_size=CHUNK)


def _is_many(entry: PersonalData, lookup: str) -> bool:
    model = apps.get_model(entry.model)
    try:
        return bool(model._meta.get_field(lookup).many_to_many)
    except Exception:  # "pk" and the like
        return False


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return translation.gettext("yes") if value else translation.gettext("no")
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


_ENCODER = DjangoJSONEncoder(ensure_ascii=False)


def _write_model(out: IO[bytes], rows: Iterable[Mapping[str, Any]], section: Section) -> None:
    """The rows as a JSON array, written a chunk at a time (one zip write per chunk)."""
    pending: list[str] = ["["]
    for row in rows:
        pending.append(("," if section.count else "") + "\n  " + _ENCODER.encode(row))
        if section.count < SUMMARY_ROWS:
            if not section.fields:
                section.fields = list(row)
            section.rows.append([_text(row.get(name)) for name in section.fields])
        section.count += 1
        if len(pending) >= CHUNK:
            out.write("".join(pending).encode())
            pending.clear()
    pending.append("\n]")
    out.write("".join(pending).encode())


def build(person: Any, progress: Callable[[int, int], None]) -> tuple[IO[bytes], list[Section]]:
    """The export of ``person`` as a temporary zip file (rewound), and its summary."""
    entries = exported()
    sections: list[Section] = []
    rows_written = 0
    archive = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the caller, who closes it)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for app_label, group in groupby(entries, key=lambda e: e.model.split(".")[0]):
            with zipped.open(f"{app_label}.json", "w") as out:
                out.write(b"{")
                for position, entry in enumerate(group):
                    model = apps.get_model(entry.model)
                    section = Section(label=str(model._meta.verbose_name_plural), model=entry.model)
                    if position:
                        out.write(b",")
                    out.write(f"\n{json.dumps(entry.model)}: ".encode())
                    _write_model(out, _rows(entry, person), section)
                    sections.append(section)
                    rows_written += section.count
                    progress(len(sections), rows_written)
                out.write(b"\n}\n")
        zipped.writestr(
            "index.html",
            render_to_string(
                "privacy/export_summary.html",
                {"person": person, "sections": sections, "made_at": timezone.now()},
            ),
        )
    archive.seek(0)
    return archive, sections


def chunks(stream: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    while block := stream.read(size):
        yield block

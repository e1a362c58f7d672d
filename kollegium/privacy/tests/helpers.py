"""Reading everything stored, for the erasure tests: every row of every table, every file."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from django.db import connection


def _text(value: object) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def database_dump() -> str:
    """Every row of every table (Django's and the search index's), as text."""
    parts = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor, include_views=False)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                parts.append(table + ": " + " | ".join(_text(v) for v in row))
    return "\n".join(parts)


def media_dump(root: str | Path) -> str:
    """Every file's path and content under the media folder, as text."""
    parts = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            parts.append(str(path))
            parts.append(path.read_bytes().decode("utf-8", "replace"))
            if zipfile.is_zipfile(path):  # an export: what is inside, not its compressed bytes
                with zipfile.ZipFile(path) as zipped:
                    for member in zipped.namelist():
                        parts.append(zipped.read(member).decode("utf-8", "replace"))
    return "\n".join(parts)

"""Reading timetables: iCalendar files, CSV files and subscription URLs.

The parsers turn input into :class:`ParsedEntry` occurrences (or raise :class:`ImportProblem`
with a line number and a reason); the services store them all or nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime


class ImportProblem(Exception):
    """The whole input is unusable: nothing may be imported. ``message`` is translated."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class ParsedEntry:
    start: datetime
    end: datetime
    title: str = ""
    subject: str = ""
    group_name: str = ""
    room: str = ""
    external_id: str = ""
    # The series an occurrence belongs to (its UID when it repeats, else its title, weekday and
    # time): a teacher's "lesson / not a lesson" correction is kept per series.
    series_key: str = ""
    categories: tuple[str, ...] = ()
    activity_type: str = ""  # SS 12000 activity type, when the exporter wrote one


@dataclass
class ParseResult:
    entries: list[ParsedEntry] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"line": int | None, "reason": str}
    warnings: list[dict] = field(default_factory=list)  # read, but worth checking

    def skip(self, line: int | None, reason: str) -> None:
        self.skipped.append({"line": line, "reason": reason})

    def warn(self, line: int | None, reason: str) -> None:
        self.warnings.append({"line": line, "reason": reason})


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM); Windows-1252 as a fallback for spreadsheets."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Reading a file makes some 100,000 short-lived containers (the calendar's components,
    properties and parameters), all freed by reference counting when it is read (a file
    leaves at most a handful of cycles). While they live they push the cyclic collector into
    full collections of the whole process, each slower than reading the file. So the
    collector waits while a file is read; what it would have found is collected later."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

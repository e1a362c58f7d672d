"""Differences between two versions of a text, as structured data (pure).

The template renders the result with ``<ins>`` and ``<del>`` (plus a visually hidden
"added"/"removed" label), so a change is conveyed by markup and text, not colour alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Op = Literal["equal", "insert", "delete"]
_WORD_RE = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


@dataclass(frozen=True)
class Line:
    """One line of the comparison: unchanged, added, removed, or changed within the line."""

    kind: Literal["same", "added", "removed", "changed"]
    segments: tuple[Segment, ...]
    old_number: int | None
    new_number: int | None


@dataclass(frozen=True)
class Diff:
    lines: tuple[Line, ...]
    added: int
    removed: int

    @property
    def is_empty(self) -> bool:
        return self.added == 0 and self.removed == 0


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level segments turning ``old`` into ``new`` (whitespace kept)."""
    a, b = _WORD_RE.findall(old), _WORD_RE.findall(new)
    out: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _push(out, "equal", "".join(a[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _push(out, "delete", "".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            _push(out, "insert", "".join(b[j1:j2]))
    return tuple(out)


def line_diff(old: str, new: str) -> Diff:
    """Line-level comparison; replaced lines paired up get a word-level diff."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[Line] = []
    added = removed = 0
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                seg = (Segment("equal", a[i1 + k]),)
                lines.append(Line("same", seg, i1 + k + 1, j1 + k + 1))
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            segs = word_diff(a[i1 + k], b[j1 + k])
            lines.append(Line("changed", segs, i1 + k + 1, j1 + k + 1))
            added += 1
            removed += 1
        for k in range(i1 + paired, i2):
            lines.append(Line("removed", (Segment("delete", a[k]),), k + 1, None))
            removed += 1
        for k in range(j1 + paired, j2):
            lines.append(Line("added", (Segment("insert", b[k]),), None, k + 1))
            added += 1
    return Diff(tuple(lines), added=added, removed=removed)


def _push(out: list[Segment], op: Op, text: str) -> None:
    if not text:
        return
    if out and out[-1].op == op:
        out[-1] = Segment(op, out[-1].text + text)
    else:
        out.append(Segment(op, text))

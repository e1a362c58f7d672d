"""Three-way merge of texts two people edited at the same time (pure: no Django).

Line-based, on the ``merge3`` library (the algorithm of Bazaar and of ``diff3``):
``base`` is the text a person started from, ``theirs`` what is saved now (someone else's
edit), ``mine`` what the person submits. Edits to different lines merge; edits to the same
or neighbouring lines are a conflict, which this module marks but never resolves.

The services that save shared texts (meeting minutes, library items) use it to never
overwrite a colleague's work silently: a clean merge is saved, a conflict is shown to the
person with both texts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import merge3

START = "<<<<<<<"
MIDDLE = "======="
END = ">>>>>>>"


@dataclass(frozen=True)
class Merge:
    """The result of merging one text.

    ``text`` is the merged text; where there are conflicts it holds both versions between
    marker lines (theirs first, then mine), for the person to edit.
    """

    text: str
    conflicts: int

    @property
    def clean(self) -> bool:
        return self.conflicts == 0


def normalise(text: str) -> str:
    """One line ending (browsers send CRLF from a textarea)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _lines(text: str) -> list[str]:
    text = normalise(text)
    if text and not text.endswith("\n"):
        # The last line gets its newline too, so appending after it is not a change to it.
        text += "\n"
    return text.splitlines(keepends=True)


def merge_texts(
    base: str, theirs: str, mine: str, *, theirs_label: str = "", mine_label: str = ""
) -> Merge:
    """Merge ``mine`` and ``theirs``, both edited from ``base``, line by line."""
    base_lines, their_lines, my_lines = _lines(base), _lines(theirs), _lines(mine)
    merger = merge3.Merge3(base_lines, their_lines, my_lines)
    out: list[str] = []
    conflicts = 0
    regions: Iterable[tuple[Any, ...]] = merger.merge_regions()
    for region in regions:
        kind = region[0]
        if kind == "unchanged":
            out.extend(base_lines[region[1] : region[2]])
        elif kind in ("same", "a"):
            out.extend(their_lines[region[1] : region[2]])
        elif kind == "b":
            out.extend(my_lines[region[1] : region[2]])
        else:  # "conflict": (kind, z1, z2, a1, a2, b1, b2)
            conflicts += 1
            out.append(f"{START} {theirs_label}".rstrip() + "\n")
            out.extend(_closed(their_lines[region[3] : region[4]]))
            out.append(MIDDLE + "\n")
            out.extend(_closed(my_lines[region[5] : region[6]]))
            out.append(f"{END} {mine_label}".rstrip() + "\n")
    text = "".join(out)
    if text.endswith("\n") and not normalise(mine).endswith("\n"):
        text = text[:-1]
    return Merge(text=text, conflicts=conflicts)


def _closed(lines: list[str]) -> list[str]:
    return [line if line.endswith("\n") else line + "\n" for line in lines]


def has_conflict_markers(text: str) -> bool:
    """True if the text still holds the marker lines a conflict left in it."""
    lines = normalise(text).split("\n")
    starts = any(line.startswith(START) for line in lines)
    ends = any(line.startswith(END) for line in lines)
    return starts and ends and MIDDLE in lines


@dataclass(frozen=True)
class FieldMerge:
    """One text field of a form, merged: what is saved now, what the person wrote, the merge."""

    name: str
    theirs: str
    mine: str
    merge: Merge

    @property
    def changed_by_both(self) -> bool:
        return normalise(self.theirs).strip() != normalise(self.mine).strip()


def merge_fields(
    base: dict[str, str],
    theirs: dict[str, str],
    mine: dict[str, str],
    *,
    theirs_label: str = "",
    mine_label: str = "",
) -> tuple[FieldMerge, ...]:
    """Merge each named text field (the keys of ``mine``) on its own."""
    return tuple(
        FieldMerge(
            name=name,
            theirs=theirs.get(name, ""),
            mine=mine[name],
            merge=merge_texts(
                base.get(name, ""),
                theirs.get(name, ""),
                mine[name],
                theirs_label=theirs_label,
                mine_label=mine_label,
            ),
        )
        for name in mine
    )


class EditConflict(Exception):
    """Raised by a saving service when edits overlap: nothing was saved.

    ``version`` is the version saved now (the token a resolving form carries), ``fields``
    every text field merged (clean or not), ``editors`` who saved since the person started;
    ``unknown_base`` says the form's token named no saved version (so the merge started
    from an empty text); ``settings`` names other fields of the form both people changed.
    """

    def __init__(
        self,
        *,
        version: int,
        fields: tuple[FieldMerge, ...],
        editors: tuple[str, ...],
        unknown_base: bool = False,
        settings: tuple[str, ...] = (),
    ):
        super().__init__("The text was changed by someone else at the same time.")
        self.version = version
        self.unknown_base = unknown_base
        self.settings = settings
        self.fields = fields
        self.editors = editors

    @property
    def field_map(self) -> dict[str, FieldMerge]:
        return {field.name: field for field in self.fields}

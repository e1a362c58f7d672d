"""CSV export and validation for competence profiles and school matrices.

Parsing is all-or-nothing: every problem is collected with its line number, and the caller
writes nothing unless the list is empty. Messages are translated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kollegium.core.params import to_int

PROFILE_HEADER = ["skill_key", "level", "willing_to_share", "want_to_learn", "evidence"]
MATRIX_HEADER = ["email", *PROFILE_HEADER]
MAX_ROWS = 50_000
MAX_EVIDENCE = 200

_TRUE = {"1", "yes", "ja", "true", "sant", "x"}
_FALSE = {"", "0", "no", "nej", "false", "falskt"}


@dataclass(frozen=True)
class Row:
    line: int
    email: str
    skill_key: str
    level: int
    willing_to_share: bool
    want_to_learn: bool
    evidence: str


class CsvProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _flag(value: str) -> bool | None:
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def parse(
    text: str,
    *,
    with_email: bool,
    skill_keys: set[str],
    known_emails: set[str] | None = None,
) -> list[Row]:
    """Parse and validate. Raises CsvProblems listing every problem with its line number."""
    expected = MATRIX_HEADER if with_email else PROFILE_HEADER
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    problems: list[str] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise CsvProblems(
            [_("Line 1: the file is not valid CSV (%(error)s).") % {"error": exc}]
        ) from None
    if header is None:
        raise CsvProblems([_("The file is empty.")])
    if [h.strip().lower() for h in header] != expected:
        raise CsvProblems(
            [
                _("Line 1: the header must be exactly: %(expected)s")
                % {"expected": ",".join(expected)}
            ]
        )
    rows: list[Row] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                problems.append(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
                break
            if len(values) != len(expected):
                problems.append(
                    _("Line %(line)d: expected %(expected)d columns, found %(found)d.")
                    % {"line": line, "expected": len(expected), "found": len(values)}
                )
                continue
            if with_email:
                email, *rest = (v.strip() for v in values)
                email = email.lower()
            else:
                email, rest = "", [v.strip() for v in values]
            key, level_text, willing_text, want_text, evidence = rest
            evidence = _unsafe(evidence)
            line_problems: list[str] = []
            if with_email and known_emails is not None and email not in known_emails:
                line_problems.append(
                    _("Line %(line)d: nobody at this school has the email address “%(email)s”.")
                    % {"line": line, "email": email}
                )
            if key not in skill_keys:
                line_problems.append(
                    _("Line %(line)d: unknown skill “%(key)s”.") % {"line": line, "key": key}
                )
            level = to_int(level_text, 0) or 0
            if not 1 <= level <= 4:
                line_problems.append(
                    _("Line %(line)d: the level must be a whole number from 1 to 4, not “%(v)s”.")
                    % {"line": line, "v": level_text}
                )
            willing, want = _flag(willing_text), _flag(want_text)
            for name, parsed, raw in (
                ("willing_to_share", willing, willing_text),
                ("want_to_learn", want, want_text),
            ):
                if parsed is None:
                    line_problems.append(
                        _("Line %(line)d: %(column)s must be yes or no, not “%(v)s”.")
                        % {"line": line, "column": name, "v": raw}
                    )
            if len(evidence) > MAX_EVIDENCE:
                line_problems.append(
                    _("Line %(line)d: the evidence note is longer than %(max)d characters.")
                    % {"line": line, "max": MAX_EVIDENCE}
                )
            cell = (email, key)
            if cell in seen:
                line_problems.append(
                    _("Line %(line)d: the same skill appears again (first on line %(first)d).")
                    % {"line": line, "first": seen[cell]}
                )
            else:
                seen[cell] = line
            if line_problems:
                problems.extend(line_problems)
                continue
            rows.append(Row(line, email, key, level, bool(willing), bool(want), evidence))
    except csv.Error as exc:
        problems.append(
            _("Line %(line)d: the file is not valid CSV (%(error)s).")
            % {"line": reader.line_num, "error": exc}
        )
    if problems:
        raise CsvProblems(problems)
    return rows


_FORMULA_START = ("=", "+", "-", "@")


def _safe(text: str) -> str:
    """Keep spreadsheets from running a note as a formula; `parse` undoes it."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unsafe(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def write(rows: Iterable[tuple], *, with_email: bool) -> str:
    """rows: (email?, skill_key, level, willing, want, evidence)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MATRIX_HEADER if with_email else PROFILE_HEADER)
    for row in rows:
        *head, level, willing, want, evidence = row
        writer.writerow([*head, level, _yes_no(willing), _yes_no(want), _safe(evidence)])
    return out.getvalue()

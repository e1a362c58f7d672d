"""Staff and schools from a file, for owners without SS 12000 (pure: no Django).

Two kinds of file, read into the same records the SS 12000 sync plans from:

- a staff list as Swedish Excel saves it ("CSV (semikolonavgränsad)"): semicolons, Windows-1252
  or UTF-8 with a byte-order mark; one row per person and school, with Swedish or English
  column names (Förnamn; Efternamn; E-post; Skola; Skolenhetskod; Befattning; Arbetslag...);
- a OneRoster 1.2 CSV zip (`manifest.csv`, `orgs.csv`, `users.csv`, `roles.csv`; 1.1's
  `role` and `orgSourcedIds` columns in users.csv are read too).

A file is all or nothing: any row that cannot be used refuses the whole file, with every
such row's line number and reason, so an administrator fixes the file once and nothing is
half-imported. Ids are made from the owner and the person's email (or the school's code or
name), so importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kollegium.directory.core.records import (
    EMAIL_RE,
    SCHOOL_UNIT_CODE_RE,
    RemoteDuty,
    RemoteGroup,
    RemoteOrganisation,
    RemotePerson,
)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
NAMESPACE = uuid.UUID("6f1d3c2e-8a55-4f7e-9a43-2b6e0c1d9e01")

#: Column names people use, folded (lower case, no spaces, dashes or dots), per field.
COLUMNS: dict[str, tuple[str, ...]] = {
    "given": ("förnamn", "fornamn", "firstname", "givenname", "tilltalsnamn"),
    "family": ("efternamn", "lastname", "familyname", "surname"),
    "name": ("namn", "name", "fullname", "fulltnamn"),
    "email": ("epost", "epostadress", "mejl", "mail", "email", "emailaddress"),
    "eppn": ("eppn", "edupersonprincipalname"),
    "school": ("skola", "skolenhet", "skolansnamn", "school", "schoolname"),
    "code": ("skolenhetskod", "schoolunitcode", "enhetskod"),
    "role": ("befattning", "roll", "yrkesroll", "role", "dutyrole"),
    "teams": ("arbetslag", "lag", "ämneslag", "team", "teams"),
    "start": ("startdatum", "från", "startdate"),
    "end": ("slutdatum", "till", "enddate"),
}
REQUIRED = ("email", "role")
#: Kollegium's own role names, accepted besides SS 12000's duty roles.
OWN_ROLES = {
    "lärare": "teacher",
    "teacher": "teacher",
    "handledare": "facilitator",
    "processledare": "facilitator",
    "facilitator": "facilitator",
    "skolledare": "leader",
    "leader": "leader",
}
ONEROSTER_ROLES = {
    "teacher": "Lärare",
    "principal": "Rektor",
    "administrator": "Övrig arbetsledning",
    "aide": "Lärarassistent",
}


class FileRefused(Exception):
    """The whole file is refused; ``problems`` are (line, code, params), line 0 for the file."""

    def __init__(self, problems: list[tuple[int, str, dict[str, str]]]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class FileRecords:
    organisations: list[RemoteOrganisation] = field(default_factory=list)
    persons: list[RemotePerson] = field(default_factory=list)
    duties: list[RemoteDuty] = field(default_factory=list)
    groups: list[RemoteGroup] = field(default_factory=list)
    rows: int = 0


def _fold(name: str) -> str:
    return re.sub(r"[\s\-_.]", "", name.strip().lower())


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Swedish Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _reader(text: str) -> Any:
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def _date(value: str, line: int, problems: list[Any]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append((line, "file_bad_date", {"value": value[:30]}))
        return None


def read_staff_csv(data: bytes, *, owner_key: str, duty_roles: frozenset[str]) -> FileRecords:
    """A staff list (Swedish Excel CSV) as records; raises FileRefused with every problem."""
    if len(data) > MAX_BYTES:
        raise FileRefused([(0, "file_too_large", {"mb": str(MAX_BYTES // 1024 // 1024)})])
    if b"\x00" in data:
        raise FileRefused([(0, "file_not_text", {})])
    rows: list[list[str]] = list(_reader(decode(data)))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise FileRefused([(0, "file_empty", {})])
    if len(rows) > MAX_ROWS + 1:
        raise FileRefused([(0, "file_too_many_rows", {"rows": str(MAX_ROWS)})])
    header = [_fold(cell) for cell in rows[0]]
    where: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for index, column in enumerate(header):
            if column in names and key not in where:
                where[key] = index
    missing = [key for key in REQUIRED if key not in where]
    if "given" not in where and "name" not in where:
        missing.append("name")
    if "school" not in where and "code" not in where:
        missing.append("school")
    if missing:
        raise FileRefused(
            [
                (
                    1,
                    "file_missing_columns",
                    {"missing": ", ".join(missing), "found": "; ".join(rows[0])[:200]},
                )
            ]
        )

    def cell(row: list[str], key: str) -> str:
        index = where.get(key)
        return " ".join(row[index].split()) if index is not None and index < len(row) else ""

    problems: list[tuple[int, str, dict[str, str]]] = []
    records = FileRecords()
    schools: dict[str, RemoteOrganisation] = {}
    people: dict[str, RemotePerson] = {}
    duties: dict[str, RemoteDuty] = {}
    teams: dict[str, tuple[str, str, set[str]]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        records.rows += 1
        email = cell(row, "email").lower()
        if not EMAIL_RE.match(email):
            problems.append((line, "file_bad_email", {"value": email[:60]}))
            continue
        given, family = cell(row, "given"), cell(row, "family")
        if not given and not family:
            given, _, family = cell(row, "name").partition(" ")
        if not (given or family):
            problems.append((line, "file_missing_name", {}))
            continue
        role = cell(row, "role")
        duty_role = role if role in duty_roles else ""
        if not duty_role and role.lower() in OWN_ROLES:
            duty_role = {"teacher": "Lärare", "facilitator": "Förstelärare", "leader": "Rektor"}[
                OWN_ROLES[role.lower()]
            ]
        if not duty_role:
            problems.append((line, "file_unknown_role", {"value": role[:60]}))
            continue
        code, school_name = cell(row, "code"), cell(row, "school")
        if code and not SCHOOL_UNIT_CODE_RE.match(code):
            problems.append((line, "bad_school_unit_code", {"code": code[:20]}))
            continue
        if not (code or school_name):
            problems.append((line, "file_missing_school", {}))
            continue
        school_key = code or school_name.lower()
        school = schools.get(school_key)
        if school is None:
            school = RemoteOrganisation(
                id=_id(owner_key, "school", school_key),
                type="Skolenhet",
                name=school_name or code,
                school_unit_code=code,
                organisation_number="",
                municipality_code="",
                parent_id="",
                school_types=(),
                end_date=None,
            )
            schools[school_key] = school
        elif school_name and school.name != school_name and school.name == school.school_unit_code:
            schools[school_key] = RemoteOrganisation(**{**school.__dict__, "name": school_name})
        person_id = _id(owner_key, "person", email)
        eppn = cell(row, "eppn").lower()
        person = RemotePerson(
            id=person_id,
            given_name=given[:70],
            family_name=family[:70],
            eppns=(eppn,) if eppn else (),
            email=email,
            active=True,
        )
        earlier = people.get(person_id)
        if earlier is not None and earlier.full_name != person.full_name:
            problems.append((line, "file_same_email_other_name", {"email": email}))
            continue
        people[person_id] = person
        start = _date(cell(row, "start"), line, problems)
        end = _date(cell(row, "end"), line, problems)
        duty_id = _id(owner_key, "duty", email, school_key, duty_role)
        duties[duty_id] = RemoteDuty(
            duty_id, person_id, schools[school_key].id, duty_role, start, end
        )
        for team_name in filter(None, (t.strip() for t in cell(row, "teams").split(","))):
            team_id = _id(owner_key, "team", school_key, team_name.lower())
            teams.setdefault(team_id, (team_name[:120], schools[school_key].id, set()))[2].add(
                person_id
            )
    if problems:
        raise FileRefused(problems)
    records.organisations = list(schools.values())
    records.persons = list(people.values())
    records.duties = list(duties.values())
    records.groups = [
        RemoteGroup(
            id=team_id,
            name=name,
            type="Personalgrupp",
            organisation_id=school_id,
            member_ids=frozenset(members),
        )
        for team_id, (name, school_id, members) in teams.items()
    ]
    return records


def _dict_rows(archive: zipfile.ZipFile, name: str) -> list[tuple[int, dict[str, str]]]:
    try:
        raw = archive.read(name)
    except KeyError:
        return []
    reader = csv.DictReader(io.StringIO(decode(raw), newline=""))
    return [(line, row) for line, row in enumerate(reader, start=2)]


def read_oneroster(data: bytes, *, owner_key: str) -> FileRecords:
    """A OneRoster 1.2 (or 1.1) CSV zip as records; raises FileRefused with every problem."""
    if len(data) > MAX_BYTES:
        raise FileRefused([(0, "file_too_large", {"mb": str(MAX_BYTES // 1024 // 1024)})])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise FileRefused([(0, "file_not_zip", {})]) from None
    missing = [n for n in ("manifest.csv", "orgs.csv", "users.csv") if n not in names]
    if missing:
        raise FileRefused([(0, "file_oneroster_missing", {"missing": ", ".join(missing)})])
    problems: list[tuple[int, str, dict[str, str]]] = []
    records = FileRecords()
    schools: dict[str, RemoteOrganisation] = {}
    for line, row in _dict_rows(archive, "orgs.csv"):
        if (row.get("status") or "active").lower() == "tobedeleted":
            continue
        if (row.get("type") or "").lower() != "school":
            continue
        code = (row.get("identifier") or "").strip()
        name = " ".join((row.get("name") or "").split())
        if not name:
            problems.append((line, "file_missing_name", {"file": "orgs.csv"}))
            continue
        sourced = (row.get("sourcedId") or "").strip()
        schools[sourced] = RemoteOrganisation(
            id=_id(owner_key, "oneroster-org", sourced),
            type="Skolenhet",
            name=name[:200],
            school_unit_code=code if SCHOOL_UNIT_CODE_RE.match(code) else "",
            organisation_number="",
            municipality_code="",
            parent_id="",
            school_types=(),
            end_date=None,
        )
    people: dict[str, RemotePerson] = {}
    legacy_roles: list[tuple[int, str, str, str]] = []
    for line, row in _dict_rows(archive, "users.csv"):
        if (row.get("status") or "active").lower() == "tobedeleted":
            continue
        if (row.get("enabledUser") or "true").lower() == "false":
            continue
        sourced = (row.get("sourcedId") or "").strip()
        email = (row.get("email") or "").strip().lower()
        given = " ".join((row.get("givenName") or "").split())
        family = " ".join((row.get("familyName") or "").split())
        role = (row.get("role") or "").strip().lower()  # 1.1
        if role == "student":
            continue
        if email and not EMAIL_RE.match(email):
            problems.append((line, "file_bad_email", {"value": email[:60]}))
            continue
        if not (given or family):
            problems.append((line, "file_missing_name", {"file": "users.csv"}))
            continue
        username = (row.get("username") or "").strip().lower()
        people[sourced] = RemotePerson(
            id=_id(owner_key, "oneroster-user", sourced),
            given_name=given[:70],
            family_name=family[:70],
            eppns=(username,) if "@" in username else (),
            email=email,
            active=True,
        )
        for org in filter(None, (o.strip() for o in (row.get("orgSourcedIds") or "").split(","))):
            legacy_roles.append((line, sourced, org, role))
    # 1.2 keeps each person's roles at each school in roles.csv; 1.1 in users.csv.
    assignments: list[tuple[int, str, str, str, dict[str, str]]] = [
        (
            line,
            (row.get("userSourcedId") or "").strip(),
            (row.get("orgSourcedId") or "").strip(),
            (row.get("role") or "").strip().lower(),
            row,
        )
        for line, row in _dict_rows(archive, "roles.csv")
        if (row.get("status") or "active").lower() != "tobedeleted"
    ] or [(line, user, org, role, {}) for line, user, org, role in legacy_roles]
    duties: dict[str, RemoteDuty] = {}
    for line, user, org, role, extra in assignments:
        if role == "student" or user not in people:
            continue
        duty_role = ONEROSTER_ROLES.get(role)
        if duty_role is None:
            continue
        if org not in schools:
            problems.append((line, "file_unknown_org", {"value": org[:60]}))
            continue
        start = _date(extra.get("beginDate") or "", line, problems)
        end = _date(extra.get("endDate") or "", line, problems)
        duty_id = _id(owner_key, "oneroster-duty", user, org, role)
        duties[duty_id] = RemoteDuty(
            duty_id, people[user].id, schools[org].id, duty_role, start, end
        )
    if problems:
        raise FileRefused(problems)
    staff = {d.person_id for d in duties.values()}
    records.organisations = list(schools.values())
    records.persons = [p for p in people.values() if p.id in staff]
    records.duties = list(duties.values())
    records.rows = len(assignments)
    return records

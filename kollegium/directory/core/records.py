"""SS 12000 records as the sync reads them: only the fields Kollegium uses.

Each parser takes one JSON object from a page and returns a record, or raises RecordError
with a reason code (translated where the administrator reads it). What is not read is never
kept: a person's civicNo, birth date, sex, addresses and phone numbers are not even parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SCHOOL_UNIT_CODE_RE = re.compile(r"^\d{8}$")
#: Work addresses first; a private address is used only when there is no other.
EMAIL_PREFERENCE = ("Skola personal", "Arbete övrigt", "Skola elev", "Privat")


class RecordError(Exception):
    """A record that cannot be used; ``code`` names the reason, ``params`` fill its text."""

    def __init__(self, reason: str, /, **params: Any) -> None:
        super().__init__(reason)
        self.code = reason
        self.params = params


@dataclass(frozen=True)
class RemoteOrganisation:
    id: str
    type: str
    name: str
    school_unit_code: str
    organisation_number: str
    municipality_code: str
    parent_id: str
    school_types: tuple[str, ...]
    end_date: date | None


@dataclass(frozen=True)
class RemotePerson:
    id: str
    given_name: str
    family_name: str
    eppns: tuple[str, ...]
    email: str
    active: bool

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


@dataclass(frozen=True)
class RemoteDuty:
    id: str
    person_id: str
    organisation_id: str
    role: str
    start_date: date | None
    end_date: date | None

    def active_on(self, day: date) -> bool:
        started = self.start_date is None or self.start_date <= day
        not_ended = self.end_date is None or self.end_date >= day
        return started and not_ended


@dataclass(frozen=True)
class RemoteGroup:
    id: str
    name: str
    type: str
    organisation_id: str
    member_ids: frozenset[str] = field(default_factory=frozenset)
    end_date: date | None = None


def _text(value: Any, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError("wrong_type")
    return " ".join(value.split())[:limit]


def _uuid(value: Any, code: str = "missing_id") -> str:
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise RecordError(code)
    return value.lower()


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RecordError("bad_date", value=str(value)[:40])
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise RecordError("bad_date", value=value[:40]) from None


def _reference(value: Any, code: str) -> str:
    if not isinstance(value, dict):
        raise RecordError(code)
    return _uuid(value.get("id"), code)


def parse_organisation(raw: Any) -> RemoteOrganisation:
    if not isinstance(raw, dict):
        raise RecordError("not_an_object")
    org_id = _uuid(raw.get("id"))
    name = _text(raw.get("displayName"), 200)
    if not name:
        raise RecordError("missing_name")
    org_type = _text(raw.get("organisationType"), 40)
    code = _text(raw.get("schoolUnitCode"), 20)
    if org_type == "Skolenhet" and code and not SCHOOL_UNIT_CODE_RE.match(code):
        raise RecordError("bad_school_unit_code", code=code)
    parent = raw.get("parentOrganisation")
    school_types = raw.get("schoolTypes") or []
    if not isinstance(school_types, list):
        raise RecordError("wrong_type")
    return RemoteOrganisation(
        id=org_id,
        type=org_type,
        name=name,
        school_unit_code=code,
        organisation_number=_text(raw.get("organisationNumber"), 11),
        municipality_code=_text(raw.get("municipalityCode"), 4),
        parent_id=_reference(parent, "bad_reference") if parent else "",
        school_types=tuple(str(t) for t in school_types),
        end_date=_date(raw.get("endDate")),
    )


def _pick_email(emails: Any) -> str:
    if not emails:
        return ""
    if not isinstance(emails, list):
        raise RecordError("wrong_type")
    by_type: dict[str, str] = {}
    for entry in emails:
        if not isinstance(entry, dict):
            continue
        value = _text(entry.get("value"), 254).lower()
        if EMAIL_RE.match(value):
            by_type.setdefault(str(entry.get("type", "")), value)
    for kind in EMAIL_PREFERENCE:
        if kind in by_type:
            return by_type[kind]
    return next(iter(by_type.values()), "")


def parse_person(raw: Any) -> RemotePerson:
    if not isinstance(raw, dict):
        raise RecordError("not_an_object")
    person_id = _uuid(raw.get("id"))
    given = _text(raw.get("givenName"), 70)
    family = _text(raw.get("familyName"), 70)
    if not (given or family):
        raise RecordError("missing_name")
    eppns_raw = raw.get("eduPersonPrincipalNames") or []
    if not isinstance(eppns_raw, list):
        raise RecordError("wrong_type")
    eppns = tuple(sorted({_text(e, 254).lower() for e in eppns_raw if isinstance(e, str) and e}))
    return RemotePerson(
        id=person_id,
        given_name=given,
        family_name=family,
        eppns=eppns,
        email=_pick_email(raw.get("emails")),
        active=raw.get("personStatus", "Aktiv") == "Aktiv",
    )


def parse_duty(raw: Any) -> RemoteDuty:
    if not isinstance(raw, dict):
        raise RecordError("not_an_object")
    return RemoteDuty(
        id=_uuid(raw.get("id")),
        person_id=_reference(raw.get("person"), "duty_without_person"),
        organisation_id=_reference(raw.get("dutyAt"), "duty_without_organisation"),
        role=_text(raw.get("dutyRole"), 60),
        start_date=_date(raw.get("startDate")),
        end_date=_date(raw.get("endDate")),
    )


def parse_group(raw: Any, *, today: date) -> RemoteGroup:
    if not isinstance(raw, dict):
        raise RecordError("not_an_object")
    name = _text(raw.get("displayName"), 120)
    if not name:
        raise RecordError("missing_name")
    members: set[str] = set()
    memberships = raw.get("groupMemberships") or []
    if not isinstance(memberships, list):
        raise RecordError("wrong_type")
    for membership in memberships:
        if not isinstance(membership, dict):
            continue
        start = _date(membership.get("startDate"))
        end = _date(membership.get("endDate"))
        if (start is None or start <= today) and (end is None or end >= today):
            members.add(_reference(membership.get("person"), "bad_reference"))
    return RemoteGroup(
        id=_uuid(raw.get("id")),
        name=name,
        type=_text(raw.get("groupType"), 40),
        organisation_id=_reference(raw.get("organisation"), "bad_reference"),
        member_ids=frozenset(members),
        end_date=_date(raw.get("endDate")),
    )


@dataclass(frozen=True)
class RemoteActivity:
    id: str
    name: str
    activity_type: str
    group_names: tuple[str, ...]
    teacher_duty_ids: tuple[str, ...]


@dataclass(frozen=True)
class RemoteEvent:
    id: str
    activity_id: str
    start: str  # RFC 3339, as sent: parsed where the time zone is known
    end: str
    rooms: tuple[str, ...]
    absent_duty_ids: frozenset[str]


def _names(refs: Any) -> tuple[str, ...]:
    if not isinstance(refs, list):
        return ()
    return tuple(
        _text(ref.get("displayName"), 100)
        for ref in refs
        if isinstance(ref, dict) and ref.get("displayName")
    )


def parse_activity(raw: Any) -> RemoteActivity:
    if not isinstance(raw, dict):
        raise RecordError("not_an_object")
    teachers = raw.get("teachers") or []
    if not isinstance(teachers, list):
        raise RecordError("wrong_type")
    duty_ids = tuple(
        _reference(t.get("duty"), "bad_reference") for t in teachers if isinstance(t, dict)
    )
    return RemoteActivity(
        id=_uuid(raw.get("id")),
        name=_text(raw.get("displayName"), 200),
        activity_type=_text(raw.get("activityType"), 40),
        group_names=_names(raw.get("groups")),
        teacher_duty_ids=duty_ids,
    )


def parse_event(raw: Any) -> RemoteEvent | None:
    """A calendar event, or None when it is cancelled."""
    if not isinstance(raw, dict):
        raise RecordError("not_an_object")
    if raw.get("cancelled") is True:
        return None
    start, end = raw.get("startTime"), raw.get("endTime")
    if not isinstance(start, str) or not isinstance(end, str) or end <= start[:0]:
        raise RecordError("bad_date", value=str(start)[:40])
    absent = frozenset(
        _reference(e.get("duty"), "bad_reference")
        for e in raw.get("teacherExceptions") or []
        if isinstance(e, dict) and e.get("participates") is False
    )
    return RemoteEvent(
        id=_uuid(raw.get("id")),
        activity_id=_reference(raw.get("activity"), "bad_reference"),
        start=start,
        end=end,
        rooms=_names(raw.get("rooms")),
        absent_duty_ids=absent,
    )

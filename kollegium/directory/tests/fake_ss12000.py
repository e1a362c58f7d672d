"""An SS 12000 server for tests and the bench, on 127.0.0.1, in the test process.

Every response body it sends is validated against the specification in
../shared/standards/ss12000/ (OpenAPI 3.0, v2.1): a body that does not match is recorded in
`violations` (tests assert there are none), so the fake cannot drift from what real vendors
must send. It pages with opaque page tokens, answers `meta.modified.after` deltas and
`/deletedEntities`, checks the bearer token, and can be told to misbehave: a 401, a 429 with
Retry-After, a page of invalid JSON.

`municipality()` makes realistic data: a Swedish municipality's schools, staff with Swedish
names, duties (rektor, lärare, förstelärare, barnskötare...), staff groups and classes, and
personal identity numbers, which the sync must never keep.
"""

from __future__ import annotations

import base64
import json
import random
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import yaml

#: A copy of ../shared/standards/ss12000/ (see LICENSE-of-the-copy.md beside it), so a clean
#: clone tests against the specification without anything outside the repository.
SPEC_PATH = Path(__file__).parent / "data" / "openapi_ss12000_version2_1_0.yaml"

RESPONSE_SCHEMAS = {
    "organisations": "Organisations",
    "persons": "PersonsExpanded",
    "duties": "Duties",
    "groups": "GroupsExpanded",
    "activities": "Activities",
    "calendarEvents": "CalendarEvents",
    "deletedEntities": "DeletedEntities",
}
ENTITY_OF = {
    "Organisation": "organisations",
    "Person": "persons",
    "Duty": "duties",
    "Group": "groups",
    "Activity": "activities",
    "CalendarEvent": "calendarEvents",
}


def _validator_for(schema_name: str) -> Any:
    return _validators()[schema_name]


_cache: dict[str, Any] = {}


def _validators() -> dict[str, Any]:
    if not _cache:
        from openapi_schema_validator import OAS30Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4

        spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
        registry = Registry().with_resource(
            "urn:ss12000", Resource.from_contents(spec, default_specification=DRAFT4)
        )
        for name in [*RESPONSE_SCHEMAS.values(), "PersonExpanded", "Error"]:
            _cache[name] = OAS30Validator(
                {"$ref": f"urn:ss12000#/components/schemas/{name}"},
                registry=registry,
                format_checker=OAS30Validator.FORMAT_CHECKER,
            )
    return _cache


def validate(schema_name: str, body: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in _validator_for(schema_name).iter_errors(body)
    ]


def _meta(when: datetime) -> dict[str, str]:
    return {"created": when.isoformat(), "modified": when.isoformat()}


@dataclass
class FakeSS12000:
    organisations: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    duties: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    calendarEvents: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[tuple[str, str, datetime]] = field(default_factory=list)
    token: str = "test-token"
    page_size_cap: int = 200
    # Misbehaviour, set by a test.
    refuse_token: bool = False
    rate_limit_next: int = 0  # how many requests get a 429 first
    retry_after: str = "1"
    invalid_json_for: str = ""
    validate_responses: bool = True  # the bench turns it off: it costs more than the sync
    violations: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    # -- data changes, as a vendor's system makes them --------------------------------------

    def touch(self, record: dict[str, Any], when: datetime | None = None) -> None:
        record["meta"]["modified"] = (when or datetime.now(UTC)).isoformat()

    def delete(self, entity: str, record_id: str, when: datetime | None = None) -> None:
        collection = getattr(self, ENTITY_OF[entity])
        collection[:] = [r for r in collection if r["id"] != record_id]
        self.deleted.append((entity, record_id, when or datetime.now(UTC)))

    # -- the server -------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        parts = environ.get("PATH_INFO", "").strip("/").split("/")
        path = parts[-1]
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if len(parts) >= 2 and parts[-2] == "persons":
            return self._person(parts[-1], environ, start_response)
        self.requests.append(f"{path}?{environ.get('QUERY_STRING', '')}")
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.token}" or self.refuse_token:
            return self._error(start_response, "401 Unauthorized", "UNAUTHORIZED", "Bad token")
        if self.rate_limit_next > 0:
            self.rate_limit_next -= 1
            start_response(
                "429 Too Many Requests",
                [("Content-Type", "application/json"), ("Retry-After", self.retry_after)],
            )
            return [b'{"code": "TOO_MANY", "message": "Slow down"}']
        if path not in RESPONSE_SCHEMAS:
            return self._error(start_response, "404 Not Found", "NOT_FOUND", path)
        if path == self.invalid_json_for:
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"data": [{"id": "broken"']
        body = self._deleted(query) if path == "deletedEntities" else self._list(path, query)
        if self.validate_responses:
            self.violations.extend(f"{path}: {v}" for v in validate(RESPONSE_SCHEMAS[path], body))
        start_response("200 OK", [("Content-Type", "application/json; charset=utf-8")])
        return [json.dumps(body, ensure_ascii=False).encode()]

    def _person(self, person_id: str, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        """GET /persons/{id}: one person, whatever their duties (the spec's PersonExpanded)."""
        self.requests.append(f"persons/{person_id}")
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.token}" or self.refuse_token:
            return self._error(start_response, "401 Unauthorized", "UNAUTHORIZED", "Bad token")
        found = next((p for p in self.persons if p["id"] == person_id), None)
        if found is None:
            return self._error(start_response, "404 Not Found", "NOT_FOUND", person_id)
        if self.validate_responses:
            self.violations.extend(f"persons/id: {v}" for v in validate("PersonExpanded", found))
        start_response("200 OK", [("Content-Type", "application/json; charset=utf-8")])
        return [json.dumps(found, ensure_ascii=False).encode()]

    def _error(self, start_response: Any, status: str, code: str, message: str) -> list[bytes]:
        body = {"code": code, "message": message}
        self.violations.extend(f"error: {v}" for v in validate("Error", body))
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    def _page(
        self, items: list[Any], query: dict[str, list[str]], filters: dict[str, Any]
    ) -> dict[str, Any]:
        offset = 0
        if "pageToken" in query:
            state = json.loads(base64.urlsafe_b64decode(query["pageToken"][0]))
            offset, filters = state["offset"], state["filters"]
        limit = min(int(query.get("limit", [self.page_size_cap])[0]), self.page_size_cap)
        chosen = items[offset : offset + limit]
        more = offset + limit < len(items)
        token = (
            base64.urlsafe_b64encode(
                json.dumps({"offset": offset + limit, "filters": filters}).encode()
            ).decode()
            if more
            else None
        )
        return {"data": chosen, "pageToken": token}

    def _list(self, path: str, query: dict[str, list[str]]) -> dict[str, Any]:
        filters: dict[str, Any] = {}
        if "pageToken" in query:
            state = json.loads(base64.urlsafe_b64decode(query["pageToken"][0]))
            filters = state["filters"]
        else:
            if "meta.modified.after" in query:
                filters["after"] = query["meta.modified.after"][0]
            if "relationship.entity.type" in query:
                filters["relationship"] = query["relationship.entity.type"][0]
            for name in ("startTime.onOrAfter", "startTime.onOrBefore"):
                if name in query:
                    filters[name] = query[name][0]
        items = list(getattr(self, path))
        if filters.get("after"):
            after = datetime.fromisoformat(filters["after"])
            items = [i for i in items if datetime.fromisoformat(i["meta"]["modified"]) > after]
        if path == "persons" and filters.get("relationship") == "duty":
            with_duty = {d["person"]["id"] for d in self.duties}
            items = [i for i in items if i["id"] in with_duty]
        if filters.get("startTime.onOrAfter"):
            after = datetime.fromisoformat(filters["startTime.onOrAfter"])
            items = [i for i in items if datetime.fromisoformat(i["startTime"]) >= after]
        if filters.get("startTime.onOrBefore"):
            before = datetime.fromisoformat(filters["startTime.onOrBefore"])
            items = [i for i in items if datetime.fromisoformat(i["startTime"]) <= before]
        # Pages are offsets into the list as it stands: stable while nobody changes the data.
        return self._page(items, query, filters)

    def _deleted(self, query: dict[str, list[str]]) -> dict[str, Any]:
        after = datetime.fromisoformat(query["after"][0]) if "after" in query else None
        entities = set(query.get("entities", ENTITY_OF))
        data: dict[str, list[str]] = {}
        for entity, record_id, when in self.deleted:
            if entity in entities and (after is None or when > after):
                data.setdefault(ENTITY_OF[entity], []).append(record_id)
        return {"data": data, "pageToken": None}

    # -- running it -------------------------------------------------------------------------

    def serve(self) -> Iterator[str]:
        """Serve on 127.0.0.1 (a free port) until the generator is closed; yields the base URL."""

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

        class Threaded(WSGIServer):
            daemon_threads = True

        server = make_server("127.0.0.1", 0, self, server_class=Threaded, handler_class=Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}/ss12000/v2"
        finally:
            server.shutdown()
            server.server_close()


# --- Realistic data ----------------------------------------------------------------------------

GIVEN = [
    "Anna",
    "Maria",
    "Eva",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Kerstin",
    "Ingrid",
    "Malin",
    "Elin",
    "Sofia",
    "Hanna",
    "Ida",
    "Johanna",
    "Fatima",
    "Amira",
    "Leila",
    "Yasmin",
    "Aisha",
    "Mohammed",
    "Ali",
    "Ahmed",
    "Omar",
    "Erik",
    "Lars",
    "Karl",
    "Anders",
    "Johan",
    "Per",
    "Nils",
    "Mikael",
    "Olof",
    "Jonas",
    "Björn",
    "Gustav",
    "Åsa",
    "Åke",
    "Örjan",
    "Ängla",
    "Ulla",
    "Stina",
    "Pia",
    "Tove",
    "Wilma",
]
FAMILY = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Lundgren",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Ali",
    "Mohammed",
    "Hassan",
    "Ahmed",
    "Yilmaz",
    "Nguyen",
    "Kovač",
    "Öberg",
    "Åberg",
    "Ängström",
]
SCHOOL_PARTS = [
    "Björk",
    "Ek",
    "Ask",
    "Lind",
    "Al",
    "Rönn",
    "Gran",
    "Tall",
    "Sjö",
    "Berg",
    "Dal",
    "Äng",
    "Å",
    "Lunds",
    "Backa",
    "Hage",
    "Vik",
    "Näs",
    "Holm",
    "Mo",
    "Kvarn",
    "Solrosen",
    "Tallbacken",
    "Ekhagen",
    "Ängsbacka",
    "Östra",
    "Västra",
    "Norra",
    "Södra",
]


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def municipality(
    *,
    schools: int = 3,
    staff: int = 60,
    seed: int = 12000,
    start: date = date(2026, 8, 1),
    name: str = "Exempelstads kommun",
    lessons_per_week: int = 0,
    weeks: int = 2,
) -> FakeSS12000:
    """A school owner with its schools, staff, duties, staff groups and classes."""
    rng = random.Random(seed)
    when = datetime(2026, 8, 1, 6, 0, tzinfo=UTC)
    fake = FakeSS12000()
    owner_id = _uuid(rng)
    fake.organisations.append(
        {
            "id": owner_id,
            "meta": _meta(when),
            "displayName": name,
            "organisationType": "Huvudman",
            "organisationNumber": "212000-0000",
            "municipalityCode": "0180",
        }
    )
    school_ids = []
    used_names: set[str] = set()
    for index in range(schools):
        part = SCHOOL_PARTS[index % len(SCHOOL_PARTS)]
        school_name = f"{part}skolan" if index < len(SCHOOL_PARTS) else f"{part}skolan {index}"
        used_names.add(school_name)
        school_id = _uuid(rng)
        school_ids.append(school_id)
        fake.organisations.append(
            {
                "id": school_id,
                "meta": _meta(when),
                "displayName": school_name,
                "organisationType": "Skolenhet",
                "schoolUnitCode": f"{10000000 + index * 7919:08d}"[:8],
                "schoolTypes": ["GR"] if index % 5 else ["GR", "FKLASS"],
                "parentOrganisation": {"id": owner_id},
                "municipalityCode": "0180",
            }
        )
    people_at: dict[str, list[str]] = {sid: [] for sid in school_ids}
    taken_emails: set[str] = set()
    for index in range(staff):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        person_id = _uuid(rng)
        local = f"{given}.{family}".lower()
        for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("č", "c")):
            local = local.replace(a, b)
        email = f"{local}@exempelstad.se"
        suffix = 2
        while email in taken_emails:
            email = f"{local}{suffix}@exempelstad.se"
            suffix += 1
        taken_emails.add(email)
        born = date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28))
        fake.persons.append(
            {
                "id": person_id,
                "meta": _meta(when),
                "givenName": given,
                "familyName": family,
                "eduPersonPrincipalNames": [email.replace("@", "@skol.")],
                "civicNo": {
                    "value": f"{born:%Y%m%d}{rng.randrange(10000):04d}",
                    "nationality": "SE",
                },
                "birthDate": born.isoformat(),
                "emails": [{"value": email, "type": "Skola personal"}],
                "personStatus": "Aktiv",
            }
        )
        school_id = school_ids[index % len(school_ids)]
        position = len(people_at[school_id])
        role = (
            "Rektor"
            if position == 0
            else "Förstelärare"
            if position % 12 == 1
            else "Barnskötare"
            if position % 15 == 7
            else "Lärare"
        )
        people_at[school_id].append(person_id)
        fake.duties.append(
            {
                "id": _uuid(rng),
                "meta": _meta(when),
                "person": {"id": person_id},
                "dutyAt": {"id": school_id},
                "dutyRole": role,
                "dutyPercent": 100,
                "signature": f"{given[:2]}{family[:2]}".upper(),
                "startDate": (start - timedelta(days=rng.randrange(3000))).isoformat(),
            }
        )
    for school_id, people in people_at.items():
        for team_index, chunk in enumerate(range(0, len(people), 10)):
            members = people[chunk : chunk + 10]
            fake.groups.append(
                {
                    "id": _uuid(rng),
                    "meta": _meta(when),
                    "displayName": f"Arbetslag {team_index + 1}",
                    "groupType": "Personalgrupp",
                    "organisation": {"id": school_id},
                    "startDate": start.isoformat(),
                    "groupMemberships": [{"person": {"id": p}} for p in members],
                }
            )
        fake.groups.append(
            {
                "id": _uuid(rng),
                "meta": _meta(when),
                "displayName": "7A",
                "groupType": "Klass",
                "organisation": {"id": school_id},
                "startDate": start.isoformat(),
            }
        )
    if lessons_per_week:
        _timetables(fake, rng, lessons_per_week=lessons_per_week, weeks=weeks, when=when)
    return fake


SUBJECTS = ("Matematik", "Svenska", "Engelska", "Biologi", "Historia", "Idrott och hälsa", "Bild")


def _timetables(
    fake: FakeSS12000, rng: random.Random, *, lessons_per_week: int, weeks: int, when: datetime
) -> None:
    """Each teacher's lessons: weekly activities with a class, as calendar events from this
    week's Monday for `weeks` weeks (Swedish local time, written with its UTC offset)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Stockholm")
    monday = date.today() - timedelta(days=date.today().weekday())
    classes = {g["organisation"]["id"]: g for g in fake.groups if g["groupType"] == "Klass"}
    for duty in fake.duties:
        if duty["dutyRole"] not in ("Lärare", "Förstelärare"):
            continue
        klass = classes[duty["dutyAt"]["id"]]
        for slot in range(lessons_per_week):
            subject = SUBJECTS[(slot + len(fake.activities)) % len(SUBJECTS)]
            activity_id = _uuid(rng)
            fake.activities.append(
                {
                    "id": activity_id,
                    "meta": _meta(when),
                    "displayName": f"{subject} {klass['displayName']}",
                    "calendarEventsRequired": True,
                    "startDate": monday.isoformat(),
                    "activityType": "Undervisning",
                    "groups": [{"id": klass["id"], "displayName": klass["displayName"]}],
                    "teachers": [{"duty": {"id": duty["id"]}}],
                    "organisation": {"id": duty["dutyAt"]["id"]},
                }
            )
            weekday, hour = slot % 5, 8 + (slot // 5) % 8
            for week in range(weeks):
                day = monday + timedelta(days=7 * week + weekday)
                begins = datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)
                fake.calendarEvents.append(
                    {
                        "id": _uuid(rng),
                        "meta": _meta(when),
                        "activity": {"id": activity_id, "displayName": f"{subject}"},
                        "startTime": begins.isoformat(),
                        "endTime": (begins + timedelta(minutes=50)).isoformat(),
                        "cancelled": False,
                        "rooms": [{"id": _uuid(rng), "displayName": f"Sal {100 + slot}"}],
                    }
                )

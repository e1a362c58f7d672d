"""Reads for the audit log, always scoped to the acting person (permissions.py says who)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from kollegium.accounts.models import User
from kollegium.core.models import AuditEvent
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation
from kollegium.records.labels import action_label

#: Data keys that name a person by id; shown with the person's name.
_PERSON_KEYS = ("user", "speaker")


def audit_scope(user: Actor) -> Q | None:
    """The events the person may read (None: all of them; an empty Q never happens)."""
    actor = as_actor(user)
    if actor.is_installation_admin:
        return None
    scope = Q(school_id__in=sorted(actor.managed_school_ids))
    owners = sorted(actor.staff_owner_ids)
    if owners:
        scope |= Q(school_id__in=owners) | Q(school__parent_id__in=owners)
    return scope


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(
    *,
    actor: Actor,
    who: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The person's readable events, newest first, filtered by who (name or email contains),
    what (the action's code) and when (days, both included)."""
    events = AuditEvent.objects.select_related("actor", "school")
    scope = audit_scope(actor)
    if scope is not None:
        events = events.filter(scope)
    if who:
        events = events.filter(Q(actor__full_name__icontains=who) | Q(actor__email__icontains=who))
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(created_at__gte=_day_start(since))
    if until:
        events = events.filter(created_at__lt=_day_start(until + timedelta(days=1)))
    return events.order_by("-created_at", "-pk")


def audit_action_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """(code, readable name) of the actions in the person's scope, by name (one query)."""
    events = AuditEvent.objects.all()
    scope = audit_scope(actor)
    if scope is not None:
        events = events.filter(scope)
    codes = events.order_by().values_list("action", flat=True).distinct()
    return sorted(((code, action_label(code)) for code in codes), key=lambda c: c[1].lower())


@dataclass(frozen=True)
class AuditRow:
    when: datetime
    who: str
    who_email: str
    action: str
    what: str
    school: str
    target: str
    details: str


def _person_ids(events: Iterable[AuditEvent]) -> set[int]:
    ids: set[int] = set()
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        for key in _PERSON_KEYS:
            value = data.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                ids.add(value)
    return ids


def _details(data: object, names: dict[int, str]) -> str:
    if not isinstance(data, dict):
        return ""
    parts = []
    for key, value in sorted(data.items()):
        if key in _PERSON_KEYS and isinstance(value, int) and value in names:
            value = names[value]
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


def audit_rows(events: Iterable[AuditEvent], *, nobody: str) -> list[AuditRow]:
    """The events as rows to show or export; people named in an event's data are read in one
    query. ``nobody`` names the doer of an event without a person (a command, or an account
    since erased)."""
    events = list(events)
    ids = _person_ids(events)
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name")) if ids else {}
    return list(_rows(events, names, nobody=nobody))


def _rows(events: list[AuditEvent], names: dict[int, str], *, nobody: str) -> Iterator[AuditRow]:
    for event in events:
        person = event.actor
        if person is not None:
            who, email = person.full_name or person.email, person.email
        else:
            who, email = nobody, ""
        target = f"{event.target_type} #{event.target_id}" if event.target_type else ""
        yield AuditRow(
            when=event.created_at,
            who=who,
            who_email=email,
            action=event.action,
            what=action_label(event.action),
            school=event.school.display_name if event.school else "",
            target=target,
            details=_details(event.data, names),
        )


def audit_rows_streamed(
    events: QuerySet[AuditEvent], *, nobody: str, chunk: int = 2000
) -> Iterator[AuditRow]:
    """All the events as rows, read in chunks (a CSV export of a long log never holds it all)."""
    batch: list[AuditEvent] = []
    for event in events.iterator(chunk_size=chunk):
        batch.append(event)
        if len(batch) >= chunk:
            yield from audit_rows(batch, nobody=nobody)
            batch = []
    if batch:
        yield from audit_rows(batch, nobody=nobody)


def records_schools(*, actor: Actor) -> list[Organisation]:
    """The schools where the person answers records requests: those they lead or administer
    (from the memberships the acting person has read already: no query of its own)."""
    person = as_actor(actor)
    managed = person.managed_school_ids
    return [m.school for m in person.memberships if m.school_id in managed]

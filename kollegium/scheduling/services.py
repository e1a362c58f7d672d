"""Writes for timetables, dedicated time and calendar feeds. Every import is all or nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateTimeField
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.core.homepage import home_changed
from kollegium.core.services import audit_record
from kollegium.core.tokens import hash_token, new_token
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.permissions import can_manage_school

from .core.lessons import TEACHER, Verdict, classify
from .imports import ImportProblem, ParsedEntry, ParseResult
from .imports.fetch import fetch_calendar
from .imports.ics import parse_ics, split_summary
from .imports.tabular import parse_csv
from .meetings import meeting_planner
from .models import (
    CalendarFeed,
    DedicatedTime,
    EntryKind,
    SeriesCorrection,
    Source,
    TimetableEntry,
    TimetableImport,
    TimetableSubscription,
)
from .selectors import busy_intervals_for

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
IMPORT_PAST_DAYS = 14
IMPORT_FUTURE_DAYS = 400
MAX_MANUAL_WEEKS = 60
SYNCED_FIELDS = (
    "title", "subject", "group_name", "room", "start", "end", "kind", "series_key", "reason",
)  # fmt: skip


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def import_window() -> tuple[datetime, datetime]:
    """The period an import keeps: two weeks back and about a year ahead."""
    now = timezone.now()
    return now - timedelta(days=IMPORT_PAST_DAYS), now + timedelta(days=IMPORT_FUTURE_DAYS)


def _problem(problem: ImportProblem) -> ValidationError:
    return ValidationError(problem.message, code="import")


def series_key_of(entry: ParsedEntry) -> str:
    """The series an occurrence belongs to: the parser's, or its title, weekday and time."""
    if entry.series_key:
        return entry.series_key[:300]
    local = timezone.localtime(entry.start, _tz())
    title = " ".join(entry.title.casefold().split())
    return f"{title}|{local.weekday()}|{local:%H:%M}"[:300]


def _classified(actor: Actor, parsed: ParseResult) -> list[tuple[ParsedEntry, dict]]:
    """Each occurrence with its values: lessons keep subject and class; other busy time
    (meetings, duty, travel...) keeps its title only, so it never becomes a subject."""
    corrections = dict(
        SeriesCorrection.objects.filter(user_id=actor.pk).values_list("series_key", "is_lesson")
    )
    out = []
    verdicts: dict[tuple, Verdict] = {}  # a timetable repeats the same few titles
    for entry in parsed.entries:
        key = series_key_of(entry)
        seen = (entry.title, entry.categories, entry.activity_type, corrections.get(key))
        if seen not in verdicts:
            verdicts[seen] = classify(
                title=entry.title, categories=entry.categories,
                activity_type=entry.activity_type, correction=corrections.get(key),
            )  # fmt: skip
        verdict = verdicts[seen]
        values = {
            "title": entry.title[:200],
            "subject": entry.subject[:100] if verdict.is_lesson else "",
            "group_name": entry.group_name[:100] if verdict.is_lesson else "",
            "room": entry.room[:100],
            "start": entry.start,
            "end": entry.end,
            "kind": EntryKind.LESSON if verdict.is_lesson else EntryKind.BUSY,
            "series_key": key,
            "reason": verdict.reason,
        }
        out.append((entry, values))
    return out


@transaction.atomic
def _store(*, actor: Actor, source: str, name: str, parsed: ParseResult) -> TimetableImport:
    if not parsed.entries:
        reasons = "; ".join(
            (_("line %(line)s: %(reason)s") % item) if item["line"] else item["reason"]
            for item in parsed.skipped[:3]
        )
        message = _("No lessons could be read, so nothing was imported.")
        raise ValidationError(f"{message} {reasons}".strip(), code="empty")
    person = as_actor(actor).person
    classified = _classified(actor, parsed)
    counts: dict[str, int] = {}
    for _entry, values in classified:
        counts[values["reason"]] = counts.get(values["reason"], 0) + 1
    record = TimetableImport.objects.create(
        user=person,
        source=source,
        name=name[:500],
        lessons_read=sum(1 for _e, values in classified if values["kind"] == EntryKind.LESSON),
        skipped=parsed.skipped[:1000],
        warnings=parsed.warnings[:100],
        classification=counts,
    )
    # Sync by external id so that unchanged lessons keep their ids (observations point at them).
    existing = {
        row[1]: row
        for row in TimetableEntry.objects.filter(user_id=actor.pk, source=source).values_list(
            "pk", "external_id", *SYNCED_FIELDS
        )
    }
    new_rows: list[tuple[str, tuple]] = []
    changed_rows: list[tuple[int, tuple]] = []
    seen: set[str] = set()
    for parsed_entry, values in classified:
        key = parsed_entry.external_id[:480] or f"{parsed_entry.start.isoformat()}"
        if key in seen:  # the same event twice in a file: keep both
            key = f"{key}#{len(seen)}"
        seen.add(key)
        current = existing.pop(key, None)
        row = tuple(values[field] for field in SYNCED_FIELDS)
        if current is None:
            new_rows.append((key, row))
        elif current[2:] != row:
            changed_rows.append((current[0], row))
    if existing:
        TimetableEntry.objects.filter(pk__in=[row[0] for row in existing.values()]).delete()
    _write_entries(
        user_id=person.pk, source=source, record_id=record.pk, new=new_rows, changed=changed_rows
    )
    home_changed(user_ids=[actor.pk])
    audit_record(
        actor=actor,
        action="scheduling.timetable_imported",
        target=record,
        data={"source": source, "read": len(parsed.entries), "skipped": len(parsed.skipped)},
    )
    return record


def _write_entries(
    *, user_id: int, source: str, record_id: int, new: list[tuple[str, tuple]],
    changed: list[tuple[int, tuple]],
) -> None:  # fmt: skip
    """One INSERT and one UPDATE statement, each run for all rows at once (executemany), so an
    import costs the same number of queries for 30 lessons as for 3,000 and no per-row model
    machinery. Values are adapted as the fields adapt them (``get_db_prep_save``)."""
    db = transaction.get_connection()  # the connection itself (``connection`` is a proxy)
    meta = TimetableEntry._meta
    fields = {field.name: field for field in meta.concrete_fields}
    synced = [fields[name] for name in SYNCED_FIELDS]
    dates = {index for index, field in enumerate(synced) if isinstance(field, DateTimeField)}

    def adapt(row: tuple) -> list:
        return [
            synced[i].get_db_prep_save(value, db) if i in dates else str(value)
            for i, value in enumerate(row)
        ]

    def column(name: str) -> str:
        return db.ops.quote_name(str(fields[name].column))

    table = db.ops.quote_name(meta.db_table)
    with db.cursor() as cursor:
        if new:
            names = [*SYNCED_FIELDS, "user", "source", "external_id", "imported_by", "created_at"]
            created_at = fields["created_at"].get_db_prep_save(timezone.now(), db)
            cursor.executemany(  # only the model's own, quoted names go into the text
                f"INSERT INTO {table} ({', '.join(map(column, names))}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(names))})",
                [[*adapt(row), user_id, source, key, record_id, created_at] for key, row in new],
            )
        if changed:
            assignments = ", ".join(f"{column(n)} = %s" for n in [*SYNCED_FIELDS, "imported_by"])
            cursor.executemany(  # only the model's own, quoted names go into the text
                f"UPDATE {table} SET {assignments} WHERE {column('id')} = %s",  # noqa: S608
                [[*adapt(row), record_id, pk] for pk, row in changed],
            )


def timetable_import_ics(
    *, actor: Actor, data: bytes, name: str, window: tuple[datetime, datetime] | None = None
) -> TimetableImport:
    """Replace the person's lessons from iCalendar files with those in ``data``."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than the limit of 5 MB."), code="size")
    start, end = window or import_window()
    try:
        parsed = parse_ics(data, window_start=start, window_end=end, timezone=settings.TIME_ZONE)
    except ImportProblem as problem:
        raise _problem(problem) from problem
    return _store(actor=actor, source=Source.ICS, name=name, parsed=parsed)


def timetable_from_school_system(
    *, person: Any, entries: list[ParsedEntry], name: str
) -> TimetableImport | None:
    """A person's timetable from the school owner's system (SS 12000 CalendarEvents), called by
    the directory sync for each person it covers: it replaces their earlier lessons from that
    system, kept by event id so unchanged lessons keep their ids (observations point at them).
    Their own iCalendar or CSV imports are left as they are. No events: their lessons from
    the system are removed."""
    actor = as_actor(person)
    if not entries:
        removed, _kinds = TimetableEntry.objects.filter(
            user_id=actor.pk, source=Source.SS12000
        ).delete()
        if removed:
            home_changed(user_ids=[actor.pk])
        return None
    # A nightly sync mostly finds nothing changed: then no import is recorded.
    stored = set(
        TimetableEntry.objects.filter(user_id=actor.pk, source=Source.SS12000).values_list(
            "external_id", "start", "end", "title", "room"
        )
    )
    incoming = {(e.external_id[:480], e.start, e.end, e.title[:200], e.room[:100]) for e in entries}
    if stored == incoming:
        return None
    return _store(
        actor=actor, source=Source.SS12000, name=name, parsed=ParseResult(entries=entries)
    )


def timetable_import_csv(
    *, actor: Actor, data: bytes, name: str, first: date, last: date
) -> TimetableImport:
    """Replace the person's lessons from CSV files with those in ``data``, from first to last."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than the limit of 5 MB."), code="size")
    if (last - first).days > 400:
        raise ValidationError(_("Choose a period of at most 400 days."), code="period")
    try:
        parsed = parse_csv(data, first=first, last=last, timezone=settings.TIME_ZONE)
    except ImportProblem as problem:
        raise _problem(problem) from problem
    return _store(actor=actor, source=Source.CSV, name=name, parsed=parsed)


def free_time_to_meeting(
    *, actor: Actor, group_key: int, starts_at: datetime, minutes: int, place: str = "",
    video_url: str = "", now: datetime | None = None,
) -> str:  # fmt: skip
    """Turn a common free slot into the group's next meeting, in one step: only a facilitator
    of the group, never in the past, only while every member is still free then. The group's
    own service schedules it (called once); returns the meeting's address."""
    planner = meeting_planner()
    group = next(
        (g for g in (planner.groups_for(actor) if planner else []) if g.key == group_key), None
    )
    if planner is None or group is None:
        raise PermissionDenied
    if starts_at <= (now or timezone.now()):
        raise ValidationError(_("That time has already passed. Choose a later time."))
    ends_at = starts_at + timedelta(minutes=minutes)
    busy = busy_intervals_for(users=group.member_ids, start=starts_at, end=ends_at)
    if any(s < ends_at and e > starts_at for intervals in busy.values() for s, e in intervals):
        raise ValidationError(
            _("Someone in the group is no longer free then. Find the times again.")
        )
    return planner.schedule(
        actor=actor, group_key=group.key, starts_at=starts_at, minutes=minutes, place=place,
        video_url=video_url,
    )  # fmt: skip


@transaction.atomic
def timetable_series_correct(*, actor: Actor, series_key: str, is_lesson: bool) -> int:
    """The teacher says a series is (or is not) a lesson. Kept for later imports of the same
    series; returns how many of the person's entries changed."""
    entries = list(TimetableEntry.objects.filter(user_id=actor.pk, series_key=series_key))
    if not series_key or not entries:
        raise ValidationError(_("That series is not in your timetable."), code="missing")
    SeriesCorrection.objects.update_or_create(
        user=as_actor(actor).person, series_key=series_key, defaults={"is_lesson": is_lesson}
    )
    for entry in entries:
        entry.kind = EntryKind.LESSON if is_lesson else EntryKind.BUSY
        entry.reason = TEACHER
        subject, group_name = split_summary(entry.title) if is_lesson else ("", "")
        entry.subject, entry.group_name = subject[:100], group_name[:100]
    TimetableEntry.objects.bulk_update(
        entries, ["kind", "reason", "subject", "group_name"], batch_size=500
    )
    home_changed(user_ids=[actor.pk])
    return len(entries)


def timetable_subscribe(
    *, actor: Actor, url: str, window: tuple[datetime, datetime] | None = None
) -> TimetableImport:
    """Fetch a subscription URL now and remember it; nothing is saved if the fetch fails."""
    try:
        data = fetch_calendar(url)
        start, end = window or import_window()
        parsed = parse_ics(data, window_start=start, window_end=end, timezone=settings.TIME_ZONE)
    except ImportProblem as problem:
        raise ValidationError({"url": problem.message}, code="import") from problem
    with transaction.atomic():
        record = _store(actor=actor, source=Source.SUBSCRIPTION, name=url, parsed=parsed)
        TimetableSubscription.objects.update_or_create(
            user=as_actor(actor).person,
            defaults={"url": url.strip(), "last_fetched_at": timezone.now(), "last_error": ""},
        )
    return record


def timetable_subscription_refresh(*, actor: Actor) -> TimetableImport:
    subscription = TimetableSubscription.objects.filter(user_id=actor.pk).first()
    if subscription is None:
        raise ValidationError(_("You have no subscription to refresh."), code="missing")
    try:
        return timetable_subscribe(actor=actor, url=subscription.url)
    except ValidationError as error:
        TimetableSubscription.objects.filter(pk=subscription.pk).update(
            last_error="; ".join(error.messages)[:1000]
        )
        raise


@transaction.atomic
def timetable_subscription_remove(*, actor: Actor) -> None:
    TimetableSubscription.objects.filter(user_id=actor.pk).delete()
    TimetableEntry.objects.filter(user_id=actor.pk, source=Source.SUBSCRIPTION).delete()
    home_changed(user_ids=[actor.pk])


@transaction.atomic
def timetable_entry_add(
    *,
    actor: Actor,
    weekday: int,
    start_time: time,
    end_time: time,
    first_date: date,
    last_date: date,
    subject: str = "",
    group_name: str = "",
    room: str = "",
    kind: str = EntryKind.LESSON,
) -> int:
    """Add a weekly lesson (or other busy time) by hand; returns the number of occurrences."""
    errors: dict[str, str] = {}
    if end_time <= start_time:
        errors["end_time"] = _("The end must be after the start.")
    if last_date < first_date:
        errors["last_date"] = _("The last date must not be before the first.")
    elif (last_date - first_date).days > 7 * MAX_MANUAL_WEEKS:
        errors["last_date"] = _("Choose a period of at most %(n)d weeks.") % {"n": MAX_MANUAL_WEEKS}
    if weekday not in range(7):
        errors["weekday"] = _("Choose a weekday.")
    if kind not in EntryKind.values:
        errors["kind"] = _("Choose lesson or other busy time.")
    if errors:
        raise ValidationError(errors)
    tz = _tz()
    day = first_date + timedelta(days=(weekday - first_date.weekday()) % 7)
    person = as_actor(actor).person
    entries = []
    while day <= last_date:
        entries.append(
            TimetableEntry(
                user=person,
                kind=kind,
                title=" ".join(x for x in (subject.strip(), group_name.strip()) if x)[:200],
                subject=subject.strip()[:100],
                group_name=group_name.strip()[:100],
                room=room.strip()[:100],
                start=datetime.combine(day, start_time, tz),
                end=datetime.combine(day, end_time, tz),
                source=Source.MANUAL,
            )
        )
        day += timedelta(days=7)
    if not entries:
        raise ValidationError({"weekday": _("That weekday does not occur between the two dates.")})
    TimetableEntry.objects.bulk_create(entries)
    home_changed(user_ids=[actor.pk])
    return len(entries)


def timetable_entry_delete(*, actor: Actor, entry: TimetableEntry) -> None:
    if entry.user_id != actor.pk:
        raise PermissionDenied
    entry.delete()
    home_changed(user_ids=[actor.pk])


def timetable_clear(*, actor: Actor, source: str) -> int:
    if source not in Source.values:
        raise ValidationError(_("Unknown timetable source."))
    deleted, _details = TimetableEntry.objects.filter(user_id=actor.pk, source=source).delete()
    home_changed(user_ids=[actor.pk])
    return deleted


def _dedicated_errors(
    *, title: str, start_time: time, end_time: time, first_date: date, last_date: date,
    every_weeks: int,
) -> dict[str, str]:  # fmt: skip
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the time a name.")
    if end_time <= start_time:
        errors["end_time"] = _("The end must be after the start.")
    if last_date < first_date:
        errors["last_date"] = _("The last date must not be before the first.")
    if not 1 <= every_weeks <= 8:
        errors["every_weeks"] = _("Choose every 1 to 8 weeks.")
    return errors


@transaction.atomic
def dedicated_time_create(
    *,
    actor: Actor,
    school: Any,
    title: str,
    weekday: int,
    start_time: time,
    end_time: time,
    first_date: date,
    last_date: date,
    every_weeks: int = 1,
) -> DedicatedTime:
    """A leader places recurring protected time for collegial learning at their school."""
    if not can_manage_school(actor, school):
        raise PermissionDenied
    errors = _dedicated_errors(
        title=title, start_time=start_time, end_time=end_time, first_date=first_date,
        last_date=last_date, every_weeks=every_weeks,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    item = DedicatedTime.objects.create(
        school=school,
        title=title.strip()[:200],
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        first_date=first_date,
        last_date=last_date,
        every_weeks=every_weeks,
        created_by=as_actor(actor).person,
    )
    audit_record(
        actor=actor, action="scheduling.dedicated_time_created", target=item, school=school
    )
    return item


@transaction.atomic
def dedicated_time_update(
    *,
    actor: Actor,
    item: DedicatedTime,
    title: str,
    weekday: int,
    start_time: time,
    end_time: time,
    first_date: date,
    last_date: date,
    every_weeks: int = 1,
) -> DedicatedTime:
    """Change dedicated time; SEQUENCE goes up so calendars replace their copies."""
    if not can_manage_school(actor, item.school):
        raise PermissionDenied
    errors = _dedicated_errors(
        title=title, start_time=start_time, end_time=end_time, first_date=first_date,
        last_date=last_date, every_weeks=every_weeks,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    item.title = title.strip()[:200]
    item.weekday = weekday
    item.start_time = start_time
    item.end_time = end_time
    item.first_date = first_date
    item.last_date = last_date
    item.every_weeks = every_weeks
    item.sequence += 1
    item.save()
    audit_record(
        actor=actor, action="scheduling.dedicated_time_updated", target=item, school=item.school
    )
    return item


@transaction.atomic
def dedicated_time_delete(*, actor: Actor, item: DedicatedTime) -> None:
    if not can_manage_school(actor, item.school):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action="scheduling.dedicated_time_deleted",
        target=item,
        school=item.school,
        data={"title": item.title},
    )
    item.delete()


@transaction.atomic
def calendar_feed_create(*, actor: Actor) -> tuple[CalendarFeed, str]:
    """A new secret feed address. The token is shown once; only its hash is stored."""
    token = new_token()
    feed = CalendarFeed.objects.create(
        user=as_actor(actor).person, token_hash=hash_token(token), hint=token[:6]
    )
    audit_record(actor=actor, action="scheduling.calendar_feed_created", target=feed)
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, actor: Actor, feed: CalendarFeed) -> None:
    if feed.user_id != actor.pk:
        raise PermissionDenied
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="scheduling.calendar_feed_revoked", target=feed)
